"""Staff passwords: at least 12 characters and not a well-known one."""

from importlib import resources

import pytest

from roundtable.services import accounts
from roundtable.services.errors import RuleViolation


def _listed():
    text = resources.files("roundtable.data").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_the_common_password_list_is_long_lower_case_and_only_12_plus():
    listed = _listed()
    assert len(listed) > 1000
    assert all(len(p) >= 12 and p == p.lower() for p in listed)
    assert len(set(listed)) == len(listed)


@pytest.mark.parametrize("password", ["Welcome2024!", "QWERTYUIOP123", "MahalKita12345", "1q2w3e4r5t6y", "Password1234"])
def test_well_known_passwords_are_refused_whatever_their_case(ctx, password):
    with pytest.raises(RuleViolation):
        accounts.check_password_policy(password)


def test_short_passwords_are_refused_and_a_long_unusual_one_is_fine(ctx):
    with pytest.raises(RuleViolation):
        accounts.check_password_policy("eleven char")
    accounts.check_password_policy("mango river lantern tide")


def test_a_password_containing_the_username_is_refused_and_says_so(ctx):
    with pytest.raises(RuleViolation, match="must not contain the username"):  # not "choose a less common one"
        accounts.check_password_policy("maria-santos-rocks-2026", username="maria-santos")


def test_a_short_username_does_not_refuse_every_password_holding_its_letters(ctx):
    accounts.check_password_policy("reddish mango lantern", username="ed")


@pytest.mark.parametrize("invisible", ["\u200b" * 12, "\u200b" * 11 + "x", "abc\u200d\u200d\u200d\u200d\u200d\u200d\u200d\u200d\u200d"])
def test_invisible_characters_do_not_count_towards_the_length(ctx, invisible):
    with pytest.raises(RuleViolation, match="at least 12"):
        accounts.check_password_policy(invisible)


def test_a_password_typed_in_another_unicode_form_of_the_same_text_opens_the_account(ctx, make):
    from roundtable.db import db

    user = make.user("editor")
    composed = "Ni\u00f1o-Se\u00f1ora-2027-mangga"  # ñ as one character
    accounts.set_password(user, composed, actor=None)
    db.session.commit()

    assert accounts.authenticate(user.username, "Nin\u0303o-Sen\u0303ora-2027-mangga") == user  # n + combining tilde
    accounts.confirm_password(user, "Nin\u0303o-Sen\u0303ora-2027-mangga")


def test_a_new_password_must_differ_from_the_current_one(ctx, make):
    user = make.user("editor")
    accounts.set_password(user, "one-time-mango-lantern", actor=None, must_change=True)
    with pytest.raises(RuleViolation, match="not the one you have now"):
        accounts.change_password(user, "one-time-mango-lantern", "one-time-mango-lantern")
    assert user.must_change_password
