"""The hiring blueprint with its candidate and employer routes."""

from marketplace.hiring import candidate_views, employer_views, labels  # noqa: F401 - routes
from marketplace.hiring.blueprint import bp

__all__ = ["bp"]
