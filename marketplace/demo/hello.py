"""A one-route Flask app: the ceiling `make bench-load` compares every page with.

Served by the same `gunicorn -c gunicorn.conf.py` settings as the marketplace, so a page's
ratio to it says how much of the server's capacity the page's own work takes.
"""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
