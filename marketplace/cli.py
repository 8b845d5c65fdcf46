"""Command-line tasks: reference data, accounts, the demo, matching, budgets and payments."""

import click
from flask import Flask
from flask.cli import with_appcontext

from marketplace.extensions import db


@click.command("load-reference")
@with_appcontext
def load_reference_command():
    """Load or update regions, sectors, occupations and skills from the versioned files."""
    from marketplace.incentives.services import seed_programmes
    from marketplace.reference.services import load_reference_data

    counts = load_reference_data()
    counts["new incentive programmes"] = seed_programmes()
    db.session.commit()
    click.echo("Reference data loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@click.command("create-user")
@with_appcontext
@click.option("--role", type=click.Choice(["staff", "admin"]), required=True)
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--region", "region_code", help="Region code for staff, e.g. KZ-AST.")
@click.password_option()
def create_user_command(role, email, full_name, region_code, password):
    """Create a staff or admin account (the only ways are this command and the admin pages)."""
    from sqlalchemy import select

    from marketplace.admin.services import create_privileged_user
    from marketplace.auth.models import Role
    from marketplace.errors import DomainError
    from marketplace.reference.models import Region

    region = None
    if region_code:
        region = db.session.scalar(select(Region).where(Region.code == region_code))
        if region is None:
            raise click.BadParameter(f"unknown region code {region_code!r}", param_hint="--region")
    if len(password) < 8:
        raise click.BadParameter("at least 8 characters", param_hint="--password")
    try:
        user = create_privileged_user(role=Role(role), full_name=full_name, email=email,
                                      password=password, region=region, actor=None)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {role} account {user.email} (id {user.id}).")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo organisations, vacancies and candidates (idempotent)."""
    from marketplace.demo.seed import DEMO_PASSWORD, seed_demo

    logins = seed_demo()
    db.session.commit()
    click.echo(f"Demo data ready. Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, login in logins:
        click.echo(f"  {role:<10} {login}")


@click.command("seed-scale")
@click.option("--candidates", type=click.IntRange(1, 2_000_000), required=True)
@click.option("--vacancies", type=click.IntRange(1, 500_000), required=True)
@click.option("--seed", type=int, default=2026, show_default=True,
              help="The same seed on the same day writes the same data.")
@with_appcontext
def seed_scale_command(candidates, vacancies, seed):
    """Load the demo plus a national-size history into DATABASE_URL (after `db upgrade` and
    `load-reference`; refuses a database that already holds a bulk load)."""
    from marketplace.demo.scale import ScaleRefused, seed_scale

    try:
        seed_scale(candidates=candidates, vacancies=vacancies, seed=seed, echo=click.echo)
    except ScaleRefused as error:
        raise click.ClickException(str(error)) from None


@click.command("matching-train")
@click.option("--min-outcomes", type=int, default=None,
              help="Fewest recorded outcomes to train on (default: MATCHING_MIN_OUTCOMES).")
@with_appcontext
def matching_train_command(min_outcomes):
    """Fit the score weights on recorded hires and rejections; adopt them only if better."""
    from flask import current_app

    from marketplace.matches.services import train_weights

    minimum = min_outcomes or current_app.config["MATCHING_MIN_OUTCOMES"]
    run = train_weights(min_examples=minimum)
    db.session.commit()
    click.echo(f"Outcomes: {run.examples} (minimum {minimum}).")
    if run.current_ndcg is None:
        click.echo(f"Not trained ({run.reason}); the current weights stay.")
        return
    click.echo(f"NDCG@10 on held-out outcomes: current {run.current_ndcg:.4f}, "
               f"new {run.new_ndcg:.4f}.")
    click.echo("New weights adopted." if run.adopted else "Current weights kept (new not better).")
    click.echo("Weights: " + ", ".join(f"{k} {v:.1f}" for k, v in run.weights.items()))


@click.command("matching-build")
@click.option("--if-needed", is_flag=True,
              help="Only if this host has no snapshot, or one that replaying cannot update.")
@click.option("--min-version", type=int, default=0,
              help="Skip if the current snapshot covers this change-log id already.")
@with_appcontext
def matching_build_command(if_needed, min_version):
    """Build this host's matching snapshot now and make it current (workers map it on their
    next request). gunicorn runs it with --if-needed before the workers start."""
    from marketplace.matches import snapshots

    if if_needed and not snapshots.needs_build(snapshots.snapshot_root()):
        click.echo("The matching snapshot is up to date.")
        return
    try:
        pointer = snapshots.build_snapshot(min_version=min_version)
    except snapshots.BuildRunning as error:
        click.echo(str(error))
        return
    if pointer is None:
        click.echo(f"The current matching snapshot covers change {min_version} already.")
        return
    click.echo(f"Matching snapshot {pointer['dir']}: {pointer['candidates']} candidates, "
               f"{pointer['vacancies']} vacancies, changes up to {pointer['version']}; "
               f"built in {pointer['timings']['build_s']} s, "
               f"saved in {pointer['timings']['save_s']} s.")


@click.command("matching-refresh")
@with_appcontext
def matching_refresh_command():
    """Rebuild this host's matching snapshot (run daily on every host, e.g. from cron), so
    ended restrictions and expired certificates stop counting. With REDIS_URL the host's rq
    worker builds it; otherwise this process does. Web workers never rebuild."""
    from flask import current_app

    from marketplace.matches import jobs, snapshots

    if jobs.enqueue_build(min_version=snapshots.latest_change()):
        click.echo(f"Queued on {current_app.config['MATCHING_QUEUE']}.")
        return
    matching_build_command.callback(if_needed=False, min_version=0)


@click.group("payments")
def payments_group():
    """Subsidy payments."""


@payments_group.command("run")
@click.option("--month", "month_text", required=True, help="The month to pay, as YYYY-MM.")
@with_appcontext
def payments_run_command(month_text):
    """Pay every accepted month of MONTH once, print a summary and write the payment order."""
    from marketplace.incentives.payments import parse_month, run_payments

    try:
        month = parse_month(month_text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--month") from None
    summary = run_payments(month)
    click.echo(f"Payment run {summary.run_id} for {month:%Y-%m}: {len(summary.paid)} paid, "
               f"{summary.already_paid} already paid, {len(summary.failed)} failed; "
               f"total {summary.total:.2f} KZT")
    for claim_id, message in summary.failed:
        click.echo(f"  claim {claim_id} failed: {message}", err=True)
    click.echo(f"Payment order: {summary.order_file}")
    if summary.failed:
        raise SystemExit(1)


@click.command("budget-allocate")
@click.option("--programme", "programme_code", required=True)
@click.option("--region", "region_code", required=True)
@click.option("--amount", required=True, help="Tenge, e.g. 12000000 or 12000000.50")
@click.option("--note", default="")
@with_appcontext
def budget_allocate_command(programme_code, region_code, amount, note):
    """Add money to a programme's budget in a region (an allocation entry in the ledger)."""
    from decimal import Decimal, InvalidOperation

    from sqlalchemy import select

    from marketplace.incentives.budget import allocate, balance_for
    from marketplace.incentives.models import IncentiveProgramme
    from marketplace.reference.models import Region

    programme = db.session.scalar(select(IncentiveProgramme).where(
        IncentiveProgramme.code == programme_code))
    region = db.session.scalar(select(Region).where(Region.code == region_code))
    if programme is None or region is None:
        raise click.BadParameter("unknown programme or region code")
    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise click.BadParameter("not an amount", param_hint="--amount") from None
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise click.BadParameter("a positive amount with at most 2 decimals",
                                 param_hint="--amount")
    allocate(programme.id, region.id, value, actor=None, note=note)
    db.session.commit()
    click.echo(f"Available now: {balance_for(programme.id, region.id).available:.2f} KZT")


@click.group("indicators")
def indicators_group():
    """The monitoring dashboard's figures."""


@indicators_group.command("refresh")
@click.option("--queue", is_flag=True,
              help="Hand the count to the rq worker (REDIS_URL) instead of counting here.")
@with_appcontext
def indicators_refresh_command(queue):
    """Count every indicator for every region and replace the stored figures in one
    transaction (idempotent; run it from the scheduler, e.g. every hour)."""
    import time

    from marketplace.indicators.aggregates import refresh
    from marketplace.indicators.jobs import enqueue_refresh

    if queue and enqueue_refresh():
        click.echo("Indicator count queued for the rq worker.")
        return
    clock = time.perf_counter()
    done = refresh()
    db.session.commit()
    click.echo(f"Indicators counted as of {done.as_of}: {done.row_count} rows, "
               f"{done.first_month:%Y-%m} to {done.last_month:%Y-%m}, "
               f"in {time.perf_counter() - clock:.1f} s.")


@click.command("search-reindex")
@with_appcontext
def search_reindex_command():
    """Rewrite the keyword-search index of every vacancy (after a bulk load with COPY or Core
    inserts, which the flush-time upkeep does not see)."""
    import time

    from marketplace.jobs.index import rebuild

    clock = time.perf_counter()
    count = rebuild(db.session.connection())
    db.session.commit()
    click.echo(f"Search index rewritten for {count} vacancies in "
               f"{time.perf_counter() - clock:.1f} s.")


def register(app: Flask) -> None:
    for command in (load_reference_command, create_user_command, seed_demo_command,
                    matching_train_command, matching_refresh_command, matching_build_command,
                    payments_group, budget_allocate_command):
        app.cli.add_command(command)
    app.cli.add_command(indicators_group)
    app.cli.add_command(seed_scale_command)
    app.cli.add_command(search_reindex_command)
