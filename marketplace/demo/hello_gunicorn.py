"""Gunicorn settings for the hello-world ceiling of `make bench-load`: production's settings
from gunicorn.conf.py (workers, threads, worker class, preload, logs, forwarded headers), without
its server hooks, which prepare the marketplace (its matching snapshot) and mean nothing here.

`gunicorn -c marketplace/demo/hello_gunicorn.py marketplace.demo.hello:app`
"""

import runpy
from pathlib import Path
from types import ModuleType

_production = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))

# Settings are plain values; hooks are functions and imports are modules.
globals().update({name: value for name, value in _production.items()
                  if not name.startswith("_") and not callable(value)
                  and not isinstance(value, ModuleType)})
