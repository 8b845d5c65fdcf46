"""The monitoring dashboard: indicators by region and month with charts, and the list behind
every figure, both read from the aggregates of the last refresh (board.py)."""

from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request
from flask_babel import format_date, format_datetime, format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.extensions import db
from marketplace.i18n import current_language
from marketplace.indicators import aggregates, board, charts, services
from marketplace.render_cache import RenderCache
from marketplace.urls import page_number
from marketplace.web import money

bp = Blueprint("indicators", __name__, url_prefix="/staff/dashboard")
# Rendered figures per count, scope, period, view and language (cache.py): at most a few MB.
SECTIONS = RenderCache(size=128)


def _month_key(month: date) -> str:
    return month.strftime("%Y-%m")


def _filters():
    """(scope, period, messages) from the query string; 404 for a region the user may not see."""
    scope = services.scope_for(current_user, request.args.get("region")) or abort(404)
    period, messages = services.read_period(request.args, date.today())
    return scope, period, messages


def _list_href(indicator: str, **params) -> str:
    """A link from the dashboard to the list behind a figure, relative to /staff/dashboard/ so
    that hundreds of figure links keep the page small."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"list/{indicator}?{query}" if query else f"list/{indicator}"


def _page_helpers(scope, refreshed) -> dict:
    admin = current_user.role is Role.ADMIN
    return {"month_key": _month_key, "format_percent": format_percent,
            # Read now: the list's commit would make the template load the refresh again.
            "counted": {"at": format_datetime(refreshed.finished_at, "long"),
                        "last_month": refreshed.last_month} if refreshed else None,
            "format_decimal": format_decimal, "list_href": _list_href,
            # Staff always see their own region, so their links need not name it.
            "region_code": scope.region.code if admin and scope.region else None,
            "claim_links": not admin}


@bp.route("/")
@role_required(Role.STAFF, Role.ADMIN)
def dashboard():
    scope, period, messages = _filters()
    refreshed = _counted()
    # Every region: by month (with charts) or by region, each a page under 100 KB.
    by_region = scope.region_ids is None and request.args.get("view") == "regions"
    helpers = _page_helpers(scope, refreshed)
    figures = _sections(scope, period, refreshed, by_region, helpers) if refreshed else None
    return render_template(
        "indicators/dashboard.html", sections_html=figures, scope=scope, period=period,
        messages=messages, by_region=by_region, sections=services.SECTIONS,
        max_months=services.MAX_MONTHS,
        regions=services.all_regions() if current_user.role is Role.ADMIN else [],
        **helpers), 422 if messages else 200


def _sections(scope, period, refreshed, by_region: bool, helpers: dict) -> Markup:
    """The charts and tables of every section, rendered once per count and kept."""
    regions = None if scope.region_ids is None else tuple(sorted(scope.region_ids))
    key = (refreshed.id, refreshed.finished_at, regions, period, by_region,
           current_language(), helpers["region_code"])

    def render() -> Markup:
        figures = board.read_dashboard(scope, period, refreshed)
        return Markup(render_template(  # noqa: S704 - our own template, autoescaped
            "indicators/_sections.html", board=figures, scope=scope, period=period,
            by_region=by_region, sections=services.SECTIONS,
            charts={} if by_region else _charts(figures), **helpers))

    return SECTIONS.get_or_make(key, render)


@bp.route("/list/<indicator>")
@role_required(Role.STAFF, Role.ADMIN)
def indicator_list(indicator):
    chosen = services.INDICATORS.get(indicator) or abort(404)
    scope, period, messages = _filters()
    refreshed = _counted()
    listed = (board.list_page(chosen, scope, period, page_number(), viewer=current_user)
              if refreshed else None)
    helpers = _page_helpers(scope, refreshed)
    db.session.commit()  # keeps the audit event of the view
    regions = {r.id: r for r in services.all_regions()} if scope.region_ids is None else {}
    return render_template(
        "indicators/list.html", indicator=chosen, listed=listed, period=period, scope=scope,
        messages=messages, regions=regions, **helpers), 422 if messages else 200


def _counted():
    """The last count; where there is none, one made now if this server may (aggregates.py)."""
    refreshed = aggregates.latest_refresh()
    if refreshed is None and aggregates.refreshes_on_view():
        refreshed = aggregates.refresh()
        db.session.commit()
    return refreshed


def _charts(board) -> dict[str, list]:
    """The charts of each section, in the reader's language."""
    labels = [format_date(m, "LLL yy") for m in board.period.months]

    def monthly(key):
        result = board.results[key]
        return charts.Series(str(result.indicator.title),
                             [result.by_month[m].value for m in board.period.months])

    def bars(title, *keys, **options):
        return charts.bar_chart(title, labels, [monthly(k) for k in keys], **options)

    return {
        "candidates": [bars(_("Registered and verified candidates by month"), "registered",
                            "verified", format_value=format_decimal)],
        "hires": [bars(_("Subsidised and unsubsidised hires by month"), "subsidised",
                       "unsubsidised", format_value=format_decimal)],
        "retention": [charts.line_chart(
            _("Share still employed 3, 6 and 12 months after the hire, by month"), labels,
            [charts.Series(_("%(months)d months", months=n),
                           monthly(f"retention_{n}").values) for n in services.RETENTION_MONTHS],
            format_value=format_percent)],
        "money": [bars(_("Net subsidy spend by month, ₸"), "spend", format_value=money)],
        "reoffending": [bars(_("Recorded re-incarcerations and new convictions by month"),
                             "reincarcerations", "new_convictions",
                             format_value=format_decimal)],
    }
