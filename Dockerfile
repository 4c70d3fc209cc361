# PAR INDEX application image: the web server (gunicorn), the Celery worker and beat all run it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=parindex.settings

# Pango and HarfBuzz for WeasyPrint (PDF reports), fonts with Vietnamese glyphs, gettext for compilemessages,
# postgresql-client for pg_dump/pg_restore (`manage.py backup` and `restore`; Debian 12's is 15, as the server).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core gettext \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The project's dependencies first, in their own layer, so a code change does not reinstall them: exactly the
# versions and hashes of requirements/base.lock (made by `make lock`), never a newer release.
COPY requirements/base.lock requirements/
RUN pip install --require-hashes -r requirements/base.lock

COPY . .

RUN useradd --system --create-home --home-dir /home/parindex parindex \
    && mkdir -p /data/media /app/staticfiles \
    && chown -R parindex:parindex /data/media /app/staticfiles
USER parindex

EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "parindex.wsgi"]
