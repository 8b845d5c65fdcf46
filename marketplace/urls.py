"""Safe redirects: only paths on this site, never another host."""

from urllib.parse import urlsplit

from flask import redirect, request, url_for
from werkzeug.routing import IntegerConverter


def is_safe_path(target: str | None) -> bool:
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target


def redirect_back(default_endpoint: str, **values):
    target = request.values.get("next")
    return redirect(target if is_safe_path(target) else url_for(default_endpoint, **values))


def page_number(param: str = "page") -> int:
    """?page=N (or another list's `param` on a page with several) as a positive integer;
    anything else is page 1."""
    return max(1, min(request.args.get(param, 1, type=int) or 1, 10_000))


class DatabaseIntConverter(IntegerConverter):
    """`<int:id>` limited to what an INTEGER column holds, so a huge id is a 404, not a crash."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)
