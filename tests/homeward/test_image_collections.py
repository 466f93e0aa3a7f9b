"""Appeal photos live in their own collection, where the roles' image rights are granted."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission

from homeward import roles
from homeward.image_collections import APPEAL_PHOTOS
from tests import factories

pytestmark = pytest.mark.django_db

Image = get_image_model()


def test_the_roles_image_rights_are_on_appeal_photos_never_on_the_root():
    granted = GroupCollectionPermission.objects.filter(group__name__in=roles.ROLES)
    assert granted.exists()
    assert set(granted.values_list("collection__name", flat=True)) == {APPEAL_PHOTOS}
    assert not granted.filter(collection__depth=1).exists()
    police = Group.objects.get(name=roles.POLICE_OFFICERS)
    assert not GroupCollectionPermission.objects.filter(group=police).exists()


def test_an_upload_is_filed_in_appeal_photos(client):
    client.force_login(factories.user_create(role=roles.EDITORS))
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Family photo",
            "file": SimpleUploadedFile("photo.jpg", factories.image_bytes()),
        },
    )
    assert response.status_code == 302
    assert Image.objects.get().collection.name == APPEAL_PHOTOS


def test_an_image_made_in_code_is_filed_in_appeal_photos():
    assert factories.image_create().collection.name == APPEAL_PHOTOS


def test_an_image_filed_elsewhere_on_purpose_stays_there():
    press = Collection.get_first_root_node().add_child(name="Press")
    assert factories.image_create(collection=press).collection == press


def test_the_migration_files_existing_images_as_appeal_photos():
    image = factories.image_create()
    Image.objects.filter(pk=image.pk).update(collection=Collection.get_first_root_node())
    migration = importlib.import_module("homeward.migrations.0008_appeal_photos_collection")
    migration.file_images_as_appeal_photos(global_apps, None)
    image.refresh_from_db()
    assert image.collection.name == APPEAL_PHOTOS
    assert Collection.objects.filter(name=APPEAL_PHOTOS).count() == 1
    # Still a sound tree for treebeard.
    assert Collection.get_first_root_node().get_children().filter(name=APPEAL_PHOTOS).exists()
