"""Authorization expectations, one module per feature (see core.py for the shape)."""

import importlib
import pkgutil

ROLES = ("anonymous", "candidate", "employer", "staff", "admin")
MISSING_ID = 999_999


def all_routes() -> dict:
    merged = {}
    for module in pkgutil.iter_modules(__path__):
        routes = importlib.import_module(f"{__name__}.{module.name}").ROUTES
        duplicated = merged.keys() & routes.keys()
        assert not duplicated, f"routes listed twice: {duplicated}"
        merged.update(routes)
    return merged
