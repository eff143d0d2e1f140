from . import admin_catalogue, admin_scoring  # noqa: F401  (each registers its models)
