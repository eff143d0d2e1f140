"""Demo loaders of the indicators app, registered with the core demo (``manage.py load_demo``).
Each capability keeps its own function; this module only registers them."""

from reports.demo import register

from .demo_catalogue import load_catalogue_demo


@register(20)
def load_indicators_demo(stdout):
    load_catalogue_demo(stdout)  # statistics appendix catalogue (catalogue work)


@register(60)
def load_scoring_demo(stdout):
    from .demo_scoring import load_scoring_demo as load

    load(stdout)  # PAR-index criteria sets and the published 2023 ranking (scoring work)
