"""Production server settings: `gunicorn -c gunicorn.conf.py wsgi:app`.

Two cores: 2 worker processes with 4 threads each; the app is loaded once before forking.
"""

import os

# Before the app is imported (preload): production refuses to start without SECRET_KEY.
os.environ.setdefault("APP_ENV", "production")

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
preload_app = True
timeout = 60
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
