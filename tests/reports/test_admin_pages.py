"""Every model has a Vietnamese admin page that opens for the portal admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_model_of_our_apps_is_in_the_admin():
    """Registered on its own, or edited inline in its parent's page."""
    from django.apps import apps

    inline = {i.model for model_admin in admin.site._registry.values() for i in model_admin.inlines}
    ours = [m for m in apps.get_models() if m._meta.app_label in {"reports", "procedures", "indicators"}
            and not m.__name__.startswith("Historical")]
    missing = [m.__name__ for m in ours if m not in admin.site._registry and m not in inline]
    assert missing == []


def test_admin_changelists_open(as_user):
    client = as_user("admin")
    for model in admin.site._registry:
        if model._meta.app_label not in {"reports", "procedures", "indicators"}:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
