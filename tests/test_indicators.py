"""The monitoring dashboard: every indicator on hand-built rows with known answers, region
isolation, the date range, the list behind each figure, the SVG charts and the pages.

The figures are read from the stored aggregates (refreshed by each `board_for`); a test checks
them against the direct computation (services.compute_dashboard) for every scope and period."""

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, time
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases.models import (
    CheckIn,
    CheckInOutcome,
    ReleaseRecord,
    Reoffence,
    ReoffenceKind,
)
from marketplace.demo.seed import demo_bin
from marketplace.employers.models import EmployerOrganisation, Vacancy, VacancyStatus
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    ContractType,
    Employment,
    EmploymentStatus,
)
from marketplace.incentives.models import (
    BudgetAccount,
    BudgetEntry,
    Claim,
    ClaimStatus,
    EntryKind,
    IncentiveProgramme,
    Payment,
    PaymentRun,
    ProgrammeKind,
    ProgrammeRuleVersion,
)
from marketplace.indicators import aggregates, board, charts, services
from marketplace.indicators.facts import Period, add_months
from marketplace.indicators.models import IndicatorRefresh, IndicatorRow
from marketplace.reference.models import Region

TODAY = date(2025, 12, 15)
YEAR = Period(date(2025, 1, 1), date(2025, 12, 1))
ASTANA, KARAGANDA = "KZ-AST", "KZ-KAR"
SVG = "{http://www.w3.org/2000/svg}"


def m(year, month):
    return date(year, month, 1)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


class Builder:
    """Rows made directly with the models, dated by hand."""

    def __init__(self, db, make_user):
        self.db, self.make_user = db, make_user
        self.staff = {code: make_user("staff", region_code=code) for code in (ASTANA, KARAGANDA)}
        self.clerk = self.staff[ASTANA].id
        self.programme = IncentiveProgramme(
            code="test-wage-subsidy", kind=ProgrammeKind.WAGE_SUBSIDY, name_kk="Бағдарлама",
            name_ru="Программа", name_en="Programme", active_from=m(2020, 1))
        self.programme.versions.append(ProgrammeRuleVersion(effective_from=m(2020, 1), rules={}))
        db.session.add(self.programme)
        db.session.flush()
        self.bins = iter(range(900, 999))

    def region(self, code) -> Region:
        return self.db.session.scalar(select(Region).where(Region.code == code))

    def add(self, row):
        self.db.session.add(row)
        self.db.session.flush()
        return row

    def candidate(self, name, code, registered, *, released=None, verified=None):
        self.db.session.commit()  # make_user writes through its own connection (SQLite locks)
        user = self.make_user("candidate", region_code=code, full_name=name)
        profile = self.db.session.scalar(select(CandidateProfile).where(
            CandidateProfile.user_id == user.id))
        profile.created_at = noon(registered)
        if released:
            self.add(ReleaseRecord(profile_id=profile.id, release_date=released,
                                   details={"institution": "УК-161/2", "document": "справка"},
                                   verified_by_id=self.clerk, verified_at=noon(verified)))
        return profile

    def organisation(self, name, code):
        return self.add(EmployerOrganisation(bin=demo_bin(next(self.bins)), name=name,
                                             region_id=self.region(code).id))

    def vacancy(self, org, *, published, status=VacancyStatus.OPEN, changed=None):
        return self.add(Vacancy(organisation_id=org.id, title="Сварщик", region_id=org.region_id,
                                status=status, published_at=noon(published),
                                updated_at=noon(changed or published)))

    def application(self, profile, vacancy, applied, status=ApplicationStatus.HIRED):
        return self.add(Application(profile_id=profile.id, vacancy_id=vacancy.id, status=status,
                                    created_at=noon(applied)))

    def hire(self, profile, vacancy, start, *, applied, end=None,
             status=EmploymentStatus.CONFIRMED):
        application = self.application(profile, vacancy, applied)
        return self.add(Employment(
            application_id=application.id, start_date=start, end_date=end,
            status=EmploymentStatus.ENDED if end else status, monthly_wage=Decimal("150000"),
            hours_per_week=40, contract_type=ContractType.PERMANENT, recorded_by_id=self.clerk))

    def account(self, code) -> BudgetAccount:
        region_id = self.region(code).id
        return self.db.session.scalar(select(BudgetAccount).where(
            BudgetAccount.region_id == region_id)) or self.add(
            BudgetAccount(programme_id=self.programme.id, region_id=region_id))

    def entry(self, code, kind, amount, *, claim=None, month=None):
        return self.add(BudgetEntry(account_id=self.account(code).id, kind=kind,
                                    amount=Decimal(amount), claim_id=getattr(claim, "id", None),
                                    month=month))

    def claim(self, employment, status, *, paid=(), amount="0", code=ASTANA):
        org_id = employment.application.vacancy.organisation_id
        claim = self.add(Claim(employment_id=employment.id, programme_id=self.programme.id,
                               region_id=self.region(code).id, organisation_id=org_id,
                               rule_version_id=self.programme.versions[0].id, status=status,
                               created_by_id=self.clerk))
        for month in paid:
            run = self.add(PaymentRun(month=month))
            self.add(Payment(claim_id=claim.id, month=month, amount=Decimal(amount),
                             run_id=run.id))
            self.entry(code, EntryKind.PAYMENT, amount, claim=claim, month=month)
        return claim

    def left(self, employment, months):
        return self.add(CheckIn(employment_id=employment.id, months_after=months,
                                due_on=add_months(employment.start_date, months),
                                outcome=CheckInOutcome.LEFT, left_reason="переехал"))

    def check_in(self, employment, months, recorded, outcome, satisfaction):
        return self.add(CheckIn(employment_id=employment.id, months_after=months,
                                due_on=add_months(employment.start_date, months),
                                outcome=outcome, satisfaction=satisfaction,
                                recorded_by_id=self.clerk, recorded_at=noon(recorded)))

    def reoffence(self, profile, kind, on):
        return self.add(Reoffence(profile_id=profile.id, kind=kind, occurred_on=on,
                                  details={"note": "секретно"}, recorded_by_id=self.clerk))


@pytest.fixture
def world(db, make_user):
    """Astana: Aida (subsidised, stays), Bolat (left after two months), Dana (an old subsidised
    job she left, then a new one), Erlan (applied only). Karaganda: Kairat. See each test."""
    b = Builder(db, make_user)
    works = b.organisation("ТОО «Жұмыс»", ASTANA)
    steel = b.organisation("ТОО «Болат»", ASTANA)
    coal = b.organisation("ТОО «Көмір»", KARAGANDA)
    welders = b.vacancy(works, published=m(2024, 1))                   # open all along
    old = b.vacancy(steel, published=m(2024, 9), status=VacancyStatus.FILLED,
                    changed=date(2024, 10, 5))
    spring = b.vacancy(steel, published=m(2025, 4), status=VacancyStatus.CLOSED,
                       changed=date(2025, 5, 2))
    mine = b.vacancy(coal, published=m(2025, 3))

    aida = b.candidate("Аида Серикова", ASTANA, date(2025, 2, 10), released=m(2024, 12),
                       verified=date(2025, 2, 12))
    bolat = b.candidate("Болат Ахметов", ASTANA, date(2025, 2, 20),
                        released=date(2025, 1, 10), verified=date(2025, 3, 5))
    dana = b.candidate("Дана Омарова", ASTANA, m(2024, 6))
    erlan = b.candidate("Ерлан Жумабаев", ASTANA, m(2025, 7))
    kairat = b.candidate("Кайрат Нурланов", KARAGANDA, m(2025, 3), released=m(2025, 1),
                         verified=date(2025, 3, 2))

    aida_job = b.hire(aida, welders, m(2025, 3), applied=date(2025, 2, 15))
    bolat_job = b.hire(bolat, welders, date(2025, 3, 15), applied=date(2025, 2, 25),
                       end=date(2025, 5, 20))
    dana_old = b.hire(dana, old, m(2024, 10), applied=m(2024, 9))
    dana_new = b.hire(dana, spring, m(2025, 5), applied=date(2025, 4, 10))
    b.application(erlan, welders, m(2025, 7), status=ApplicationStatus.REJECTED)
    b.hire(erlan, welders, m(2025, 8), applied=date(2025, 7, 2),
           status=EmploymentStatus.RECORDED)                              # never confirmed
    kairat_job = b.hire(kairat, mine, m(2025, 4), applied=date(2025, 3, 20))

    b.left(dana_old, 3)   # the employer never recorded an end; the 3-month check-in did
    b.check_in(bolat_job, 1, date(2025, 4, 20), CheckInOutcome.EMPLOYED, 5)
    b.check_in(aida_job, 3, date(2025, 6, 3), CheckInOutcome.EMPLOYED, 8)
    b.check_in(kairat_job, 3, date(2025, 7, 2), CheckInOutcome.EMPLOYED, 10)
    aida_claim = b.claim(aida_job, ClaimStatus.ACTIVE, paid=(m(2025, 3), m(2025, 4)),
                         amount="30000")
    b.entry(ASTANA, EntryKind.CLAWBACK, "10000", claim=aida_claim, month=m(2025, 4))
    dana_claim = b.claim(dana_old, ClaimStatus.COMPLETED,
                         paid=(m(2024, 10), m(2024, 11), m(2024, 12)), amount="20000")
    b.claim(bolat_job, ClaimStatus.REJECTED)                              # not a subsidy
    b.entry(ASTANA, EntryKind.ALLOCATION, "1000000")
    b.entry(KARAGANDA, EntryKind.ALLOCATION, "500000")

    b.reoffence(bolat, ReoffenceKind.NEW_CONVICTION, date(2025, 9, 3))
    b.reoffence(kairat, ReoffenceKind.REINCARCERATION, date(2025, 8, 10))
    db.session.commit()
    return SimpleNamespace(
        b=b, astana=b.region(ASTANA), karaganda=b.region(KARAGANDA), works=works, steel=steel,
        aida_claim=aida_claim, dana_claim=dana_claim, jobs=SimpleNamespace(
            aida=aida_job, bolat=bolat_job, dana_old=dana_old, dana_new=dana_new,
            kairat=kairat_job))


def scope_of(region=None):
    return services.Scope(None if region is None else frozenset({region.id}), region)


def board_for(region=None, period=YEAR, today=TODAY):
    """The dashboard as the page reads it: counted as of `today`, then read from the tables."""
    refreshed = aggregates.refresh(today)
    return board.read_dashboard(scope_of(region), period, refreshed)


def monthly(result):
    """{month: value} of the months with a non-zero figure."""
    return {month: f.value for month, f in result.by_month.items() if f.rows}


# ----------------------------------------------------------------------------- each indicator
def test_counts_of_candidates_applications_and_hires(world):
    r = board_for(world.astana).results
    assert monthly(r["registered"]) == {m(2025, 2): 2, m(2025, 7): 1}   # Dana: 2024
    assert r["registered"].total.value == 3
    assert monthly(r["verified"]) == {m(2025, 2): 1, m(2025, 3): 1}
    # Erlan's rejected application counts: an application is an application.
    assert monthly(r["applications"]) == {m(2025, 2): 2, m(2025, 4): 1, m(2025, 7): 2}
    # Confirmed and ended jobs by start month; Erlan's unconfirmed one is not a hire.
    assert monthly(r["hires"]) == {m(2025, 3): 2, m(2025, 5): 1}
    assert r["hires"].total.value == 3


def test_subsidised_hires_need_a_granted_claim(world):
    r = board_for(world.astana).results
    assert monthly(r["subsidised"]) == {m(2025, 3): 1}                  # Aida (active claim)
    assert monthly(r["unsubsidised"]) == {m(2025, 3): 1, m(2025, 5): 1}  # Bolat's was rejected
    assert (r["subsidised"].total.value + r["unsubsidised"].total.value
            == r["hires"].total.value)


def test_median_days_to_the_first_job(world):
    r = board_for(world.astana).results
    # Aida: released 1 Dec 2024, started 1 Mar 2025 = 90 days; Bolat: 10 Jan → 15 Mar = 64.
    release = r["days_from_release"]
    assert (release.total.value, release.total.denominator) == (77, 2)
    assert monthly(release) == {m(2025, 3): 77}
    # From registration: Aida 10 Feb → 1 Mar = 19, Bolat 20 Feb → 15 Mar = 23. Dana's first
    # job started in 2024, outside the period, and her second is not a first job.
    registration = r["days_from_registration"]
    assert (registration.total.value, registration.total.denominator) == (21, 2)


def test_employment_at_3_6_12_months_counts_left_check_ins_and_only_old_enough_hires(world):
    r = board_for(world.astana).results
    three = r["retention_3"]
    # Dana's old job: 3-month point 1 Jan 2025, "left" at the 3-month check-in → not employed.
    # Aida 1 Jun (employed), Bolat 15 Jun (ended 20 May), Dana's new job 1 Aug (employed).
    assert (three.total.numerator, three.total.denominator) == (2, 4)
    assert three.total.value == pytest.approx(0.5)
    assert {month: (f.numerator, f.denominator) for month, f in three.by_month.items()
            if f.rows} == {m(2025, 1): (0, 1), m(2025, 6): (1, 2), m(2025, 8): (1, 1)}
    six = r["retention_6"]
    assert (six.total.numerator, six.total.denominator) == (2, 4)
    # At 12 months only Dana's old job is old enough (Aida's point, 1 Mar 2026, is to come).
    twelve = r["retention_12"]
    assert (twelve.total.numerator, twelve.total.denominator) == (0, 1)
    assert monthly(twelve) == {m(2025, 10): 0.0}


def test_retention_waits_until_the_point_has_passed(world):
    early = board_for(world.astana, today=date(2025, 6, 10)).results["retention_3"]
    # On 10 June Bolat's 3-month point (15 June) has not come yet.
    assert (early.total.numerator, early.total.denominator) == (1, 2)


def test_median_satisfaction_at_check_ins(world):
    satisfaction = board_for(world.astana).results["satisfaction"]
    # Bolat said 5 in April, Aida 8 in June; Dana's "left" check-in has no score; Kairat is
    # in Karaganda.
    assert monthly(satisfaction) == {m(2025, 4): 5, m(2025, 6): 8}
    assert (satisfaction.total.value, satisfaction.total.denominator) == (6.5, 2)


def test_employment_after_the_subsidy_ended(world):
    r = board_for(world.astana).results
    # Dana's subsidy: last paid month Dec 2024 → 2 quarters later is 30 June 2025, when she
    # worked in her new job (another employer counts too).
    two = r["after_subsidy_2q"]
    assert (two.total.numerator, two.total.denominator) == (1, 1)
    assert monthly(two) == {m(2025, 6): 1.0}
    # 4 quarters later is 31 Dec 2025: after "today", so not counted yet; Aida's is still paid.
    assert r["after_subsidy_4q"].total.denominator == 0
    later = board_for(world.astana, Period(m(2025, 12), m(2025, 12)), date(2026, 1, 5))
    assert later.results["after_subsidy_4q"].total.numerator == 1


def test_spend_against_budget(world):
    board = board_for(world.astana)
    spend = board.results["spend"]
    # Aida's claim: 30 000 for March; 30 000 − 10 000 clawed back for April. Dana's were 2024.
    assert monthly(spend) == {m(2025, 3): Decimal("30000.00"), m(2025, 4): Decimal("20000.00")}
    assert spend.total.value == Decimal("50000.00")
    [line] = board.budget
    assert line.region.code == ASTANA
    assert line.allocated == Decimal("1000000.00")
    assert line.spent_to_date == Decimal("110000.00")       # 60 000 + 60 000 − 10 000
    assert line.spent_in_period == Decimal("50000.00")
    assert line.share_used == pytest.approx(0.11)


def test_cost_per_retained_job(world):
    cost = board_for(world.astana).results["cost_per_retained_job"]
    # Subsidised hires at their 6-month point in 2025: Aida (1 Sep, employed, 50 000 net) and
    # Dana's old job (1 Apr, had left, 60 000). 110 000 for one retained job.
    assert cost.total.value == Decimal("110000.00")
    assert (cost.total.numerator, cost.total.denominator) == (Decimal("110000.00"), 1)
    assert cost.by_month[m(2025, 4)].value is None            # nobody retained that month


def test_employers_taking_part_count_each_organisation_once(world):
    employers = board_for(world.astana).results["employers"]
    # «Жұмыс» has a vacancy open all year; «Болат» one open 1 April – 2 May and a hire in May.
    counts = {month: f.value for month, f in employers.by_month.items()}
    assert counts[m(2025, 1)] == 1 and counts[m(2025, 4)] == 2 and counts[m(2025, 5)] == 2
    assert counts[m(2025, 6)] == 1
    assert employers.total.value == 2


def test_recorded_reoffences(world):
    astana = board_for(world.astana).results
    assert monthly(astana["new_convictions"]) == {m(2025, 9): 1}
    assert astana["reincarcerations"].total.value == 0
    karaganda = board_for(world.karaganda).results
    assert monthly(karaganda["reincarcerations"]) == {m(2025, 8): 1}


# ----------------------------------------------------------------------------- scope and period
def test_a_region_never_counts_another_regions_rows(world):
    astana, karaganda, everyone = (board_for(world.astana), board_for(world.karaganda),
                                   board_for())
    for key in ("registered", "verified", "applications", "hires", "reincarcerations"):
        assert (astana.results[key].total.value + karaganda.results[key].total.value
                == everyone.results[key].total.value), key
    assert karaganda.results["registered"].total.value == 1
    assert karaganda.results["hires"].total.value == 1
    assert karaganda.results["spend"].total.value == 0
    assert [line.region.code for line in karaganda.budget] == [KARAGANDA]
    assert everyone.results["registered"].by_region == {
        world.astana.id: services.Figure(3, rows=3), world.karaganda.id: services.Figure(1, rows=1)}


def test_staff_are_held_to_their_region_and_admins_may_choose(world, db, make_user):
    staff = db.session.get(User, world.b.staff[ASTANA].id)
    assert services.scope_for(staff, "").region_ids == frozenset({world.astana.id})
    assert services.scope_for(staff, ASTANA).region_ids == frozenset({world.astana.id})
    assert services.scope_for(staff, KARAGANDA) is None
    admin = db.session.get(User, make_user("admin").id)
    assert services.scope_for(admin, "").region_ids is None
    assert services.scope_for(admin, KARAGANDA).region_ids == frozenset({world.karaganda.id})
    assert services.scope_for(admin, "KZ-NOWHERE") is None
    assert services.scope_for(admin, "KZ-AST\x00") is None
    assert services.scope_for(staff, "\x00") is None


def test_a_date_range_counts_only_its_months(world):
    spring = board_for(world.astana, Period(m(2025, 3), m(2025, 4))).results
    assert [*spring["hires"].by_month] == [m(2025, 3), m(2025, 4)]
    assert spring["hires"].total.value == 2
    assert spring["registered"].total.value == 0
    assert spring["spend"].total.value == Decimal("50000.00")
    assert spring["employers"].total.value == 2


@pytest.mark.parametrize("args, expected, message", [
    ({}, (m(2025, 1), m(2025, 12)), False),
    ({"from": "2025-03", "to": "2025-05"}, (m(2025, 3), m(2025, 5)), False),
    ({"month": "2024-02"}, (m(2024, 2), m(2024, 2)), False),
    ({"from": "2025-13", "to": "2025-05"}, (m(2025, 1), m(2025, 12)), True),
    ({"from": "март", "to": ""}, (m(2025, 1), m(2025, 12)), True),
    ({"from": "2025-06", "to": "2025-02"}, (m(2025, 1), m(2025, 12)), True),
    ({"from": "2023-01", "to": "2024-12"}, (m(2023, 1), m(2024, 12)), False),
    ({"from": "2022-12", "to": "2024-12"}, (m(2025, 1), m(2025, 12)), True),   # 25 months
    ({"month": "2025-1"}, (m(2025, 1), m(2025, 12)), True),
    ({"from": "2025-03\x00"}, (m(2025, 1), m(2025, 12)), True),
    ({"from": "9999-01", "to": "9999-12"}, (m(2025, 1), m(2025, 12)), True),
])
def test_reading_the_period(args, expected, message):
    period, messages = services.read_period(args, TODAY)
    assert (period.first, period.last) == expected
    assert bool(messages) is message


# ----------------------------------------------------------------------------- charts
def _svg(markup) -> ET.Element:
    svg = ET.fromstring(str(markup))  # noqa: S314 - our own markup
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img" and svg.get("aria-label")
    assert svg.find(f"{SVG}title").text == svg.get("aria-label")
    assert svg.find(f"{SVG}desc").text
    assert not [e for e in svg.iter() if "style" in e.attrib or e.tag == f"{SVG}script"]
    return svg


def test_bar_chart_is_valid_accessible_svg():
    labels = ["Jan <25>", "Feb", "Mar"]
    svg = _svg(charts.bar_chart("Hires & «subsidies»", labels, [
        charts.Series("Subsidised", [1, 0, 4]), charts.Series("Unsubsidised", [2, 3, None])]))
    # Each series' bars in a group of its colour (the legend's swatch names it).
    groups = {g.get("fill"): [r for r in g.iter(f"{SVG}rect")] for g in svg.iter(f"{SVG}g")}
    assert set(groups) == set(charts.COLOURS[:2])
    assert sum(len(bars) for bars in groups.values()) == 4      # zero and missing: no bar
    assert "Subsidised: Jan <25> 1; Feb 0; Mar 4." in svg.find(f"{SVG}desc").text
    heights = {(fill, r.find(f"{SVG}title").text): float(r.get("height"))
               for fill, bars in groups.items() for r in bars}
    subsidised, unsubsidised = charts.COLOURS[:2]
    assert heights[subsidised, "Mar: 4"] == pytest.approx(2 * heights[unsubsidised,
                                                                      "Jan <25>: 2"])


def test_line_chart_breaks_where_a_month_has_no_figure():
    svg = _svg(charts.line_chart("Retention", ["a", "b", "c", "d"], [
        charts.Series("3 months", [0.5, None, 1.0, 0.75])], format_value=lambda v: f"{v:.0%}"))
    assert len(list(svg.iter(f"{SVG}polyline"))) == 1            # only c–d join up
    dots = list(svg.iter(f"{SVG}circle"))
    assert len(dots) == 3 and dots[0].find(f"{SVG}title").text == "3 months, a: 50%"
    assert "3 months: a 50%; b —; c 100%; d 75%." in svg.find(f"{SVG}desc").text


def test_an_empty_series_still_draws_axes():
    svg = _svg(charts.bar_chart("Nothing yet", ["a", "b"], [charts.Series("x", [0, 0])]))
    assert list(svg.iter(f"{SVG}line"))


# ----------------------------------------------------------------------------- pages
def test_staff_dashboard_shows_their_region_with_definitions_and_charts(world, client, login):
    login(world.b.staff[ASTANA])
    response = client.get("/staff/dashboard/?from=2025-01&to=2025-12")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(response.data) < 100_000
    assert "style=" not in html and "<script" not in html
    for indicator in services.INDICATORS.values():
        assert str(indicator.definition) in html.replace("&#39;", "'")
    assert html.count('role="img"') == 5
    assert 'href="list/hires?month=2025-03"' in html
    assert 'name="region"' not in html                         # staff cannot pick a region
    assert '<a href="list/registered?from=2025-01&amp;to=2025-12">3</a>' in html


def test_staff_never_see_another_region(world, client, login):
    login(world.b.staff[KARAGANDA])
    html = client.get("/staff/dashboard/?from=2025-01&to=2025-12").get_data(as_text=True)
    assert "KZ-AST" not in html
    assert client.get("/staff/dashboard/?region=KZ-AST").status_code == 404
    assert client.get("/staff/dashboard/list/registered?region=KZ-AST").status_code == 404
    listed = client.get("/staff/dashboard/list/registered?from=2025-01&to=2025-12")
    text = listed.get_data(as_text=True)
    assert "Кайрат Нурланов" in text and "Аида Серикова" not in text


def test_admin_sees_every_region_and_can_filter(world, client, login, make_user):
    login(make_user("admin"))
    html = client.get("/staff/dashboard/?from=2025-01&to=2025-12").get_data(as_text=True)
    assert 'name="region"' in html
    # Every region together by month, with charts; the regions side by side on their own view.
    assert html.count('role="img"') == 5 and "list/registered?month=2025-02" in html
    assert "region=KZ-KAR" not in html and "view=regions" in html
    regions = client.get("/staff/dashboard/?from=2025-01&to=2025-12&view=regions")
    by_region = regions.get_data(as_text=True)
    assert 'role="img"' not in by_region and 'name="view" value="regions"' in by_region
    assert "list/registered?region=KZ-KAR&amp;from=2025-01&amp;to=2025-12" in by_region
    assert "Subsidy spend against the budget" in by_region and "KZ-AST" in by_region
    for indicator in services.INDICATORS.values():
        assert str(indicator.definition) in by_region.replace("&#39;", "'")
    filtered = client.get("/staff/dashboard/?region=KZ-KAR&from=2025-01&to=2025-12")
    assert filtered.status_code == 200
    assert "list/registered?region=KZ-AST" not in filtered.get_data(as_text=True)
    assert client.get("/staff/dashboard/?region=KZ-NOWHERE").status_code == 404


def test_bad_months_give_a_message_and_the_default_period(world, client, login):
    login(world.b.staff[ASTANA])
    response = client.get("/staff/dashboard/?from=2025-99&to=x")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "showing the last 12 months" in html
    assert f'value="{date.today():%Y-%m}"' in html
    assert client.get("/staff/dashboard/list/hires?month=%00").status_code == 422
    assert client.get("/staff/dashboard/?region=%00").status_code == 404


def _listed_names(html) -> list[str]:
    names = ["Аида Серикова", "Болат Ахметов", "Дана Омарова", "Ерлан Жумабаев",
             "Кайрат Нурланов"]
    return sorted(n for n in names if n in html)


@pytest.mark.parametrize("indicator, query, expected", [
    ("hires", "month=2025-03", ["Аида Серикова", "Болат Ахметов"]),
    ("registered", "from=2025-01&to=2025-12", ["Аида Серикова", "Болат Ахметов",
                                                "Ерлан Жумабаев"]),
    ("retention_3", "month=2025-06", ["Аида Серикова", "Болат Ахметов"]),
    ("after_subsidy_2q", "from=2025-01&to=2025-12", ["Дана Омарова"]),
    ("unsubsidised", "from=2025-01&to=2025-12", ["Болат Ахметов", "Дана Омарова"]),
    ("new_convictions", "from=2025-01&to=2025-12", ["Болат Ахметов"]),
    ("satisfaction", "from=2025-01&to=2025-12", ["Аида Серикова", "Болат Ахметов"]),
])
def test_the_list_behind_a_figure_has_exactly_its_rows(world, client, login, indicator, query,
                                                      expected):
    login(world.b.staff[ASTANA])
    response = client.get(f"/staff/dashboard/list/{indicator}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _listed_names(html) == expected
    assert f"{len(expected)} row" in html
    for secret in ("секретно", "УК-161/2", "справка", "переехал"):
        assert secret not in html                              # never conviction details


def _all_pages(indicator, scope, period, viewer) -> list:
    rows, page = [], 1
    while True:
        listed = board.list_page(indicator, scope, period, page, viewer=viewer)
        rows += listed.rows
        if not listed.has_next:
            return rows
        page += 1


def test_list_rows_are_the_rows_the_figure_counts(world, db, monkeypatch):
    monkeypatch.setattr(board, "PAGE_SIZE", 2)  # several pages even on a few rows
    scope = scope_of(world.astana)
    staff = db.session.get(User, world.b.staff[ASTANA].id)
    dashboard = board_for(world.astana)
    for key, indicator in services.INDICATORS.items():
        for month, fig in dashboard.results[key].by_month.items():
            period = Period(month, month)
            rows = _all_pages(indicator, scope, period, staff)
            # The very rows, names included, that the direct computation gives, in its order.
            assert rows == services.indicator_rows(indicator, scope, period, TODAY), (key, month)
            assert board.list_page(indicator, scope, period, 1, viewer=staff).figure == fig
    employers = _all_pages(services.INDICATORS["employers"], scope, YEAR, staff)
    assert sorted(r.employer for r in employers) == ["ТОО «Болат»", "ТОО «Жұмыс»"]
    assert {r.employer: r.detail for r in employers}["ТОО «Болат»"] == "hire vacancy"


def test_viewing_a_list_is_audited(world, client, login, app):
    login(world.b.staff[ASTANA])
    client.get("/staff/dashboard/list/verified?from=2025-01&to=2025-12")
    with app.app_context():
        from marketplace.extensions import db

        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "indicators:list"))
        assert event.object_id == "verified" and event.actor_id == world.b.staff[ASTANA].id
        assert event.details["count"] == 2 and event.details["region"] == ASTANA


def test_unknown_indicator_is_404(world, client, login):
    login(world.b.staff[ASTANA])
    assert client.get("/staff/dashboard/list/happiness").status_code == 404


def test_claim_numbers_link_to_the_review_for_staff_only(world, client, login, make_user):
    login(world.b.staff[ASTANA])
    html = client.get("/staff/dashboard/list/subsidised?from=2025-01&to=2025-12").get_data(
        as_text=True)
    assert f'href="/staff/claims/{world.aida_claim.id}"' in html
    client.post("/logout")
    login(make_user("admin"))
    html = client.get("/staff/dashboard/list/subsidised?from=2025-01&to=2025-12").get_data(
        as_text=True)
    assert f"№ {world.aida_claim.id}" in html and "/staff/claims/" not in html
    assert "Region" in html


def test_staff_without_a_region_see_nothing_counted(client, login, make_user, db):
    staff = make_user("staff")
    user = db.session.get(User, staff.id)
    user.region_id = None
    db.session.commit()
    login(staff)
    response = client.get("/staff/dashboard/")
    assert response.status_code == 200
    assert "not attached to a region" in response.get_data(as_text=True)



# ----------------------------------------------------------------------------- stored aggregates
def _periods_until(today):
    last = today.replace(day=1)
    return [period for period in (
        YEAR, Period(m(2024, 1), m(2025, 12)), Period(m(2025, 3), m(2025, 4)),
        Period(m(2024, 10), m(2024, 10)), Period(m(2025, 6), last), Period(last, last))
        if period.last <= last]


@pytest.mark.parametrize("today", [TODAY, date(2025, 6, 10), date(2026, 1, 5)])
def test_stored_figures_are_the_direct_computation(world, today):
    """Every indicator, by month, by region and in total, for every scope and period up to the
    count: the aggregates give exactly what computing from every row gives."""
    refreshed = aggregates.refresh(today)
    for region in (None, world.astana, world.karaganda):
        for period in _periods_until(today):
            stored = board.read_dashboard(scope_of(region), period, refreshed)
            direct = services.compute_dashboard(scope_of(region), period, today)
            for key in services.INDICATORS:
                assert stored.results[key] == direct.results[key], (key, region, period)
            assert stored.budget == direct.budget
            assert stored.regions == direct.regions


def test_the_demo_gives_the_same_figures_stored_and_direct(app):
    """The demo (seed-demo counts at the end) on today's default period."""
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        refreshed = aggregates.latest_refresh()
        assert refreshed is not None and refreshed.as_of == date.today()
        period = services.default_period(date.today())
        stored = board.read_dashboard(services.Scope(None), period, refreshed)
        direct = services.compute_dashboard(services.Scope(None), period, date.today())
        assert stored.results == direct.results and stored.budget == direct.budget


def test_an_open_vacancy_is_not_counted_for_months_after_the_count(world):
    """What lasts is counted up to the last month with anything in it (the count's month at
    least): a vacancy open today is not yet "open" in months to come."""
    refreshed = aggregates.refresh(TODAY)
    assert refreshed.last_month == m(2025, 12)
    future = Period(m(2026, 1), m(2026, 2))
    stored = board.read_dashboard(scope_of(world.astana), future, refreshed)
    assert stored.results["employers"].total.value == 0
    december = board.read_dashboard(scope_of(world.astana), Period(m(2025, 12), m(2025, 12)),
                                    refreshed)
    assert december.results["employers"].total.value == 1               # «Жұмыс»


def _stored(db):
    return db.session.execute(select(
        IndicatorRow.indicator, IndicatorRow.seq, IndicatorRow.subject, IndicatorRow.month,
        IndicatorRow.region_id, IndicatorRow.hit, IndicatorRow.measure, IndicatorRow.amount)
        .order_by(IndicatorRow.indicator, IndicatorRow.seq)).all()


def test_refreshing_again_replaces_the_figures_with_the_same_ones(world, db):
    aggregates.refresh(TODAY)
    db.session.commit()
    first = _stored(db)
    aggregates.refresh(TODAY)
    db.session.commit()
    assert _stored(db) == first and first
    assert db.session.scalar(select(func.count()).select_from(IndicatorRefresh)) == 2
    assert aggregates.latest_refresh().row_count == len(first)


def test_a_failed_refresh_leaves_the_previous_figures(world, db, monkeypatch):
    aggregates.refresh(TODAY)
    db.session.commit()
    before = _stored(db)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(aggregates, "_store_budgets", broken)
    with pytest.raises(RuntimeError):
        aggregates.refresh(date(2026, 1, 5))
    db.session.rollback()
    assert _stored(db) == before
    assert aggregates.latest_refresh().as_of == TODAY


def test_the_refresh_command_counts_everything(app, world, db):
    result = app.test_cli_runner().invoke(args=["indicators", "refresh"])
    assert result.exit_code == 0, result.output
    refreshed = aggregates.latest_refresh()
    assert f"{refreshed.row_count} rows" in result.output
    assert refreshed.row_count == len(_stored(db)) > 0
    assert refreshed.first_month == m(2024, 1)           # «Жұмыс»'s vacancy opened then


def test_with_redis_the_refresh_goes_to_the_rq_queue(app, world, db, monkeypatch):
    from rq import Queue

    from marketplace.indicators import jobs

    captured = []
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:6379/15")
    monkeypatch.setattr(Queue, "enqueue", lambda queue, f, *args, **kwargs: captured.append(
        (queue.name, f, kwargs)))
    result = app.test_cli_runner().invoke(args=["indicators", "refresh", "--queue"])
    assert result.exit_code == 0 and "queued" in result.output
    assert captured == [("exports", jobs.run_queued_refresh, {"job_timeout": jobs.JOB_TIMEOUT})]
    assert aggregates.latest_refresh() is None
    monkeypatch.setattr(jobs, "_worker_app", lambda: app)
    jobs.run_queued_refresh()                                   # what the worker does
    db.session.rollback()
    assert aggregates.latest_refresh() is not None


# ----------------------------------------------------------------------------- when counted
def test_the_first_view_counts_on_a_development_server_and_says_when(world, client, login,
                                                                     db):
    login(world.b.staff[ASTANA])
    assert aggregates.latest_refresh() is None
    html = client.get("/staff/dashboard/?from=2025-01&to=2025-12").get_data(as_text=True)
    db.session.rollback()
    refreshed = aggregates.latest_refresh()
    assert refreshed is not None and "Figures as of" in html
    client.get("/staff/dashboard/")
    db.session.rollback()
    assert aggregates.latest_refresh().id == refreshed.id        # not counted on every view


def test_the_time_of_the_count_is_shown_in_the_readers_language(world, client, login, db):
    from babel.dates import format_datetime

    refreshed = aggregates.refresh(TODAY)
    db.session.commit()
    login(world.b.staff[ASTANA])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    html = client.get("/staff/dashboard/?from=2025-01&to=2025-12").get_data(as_text=True)
    assert format_datetime(refreshed.finished_at, "long", locale="ru") in html
    later = client.get("/staff/dashboard/?from=2025-06&to=2026-01").get_data(as_text=True)
    assert "декабрь 2025" in later                              # the last month counted


def test_in_production_a_view_never_counts_and_says_why(world, client, login, app, db,
                                                        monkeypatch):
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    assert not aggregates.refreshes_on_view()
    login(world.b.staff[ASTANA])
    for path in ("/staff/dashboard/", "/staff/dashboard/list/hires"):
        response = client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "have not been counted yet" in html and "list/hires?" not in html
        assert "Аида Серикова" not in html
    db.session.rollback()
    assert aggregates.latest_refresh() is None


# ----------------------------------------------------------------------------- lists and queries
def test_a_long_list_is_paged(world, client, login, monkeypatch):
    monkeypatch.setattr(board, "PAGE_SIZE", 2)
    login(world.b.staff[ASTANA])
    path = "/staff/dashboard/list/registered?from=2025-01&to=2025-12"
    first = client.get(path).get_data(as_text=True)
    assert "3 rows counted" in first and "Page 1 of 2" in first
    assert _listed_names(first) == ["Аида Серикова", "Болат Ахметов"]   # in registration order
    assert "from=2025-01" in first and "page=2" in first
    second = client.get(f"{path}&page=2").get_data(as_text=True)
    assert _listed_names(second) == ["Ерлан Жумабаев"] and "Page 2 of 2" in second
    assert _listed_names(client.get(f"{path}&page=99").get_data(as_text=True)) == [
        "Ерлан Жумабаев"]                                        # past the end: the last page


def _more_of_astana(world):
    """Three more registrations, a hire with a check-in, an application: rows for every list."""
    b = world.b
    for n, day in enumerate((3, 4, 5)):
        person = b.candidate(f"Жаңа Адам {n}", ASTANA, date(2025, 3, day),
                             released=m(2025, 1), verified=date(2025, 3, day))
    job = b.hire(person, b.vacancy(world.works, published=m(2025, 2)), m(2025, 4),
                 applied=date(2025, 3, 20))
    b.check_in(job, 1, date(2025, 5, 2), CheckInOutcome.EMPLOYED, 7)
    b.db.session.commit()


def test_the_pages_make_the_same_queries_however_many_rows(world, client, login, db,
                                                           count_queries, make_user):
    from tests.querycount import assert_constant_queries

    admin = make_user("admin")
    pages = {"staff dashboard": (world.b.staff[ASTANA], "/staff/dashboard/?from=2025-01"),
             "admin dashboard": (admin, "/staff/dashboard/?from=2025-01"),
             "list": (world.b.staff[ASTANA], "/staff/dashboard/list/registered?from=2025-01"),
             "distinct list": (admin, "/staff/dashboard/list/employers?from=2025-01")}
    counted = {name: {} for name in pages}
    for size in (1, 2):
        if size == 2:
            _more_of_astana(world)
        aggregates.refresh()
        db.session.commit()
        for name, (user, path) in pages.items():
            login(user)
            with count_queries() as queries:
                assert client.get(path).status_code == 200
            counted[name][size] = queries
            client.post("/logout")
    for sizes in counted.values():
        assert_constant_queries(sizes)
    # The last count, then a GROUP BY for the sums, the distinct count and the medians per
    # grouping (month, region, whole period), budgets, regions: no reads of counted rows.
    assert counted["staff dashboard"][1].count == 12, counted["staff dashboard"][1].report()
    assert counted["admin dashboard"][1].count == 12, counted["admin dashboard"][1].report()
    # Seen again before the next count: the rendered figures are kept, no figure is read.
    login(world.b.staff[ASTANA])
    with count_queries() as again:
        client.get(pages["staff dashboard"][1])
    assert again.count == 3, again.report()
    # The list: sign-in, the count, its figure, one page of rows, the audit event, names.
    assert counted["list"][1].count == 9, counted["list"][1].report()
    assert counted["distinct list"][1].count == 10, counted["distinct list"][1].report()


def test_a_new_count_shows_at_once_though_the_page_was_kept(world, client, login, db):
    login(world.b.staff[ASTANA])
    path = "/staff/dashboard/?from=2025-01&to=2025-12"
    three = '<a href="list/registered?from=2025-01&amp;to=2025-12">3</a>'
    assert three in client.get(path).get_data(as_text=True)
    _more_of_astana(world)
    assert three in client.get(path).get_data(as_text=True)        # as of the last count
    aggregates.refresh()
    db.session.commit()
    html = client.get(path).get_data(as_text=True)
    assert '<a href="list/registered?from=2025-01&amp;to=2025-12">6</a>' in html
