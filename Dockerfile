# The portal's one image: web (gunicorn), Celery worker and beat all run from it (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (pango, harfbuzz), the fonts documents are set in, pdftotext, msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-liberation fonts-croscore poppler-utils gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, from pyproject.toml (runtime only, no test extras), so code changes reuse the layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN DEBUG=1 VAR_DIR=/tmp/build-var python manage.py compilemessages --ignore=.venv --verbosity 0 \
    && rm -rf /tmp/build-var

RUN useradd --system --create-home --home-dir /data --shell /usr/sbin/nologin cchc \
    && mkdir -p /data/var /data/media /data/static \
    && chown -R cchc:cchc /data
USER cchc

ENV VAR_DIR=/data/var \
    MEDIA_ROOT=/data/media \
    STATIC_ROOT=/data/static

EXPOSE 8000
CMD ["gunicorn", "cchc_portal.wsgi", "--bind", "0.0.0.0:8000", "--timeout", "120", "--access-logfile", "-", "--error-logfile", "-"]
