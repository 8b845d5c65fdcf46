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


@click.command("matching-refresh")
@with_appcontext
def matching_refresh_command():
    """Ask every worker to rebuild its matching index (run daily, e.g. from cron), so ended
    restrictions and expired certificates stop counting."""
    from marketplace.matches.changes import record_change

    record_change("refresh", 0)
    db.session.commit()
    click.echo("Every worker will rebuild its matching index on its next request.")


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


def register(app: Flask) -> None:
    for command in (load_reference_command, create_user_command, seed_demo_command,
                    matching_train_command, matching_refresh_command, payments_group,
                    budget_allocate_command):
        app.cli.add_command(command)
