"""Operator commands: the first admin, and demo data for trying Roundtable out."""

from sqlalchemy import select

from roundtable.db import db
from roundtable.demo import DEMO_JOIN_CODE
from roundtable.models import Roundtable, User
from roundtable.services import accounts


def test_create_user_with_a_generated_password_prints_it_once(app, ctx):
    result = app.test_cli_runner().invoke(args=["create-user", "--role", "admin", "--generate-password", "Amihan"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown once): ")[1].strip()
    user = db.session.scalar(select(User).where(User.username == "amihan"))
    assert user.role_set == {"admin"}
    assert accounts.authenticate("amihan", password) is not None
    assert password not in user.password_hash
    assert user.must_change_password, "a printed password is for the first sign-in only"


def test_create_user_prompts_for_the_password_and_enforces_the_policy(app, ctx):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["create-user", "--role", "editor", "tala"], input="short\nshort\n")
    assert short.exit_code != 0 and "12" in short.output
    good = runner.invoke(args=["create-user", "--role", "editor", "tala"],
                         input="a quiet river at dawn\na quiet river at dawn\n")
    assert good.exit_code == 0, good.output
    assert accounts.authenticate("tala", "a quiet river at dawn") is not None
    assert not db.session.scalar(select(User).where(User.username == "tala")).must_change_password


def test_seed_demo_is_idempotent_and_prints_the_logins(app, ctx):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert DEMO_JOIN_CODE in first.output and "facilitator" in first.output
    assert db.session.query(Roundtable).count() == 1
    roundtable = db.session.scalar(select(Roundtable))
    assert roundtable.status == "open" and len(roundtable.prompts) == 2
