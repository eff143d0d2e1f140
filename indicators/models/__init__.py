"""Every model of the indicators app, imported here so Django finds them: the statistics appendix
(``indicators.appendix.models``) and the PAR-index scoring (``indicators.scoring.models``)."""

from ..appendix.models import *  # noqa: F401,F403
from ..scoring.models import *  # noqa: F401,F403
