"""The monitoring dashboard: indicators by region and month with charts, and the list behind
every figure."""

from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.extensions import db
from marketplace.indicators import charts, services
from marketplace.web import money

bp = Blueprint("indicators", __name__, url_prefix="/staff/dashboard")


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


def _page_helpers(scope) -> dict:
    admin = current_user.role is Role.ADMIN
    return {"month_key": _month_key, "format_percent": format_percent,
            "format_decimal": format_decimal, "list_href": _list_href,
            # Staff always see their own region, so their links need not name it.
            "region_code": scope.region.code if admin and scope.region else None,
            "claim_links": not admin}


@bp.route("/")
@role_required(Role.STAFF, Role.ADMIN)
def dashboard():
    scope, period, messages = _filters()
    board = services.compute_dashboard(scope, period, date.today())
    return render_template(
        "indicators/dashboard.html", board=board, messages=messages, charts=_charts(board),
        sections=services.SECTIONS, max_months=services.MAX_MONTHS,
        regions=services.all_regions() if current_user.role is Role.ADMIN else [],
        **_page_helpers(scope)), 422 if messages else 200


@bp.route("/list/<indicator>")
@role_required(Role.STAFF, Role.ADMIN)
def indicator_list(indicator):
    chosen = services.INDICATORS.get(indicator) or abort(404)
    scope, period, messages = _filters()
    rows = services.indicator_rows(chosen, scope, period, date.today(), viewer=current_user)
    db.session.commit()  # keeps the audit event of the view
    regions = {r.id: r for r in services.all_regions()} if scope.region_ids is None else {}
    return render_template(
        "indicators/list.html", indicator=chosen, rows=rows, period=period, scope=scope,
        figure=services.figure(chosen.kind, rows), messages=messages, regions=regions,
        **_page_helpers(scope)), 422 if messages else 200


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
