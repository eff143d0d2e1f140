"""Fixtures of the security tests: one shared world for the package (built in a transaction rolled
back when the package's tests are done; each test runs in its own savepoint inside it, so every test
starts from the same objects), and a logged-in client per role."""

import pytest
from django.db import transaction
from django.test import Client, override_settings

from .world import Objects, build_world

ROLES = ["anonymous", "officer", "other_officer", "leader", "reviewer", "outside_reviewer", "foreign_reviewer",
         "admin"]


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def objects(world, db):
    return Objects(world)


@pytest.fixture
def client_for(objects):
    def make(role):
        client = Client()
        if role != "anonymous":
            client.force_login(objects.users[role])
        return client

    return make
