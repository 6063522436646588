"""``flask --app roundtable …`` commands for operators."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from roundtable.db import db
from roundtable.models.staff import ROLES
from roundtable.services import accounts
from roundtable.services.errors import RuleViolation

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_database(app: Flask, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(app.config["DATABASE_URL"]), revision)


def init_app(app: Flask) -> None:
    @app.cli.command("migrate")
    @click.option("--revision", default="head", show_default=True)
    def migrate(revision: str) -> None:
        """Create or upgrade the database schema (Alembic)."""
        upgrade_database(app, revision)
        click.echo("Database is at revision " + revision + ".")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
    @click.option("--name", "display_name", default="", help="Display name (defaults to the username).")
    @click.option("--generate-password", is_flag=True, help="Generate a password and print it once.")
    def create_user(username: str, roles: tuple[str, ...], display_name: str, generate_password: bool) -> None:
        """Create a staff account. The password is prompted for, or generated and printed once."""
        if generate_password:
            password = accounts.generate_password()
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = accounts.create_user(username, display_name or username, set(roles), password)
        except RuleViolation as problem:
            db.session.rollback()
            raise click.ClickException(str(problem)) from None
        db.session.commit()
        click.echo(f"Created {user.username} ({', '.join(sorted(user.role_set))}).")
        if generate_password:
            click.echo(f"Password (shown once): {password}")

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Add a demo roundtable and demo staff accounts (development only)."""
        from roundtable.demo import seed_demo

        if app.config["ROUNDTABLE_ENV"] == "production":
            raise click.ClickException("Demo data is never added in production.")
        summary = seed_demo()
        click.echo(summary)
