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
