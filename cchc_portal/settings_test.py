"""Settings of the test suite (pyproject.toml's DJANGO_SETTINGS_MODULE): the portal's settings in
development mode whatever the shell or .env says, since DEBUG is off unless set. pytest-django still
runs every test with ``settings.DEBUG = False``, so the tests see the production error pages.

Child processes the tests start (tests/platform/processes.py) choose their own DEBUG."""

import os

os.environ["DEBUG"] = "1"

from .settings import *  # noqa: E402, F403
