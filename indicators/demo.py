"""Demo loaders of the indicators app, registered with the core demo (``manage.py load_demo``).
Each package keeps its own function; this module only registers them."""

from reports.demo import register


@register(20)
def load_indicators_demo(stdout):
    from .appendix.demo import load_catalogue_demo

    load_catalogue_demo(stdout)  # statistics appendix catalogue


@register(60)
def load_scoring_demo(stdout):
    from .scoring.demo import load_scoring_demo as load

    load(stdout)  # PAR-index criteria sets and the published 2023 ranking
