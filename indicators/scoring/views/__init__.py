"""Views of the PAR-index scoring, by concern: ``criteria`` (home, criteria sets), ``assessments``
(one commune's assessment), ``ranking`` (rankings, publication, exports).

Thin: each fetches through the scope (``reports.access``: out of scope is 404), asks the ``rules``
permission (403), calls one service and redirects with a message."""
