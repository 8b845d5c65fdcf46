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


def on_starting(server):
    """Before any worker starts: make sure this host has a usable matching snapshot, so no
    request ever waits for a build. Only the first start of a host (or one after a taxonomy
    change or a bulk load) builds; later starts find the snapshot and the workers replay the
    change log. The build runs in its own process: the master keeps neither its memory nor
    its database connections, which forked workers must not share."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "flask", "--app", "marketplace", "matching-build",
               "--if-needed"]
    result = subprocess.run(command, check=False)  # noqa: S603 - our own CLI, fixed arguments
    if result.returncode:
        # Serve anyway: the ranked pages say the ranking is being prepared and a worker asks
        # for a background build.
        server.log.error("matching snapshot build failed (exit %s)", result.returncode)


def post_worker_init(worker):
    """Map the snapshot and replay the change log before this worker takes requests, so its
    first ranked page is as fast as the others."""
    app = worker.wsgi
    try:
        with app.app_context():
            from marketplace.extensions import db
            from marketplace.matches.index import current_index

            current_index()
            db.session.remove()
    except Exception:  # a worker that cannot warm up still serves; the page will retry
        worker.log.exception("matching index warm-up failed")
