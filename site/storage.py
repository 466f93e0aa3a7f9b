from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files kept out of the public media, with no URL: a view that checks who asks serves them."""

    def url(self, name):
        raise NotImplementedError("Private files have no public address.")
