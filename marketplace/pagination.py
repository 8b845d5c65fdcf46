"""Pages of lists, counted by the database.

`db.paginate` pages a select() of one entity. A list whose rows are several columns (a name, a
count, a date computed in SQL) is paged by `paginate_rows`, which answers with the attributes of
flask_sqlalchemy's Pagination that the pages use, so views, templates and the shared pager macro
(templates/_pager.html) treat both alike.
"""

from dataclasses import dataclass
from math import ceil

from sqlalchemy import Select, func, select

from marketplace.extensions import db

PAGE_SIZE = 50


@dataclass
class RowPage:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def __iter__(self):
        return iter(self.items)


def count_of(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def paginate_rows(query: Select, *, page: int, per_page: int = PAGE_SIZE,
                  total: int | None = None) -> RowPage:
    """One page of `query`'s rows (named tuples); `total` saves the count when the caller has
    it already."""
    rows = list(db.session.execute(query.limit(per_page).offset((page - 1) * per_page)))
    return RowPage(rows, page, per_page, count_of(query) if total is None else total)
