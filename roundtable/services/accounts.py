"""Staff accounts: argon2id password hashes, roles, and sign-in."""

from __future__ import annotations

import re
import secrets
import unicodedata
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from roundtable.db import db, flush_or_refuse, lock_and_reread, lock_rows, utcnow
from roundtable.models import User
from roundtable.models.staff import ROLES
from roundtable.services import audit
from roundtable.services.errors import RuleViolation
from roundtable.services.pagination import Page, paginate
from roundtable.services.text import clean_text

# argon2id, RFC 9106 "second recommended option" (64 MiB, 3 passes, 4 lanes); see docs/SECURITY.md.
password_hasher = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, salt_len=16)
MIN_PASSWORD_LENGTH = 12
# Spent on unknown usernames too, so a failed login takes as long either way.
_DUMMY_HASH = password_hasher.hash(secrets.token_urlsafe(16))


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("roundtable.data").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def _normal(password: str) -> str:
    """One form of the same text ("ñ" is one character or "n" and a combining tilde, by keyboard): NFC."""
    return unicodedata.normalize("NFC", password)


def _counted(password: str) -> int:
    """Characters that count towards the length: not invisible ones (zero-width spaces, controls)."""
    return sum(1 for character in password if unicodedata.category(character) not in ("Cc", "Cf", "Cn", "Co", "Cs"))


def check_password_policy(password: str, *, username: str = "") -> None:
    password = _normal(password)
    if _counted(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if len(password) > 256:
        raise RuleViolation(_l("Use at most 256 characters."))
    # A short username ("ed") is in too many good passwords to refuse them all.
    if len(username) >= 4 and username.casefold() in password.casefold():
        raise RuleViolation(_l("A password must not contain the username."))
    if password.casefold() in _common_passwords():
        raise RuleViolation(_l("This password is too easy to guess. Choose a less common one."))


# Letters and digits that cannot be mistaken for one another, read out or copied from paper (no i, l, o, 0, 1).
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def readable_code(groups: int) -> str:
    """Random groups of five readable characters, joined by dashes: about 24.8 bits a group."""
    return "-".join("".join(secrets.choice(READABLE) for _ in range(5)) for _ in range(groups))


def generate_password() -> str:
    """A one-time password an administrator gives in person (about 99 bits)."""
    return readable_code(4)


_USERNAME = re.compile(r"(?=.*[a-z0-9])[a-z0-9._-]{2,64}")  # "..", "-_" name no one
DISPLAY_NAME_MAX = 120  # the column's length


def _username_taken() -> RuleViolation:
    return RuleViolation(_l("That username is taken."))


def check_new_account(username: str, display_name: str, roles: set[str]) -> tuple[str, str]:
    """Everything about a new account but its password, checked: its username and display name as kept. The
    command line asks for the password only after these (a taken name found after typing it twice is lost work)."""
    username = checked_username(username)
    display_name = _checked_display_name(display_name)
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise RuleViolation(_l("Choose at least one role."))
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username)):
        raise _username_taken()
    return username, display_name


def checked_username(username: str) -> str:
    """A new username as kept (trimmed, in lower case), or refused when it is not one. The admin's form checks it
    too, so it is said with the form's other problems in one pass."""
    username = username.strip().lower()
    if not _USERNAME.fullmatch(username):  # ASCII only: "амиhan" must not pass for "amihan"
        raise RuleViolation(_l("A username has 2 to 64 letters a–z without accents, digits, dots, dashes or "
                               "underscores, and at least one letter or digit."))
    return username


def create_user(username: str, display_name: str, roles: set[str], password: str, *, actor=None) -> User:
    username, display_name = check_new_account(username, display_name, roles)
    check_password_policy(password, username=username)
    user = User(
        username=username,
        display_name=display_name or username,
        roles=" ".join(sorted(roles)),
        password_hash=password_hasher.hash(_normal(password)),
        active=True,
    )
    db.session.add(user)
    flush_or_refuse(_username_taken())  # by an account created since the check
    audit.record("staff.created", actor=actor, target=user, given=roles)  # who was given which rights, from the start
    return user


def _checked_display_name(display_name: str) -> str:
    """The name cleaned; empty when none was given (the command line may leave it out: the username stands in)."""
    display_name = clean_text(display_name, multiline=False)  # the command line passes it as typed
    if len(display_name) > DISPLAY_NAME_MAX:
        raise RuleViolation(_l("A display name has at most %(n)d characters.", n=DISPLAY_NAME_MAX),
                            field="display_name")
    if display_name and not any(character.isalnum() for character in display_name):  # "!!!" names no one
        raise RuleViolation(_l("A display name needs at least one letter or digit."), field="display_name")
    return display_name


def rename(user: User, display_name: str, *, actor) -> bool:
    """A display name corrected (a typo, a changed name); whether it changed. The username stays: it signs in."""
    display_name = _checked_display_name(display_name)
    if not display_name:
        raise RuleViolation(_l("Please fill this in."))
    if display_name == user.display_name:
        return False
    user.display_name = display_name
    audit.record("staff.renamed", actor=actor, target=user)
    return True


def create_with_one_time_password(username: str, display_name: str, roles: set[str], *, actor) -> tuple[User, str]:
    """A staff account an administrator opens for someone else: its generated password is for one sign-in,
    at which the owner must choose their own."""
    one_time = generate_password()
    user = create_user(username, display_name, roles, one_time, actor=actor)
    user.must_change_password = True
    return user, one_time


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None. Upgrades old hash parameters."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    try:
        if user is None or not user.active:
            _verify(_DUMMY_HASH, password)
            raise VerificationError("no such active user")
        password = _one_time_password_typed(user, password)
    except (VerificationError, InvalidHashError):
        audit.record("staff.login_failed", actor=user if user else None, actor_type="staff")
        db.session.commit()
        return None
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher.hash(_normal(password))
    audit.record("staff.login", actor=user)
    db.session.commit()
    return user


def _one_time_password_typed(user: User, typed: str) -> str:
    """The password ``typed`` stands for, or VerificationError. A one-time password is read out or copied from paper:
    typed back with capitals (a phone's), spaces or without its dashes, it is still the one given."""
    try:
        _verify(user.password_hash, typed)
        return typed
    except VerificationError:
        letters = _letters_of(typed)
        if not user.must_change_password or len(letters) != 20 or set(letters) - set(READABLE):
            raise
        given = "-".join(letters[at:at + 5] for at in range(0, 20, 5))
        if given == typed:
            raise
        _verify(user.password_hash, given)
        return given


def _letters_of(text: str) -> str:
    return "".join(character for character in text.lower() if character.isalnum())


def signed_in(user: User) -> None:
    """The whole sign-in passed (the password, and the second factor where one is asked): "Last sign-in"."""
    user.last_login_at = utcnow()


def _verify(password_hash: str, password: str) -> None:
    """Raises VerificationError unless ``password`` is the one hashed. Hashes are of the NFC form; one made before
    that, of another form of the same text, still matches what is typed the same way again."""
    normal = _normal(password)
    try:
        password_hasher.verify(password_hash, normal)
    except VerificationError:
        if normal == password:
            raise
        password_hasher.verify(password_hash, password)


class WrongPassword(RuleViolation):
    """The current password, typed to confirm a change to one's own account, is not right."""


def confirm_password(user: User, password: str | None) -> None:
    """An open session is not enough to change one's password or second factor: the password is asked again."""
    _confirmed(user, password)


def _confirmed(user: User, password: str | None) -> str:
    """The password ``password`` stands for (a one-time password as typed back: see ``_one_time_password_typed``), or
    WrongPassword."""
    try:
        return _one_time_password_typed(user, password or "")
    except (VerificationError, InvalidHashError):
        raise WrongPassword(_l("Your current password is not right.")) from None


def change_password(user: User, current: str, new: str) -> None:
    current = _confirmed(user, current)
    if _normal(new) == _normal(current) or _letters_of(new) == _letters_of(current):
        # a one-time password kept (typed otherwise too) would stay known to the administrator
        raise RuleViolation(_l("Choose a new password, not the one you have now."))
    set_password(user, new, actor=user)


def set_password(user: User, new: str, *, actor, must_change: bool = False) -> None:
    check_password_policy(new, username=user.username)
    user.password_hash = password_hasher.hash(_normal(new))
    user.must_change_password = must_change
    end_sessions(user)
    audit.record("staff.password_changed", actor=actor, target=user)


def end_sessions(user: User) -> None:
    """Every session of this user stops working at its next request."""
    user.session_version += 1


def set_roles(user: User, roles: set[str], *, actor) -> bool:
    """Whether the roles changed: saved as they were, nothing is recorded and no one is signed out."""
    if not roles or set(roles) - set(ROLES):
        raise RuleViolation(_l("Choose at least one role."))
    if acting_on_own_account(actor, user) and user.has_role("admin") and "admin" not in roles:
        raise RuleViolation(_l("You cannot remove your own administrator role."))
    if acting_on_own_account(actor, user) and set(roles) - user.role_set:
        # Administrators read no one's words: a role that reads them is given by another administrator.
        raise RuleViolation(_l("Another administrator gives you a new role; you cannot give one to yourself."))
    if set(roles) == user.role_set:
        return False
    if user.has_role("admin") and "admin" not in roles:
        _another_administrator_stays(user)
    given, taken = set(roles) - user.role_set, user.role_set - set(roles)
    user.roles = " ".join(sorted(roles))
    end_sessions(user)
    audit.record("staff.roles_changed", actor=actor, target=user, given=given, taken=taken)
    return True


def reset_password(user: User, *, actor) -> str:
    """A new one-time password, which its owner must change at the next sign-in.

    Not for one's own account: whoever holds an administrator's open session could otherwise
    replace that administrator's password without knowing it.
    """
    if acting_on_own_account(actor, user):
        raise RuleViolation(_l("Change your own password under “Change password”."))
    one_time = generate_password()
    set_password(user, one_time, actor=actor, must_change=True)
    return one_time


def _another_administrator_stays(user: User) -> None:
    """Someone can always manage the accounts: ``user`` stops being an administrator only while another active one
    stays. Every active administrator's row is locked first, so two of them taking it from each other at once
    cannot both pass."""
    administrators = lock_rows(User, User.active.is_(True), User.roles.contains("admin"))
    if not set(administrators) - {user.id}:
        raise RuleViolation(_l("At least one other active administrator must stay. Give the administrator role to "
                               "another account first."))


def acting_on_own_account(actor, user: User) -> bool:
    """Some changes are never made to one's own account; another administrator makes them."""
    return actor is not None and actor.id == user.id


def set_active(user: User, active: bool, *, actor) -> bool:
    """Whether the account changed: sent again (a second tab, Back and press), nothing is recorded and its owner,
    already working again, is not signed out. Two administrators pressing at once take turns."""
    if acting_on_own_account(actor, user) and not active:
        raise RuleViolation(_l("You cannot deactivate your own account."))
    lock_and_reread(user)
    if user.active == active:
        return False
    if user.has_role("admin") and not active:
        _another_administrator_stays(user)
    user.active = active
    end_sessions(user)
    audit.record("staff.activated" if active else "staff.deactivated", actor=actor, target=user)
    return True


def usernames(ids) -> dict[int, str]:
    """The usernames of these staff accounts, in one query: the audit log names who did what."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


def staff(page: int = 1, per_page: int = 50) -> Page:
    """Staff accounts by username, a page at a time."""
    return paginate(select(User).order_by(User.username), page, per_page)
