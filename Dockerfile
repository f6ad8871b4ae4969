# Production image: gunicorn serves Django; the same image runs the migrations, the Celery worker
# and beat (docker-compose.yml).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=kerjasama.settings

# WeasyPrint renders with Pango and subsets fonts with HarfBuzz; fonts come from static/fonts, never
# from the system. pg_dump and pg_restore (backups) must be at least the server's version, 16:
# PostgreSQL's own Debian repository provides them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
       https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
       > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 postgresql-client-16 \
    && apt-get purge -y curl && apt-get autoremove -y \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 kerjasama
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=kerjasama:kerjasama . .
# collectstatic needs settings; a throwaway key is enough at build time.
RUN SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput
# The volumes mounted here start as copies of these directories, owned by the app's user: uploads,
# rendered PDFs, backups and the open data files are written by it.
RUN install -d -o kerjasama -g kerjasama /app/media /app/backups /app/open-data
USER kerjasama
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=15s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/-/health/', timeout=10)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py", "kerjasama.wsgi"]
