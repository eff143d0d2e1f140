"""Models of the indicators app: the statistics-appendix catalogue (catalogue.py) and the PAR-index
criteria, assessments and rankings (scoring.py)."""

from .catalogue import *  # noqa: F401,F403
from .scoring import *  # noqa: F401,F403
