"""WSGI entry point: `gunicorn -c gunicorn.conf.py wsgi:app` (production) or `flask run`."""

from marketplace import create_app

app = create_app()
