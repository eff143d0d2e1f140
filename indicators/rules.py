"""Found by ``rules.apps.AutodiscoverRulesConfig``: the scoring permissions live in
``indicators.scoring.rules`` (the statistics appendix uses the report's own permissions)."""

from .scoring import rules  # noqa: F401
