# PAR INDEX application image: the web server (gunicorn), the Celery worker and beat all run it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=parindex.settings

# Pango and HarfBuzz for WeasyPrint (PDF reports), fonts with Vietnamese glyphs, gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The project's dependencies first, in their own layer, so a code change does not reinstall them.
# The project runs from /app and declares no packages, so like `make` this installs the requirements
# listed in pyproject.toml rather than building a wheel of it.
COPY pyproject.toml ./
COPY scripts/requirements.py scripts/
RUN python scripts/requirements.py > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

RUN useradd --system --create-home --home-dir /home/parindex parindex \
    && mkdir -p /data/media /app/staticfiles \
    && chown -R parindex:parindex /data/media /app/staticfiles
USER parindex

EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "parindex.wsgi"]
