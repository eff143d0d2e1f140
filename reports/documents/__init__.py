"""Official documents (Decree 30/2020 layout) rendered from reports by Celery workers.

``context``   one plain snapshot of a report (and of a district's consolidated report) that both
              writers consume, so DOCX and PDF never disagree;
``registry``  document kinds (report, consolidated, deduction letter …) other apps may add to;
``services``  rows: request a rendering, render it (the body of the Celery task), expire old files;
``views``     the permission-checked request/progress/download endpoints.
"""
