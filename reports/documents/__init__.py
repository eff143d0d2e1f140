"""Official documents (Decree 30/2020 layout) rendered from reports by Celery workers.

``context``   one plain snapshot of a report (and of a district's consolidated report) that both
              writers consume, so DOCX and PDF never disagree; the core writes the frame;
``blocks``    the paragraphs, appendix tables and figures other apps add to it, registered in their
              ``AppConfig.ready()`` (the core names none of them);
``layout``    plain Decree 30 helpers (dates, numbers, header lines, signature) shared with those apps;
``registry``  document kinds (report, consolidated, ZIP …) other apps may add to;
``services``  rows: request a rendering, render it (the body of the Celery task), expire old files;
``tasks``     the Celery tasks (sent by name from ``services``);
``views``     the permission-checked request/progress/download endpoints.
"""
