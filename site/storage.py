from django.core.files.storage import FileSystemStorage, Storage, storages
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


class PrivateFileSystemStorage(FileSystemStorage):
    """Files kept out of the public media, with no URL: a view that checks who asks serves them."""

    def url(self, name):
        raise NotImplementedError("Private files have no public address.")


# Where Wagtail keeps originals and renditions (the image model's and its renditions' upload_to).
PHOTO_FOLDERS = ("original_images", "images")


@deconstructible(path="homeward.storage.PhotoStorage")
class PhotoStorage(Storage):
    """Photos (originals and renditions): private until published, then also public.

    Every file is written to the private store and stays there until it is deleted; the
    public media (a folder under MEDIA_URL, or the public bucket) holds a copy only of
    what has been published, under the same random name. A photo's address is its public
    one once published, and otherwise the staff-only preview, which checks who asks.
    Whether a copy is public is read from the public media itself, so the address never
    claims more than what anyone can fetch.
    """

    def __init__(self, private: str = "photos_private", public: str = "default"):
        self.private_alias, self.public_alias = private, public

    @cached_property
    def private(self) -> Storage:
        return storages[self.private_alias]

    @cached_property
    def public(self) -> Storage:
        return storages[self.public_alias]

    def _open(self, name, mode="rb"):
        # Photos published before they were kept privately have only the public copy.
        store = self.private if self.private.exists(name) else self.public
        return store.open(name, mode)

    def _save(self, name, content):
        return self.private.save(name, content)

    def exists(self, name) -> bool:
        return self.private.exists(name) or self.public.exists(name)

    def delete(self, name) -> None:
        self.public.delete(name)
        self.private.delete(name)

    def size(self, name) -> int:
        store = self.private if self.private.exists(name) else self.public
        return store.size(name)

    def url(self, name) -> str:
        if self.is_published(name):
            return self.public.url(name)
        return reverse("photo-preview", args=[name])

    def public_url(self, name) -> str:
        """The address the photo has (or had) in the public media, for purging caches."""
        return self.public.url(name)

    def published_names(self):
        """The name of every photo with a public copy."""
        for folder in PHOTO_FOLDERS:
            try:
                _, files = self.public.listdir(folder)
            except FileNotFoundError:
                continue
            yield from (f"{folder}/{file}" for file in files)

    def published_at(self, name):
        return self.public.get_modified_time(name)

    def is_published(self, name) -> bool:
        return bool(name) and self.public.exists(name)

    def publish(self, name) -> bool:
        """Copy the photo to the public media; True if it was not there yet."""
        if self.public.exists(name):
            return False
        with self.private.open(name, "rb") as photo:
            saved = self.public.save(name, photo)
        if saved != name:
            self.public.delete(saved)
            raise OSError(f"The photo {name} could not be published under its name.")
        return True

    def unpublish(self, name) -> bool:
        """Remove the public copy, keeping the private one; True if there was one.

        A photo that only ever had a public copy is first copied to the private store.
        """
        if not self.public.exists(name):
            return False
        if not self.private.exists(name):
            with self.public.open(name, "rb") as photo:
                if self.private.save(name, photo) != name:
                    raise OSError(f"The photo {name} could not be kept under its name.")
        self.public.delete(name)
        return True


def photo_storage() -> PhotoStorage:
    """The storage of every image's files (a callable, so migrations name no backend)."""
    return storages["photos"]
