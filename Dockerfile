# Production image: gunicorn serves Django; the same image runs the Celery worker and beat.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=kerjasama.settings

# WeasyPrint renders with Pango; fonts come from static/fonts, never from the system.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 kerjasama
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=kerjasama:kerjasama . .
# collectstatic needs settings; a throwaway key is enough at build time.
RUN SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput
USER kerjasama
EXPOSE 8000
CMD ["gunicorn", "kerjasama.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
