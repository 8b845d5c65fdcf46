"""Command-line tasks: `flask load-reference`, `flask create-user`, `flask seed-demo`."""

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


def register(app: Flask) -> None:
    for command in (load_reference_command, create_user_command, seed_demo_command,
                    matching_train_command, matching_refresh_command):
        app.cli.add_command(command)
