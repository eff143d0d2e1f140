from .appendix import admin as appendix_admin  # noqa: F401  (each registers its models)
from .scoring import admin as scoring_admin  # noqa: F401
