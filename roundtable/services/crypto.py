"""Encryption at rest for sensitive text, and keyed digests for lookups.

Keys come from configuration. The first encryption key encrypts; every listed key
decrypts, so keys can be rotated while the site runs (see ``rotate_keys``).
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class KeyringNotConfigured(RuntimeError):
    pass


class _Keyring:
    def __init__(self) -> None:
        self._fernet: MultiFernet | None = None
        self._lookup_key: bytes | None = None
        self.newest: Fernet | None = None

    def configure(self, encryption_keys: list[str], lookup_key: str) -> None:
        if not encryption_keys:
            raise KeyringNotConfigured("at least one encryption key is needed")
        fernets = [Fernet(k.encode() if isinstance(k, str) else k) for k in encryption_keys]
        self._fernet = MultiFernet(fernets)
        self.newest = fernets[0]
        self._lookup_key = lookup_key.encode()

    @property
    def fernet(self) -> MultiFernet:
        if self._fernet is None:
            raise KeyringNotConfigured("create_app() configures the keyring")
        return self._fernet

    @property
    def lookup_key(self) -> bytes:
        if self._lookup_key is None:
            raise KeyringNotConfigured("create_app() configures the keyring")
        return self._lookup_key


keyring = _Keyring()


def encrypt(plaintext: str) -> str:
    return keyring.fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return keyring.fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:  # a key is missing from the configuration
        raise KeyringNotConfigured("stored text cannot be decrypted with the configured keys") from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored token under the first (newest) key."""
    return keyring.fernet.rotate(token.encode("ascii")).decode("ascii")


def lookup_digest(value: str, purpose: str) -> str:
    """A keyed digest for finding a row by a secret without storing the secret or scanning rows."""
    message = f"{purpose}\x00{value}".encode("utf-8")
    return hmac.new(keyring.lookup_key, message, hashlib.sha256).hexdigest()


def marks_match(sent: str | None, mark: str) -> bool:
    """Whether the mark a form sent back (a keyed digest of what its page showed) is ``mark``: compared in
    constant time, and any text sent by hand, or none, is simply another mark."""
    return hmac.compare_digest((sent or "").encode("utf-8"), mark.encode("utf-8"))


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def rotate_keys(batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted column under the first (newest) key, in batches of committed work.

    Safe while the site runs: each row is updated only if its stored token is still the one read,
    so a concurrent write (already under the newest key) is never overwritten. Each column of a batch is
    written by one statement run for many rows (psycopg pipelines them), not one round trip per value.
    Returns rows per table.
    """
    from sqlalchemy import Text, and_, bindparam, select, type_coerce, update

    from roundtable.db import Base, db
    from roundtable.models.types import EncryptedText

    newest = keyring.newest
    counts: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, EncryptedText)]
        if not columns:
            continue
        (pk,) = table.primary_key.columns
        counts[table.name] = 0
        last = None
        while True:
            raw = [type_coerce(c, Text).label(c.name) for c in columns]
            query = select(pk, *raw).order_by(pk).limit(batch_size)
            if last is not None:
                query = query.where(pk > last)
            rows = db.session.execute(query).all()
            if not rows:
                break
            last = rows[-1][0]
            for column in columns:
                try:
                    changes = [
                        {"rotated_pk": row[0], "rotated_from": token, "rotated_to": rotate(token)}
                        for row in rows
                        if (token := row._mapping[column.name]) is not None and not _encrypted_with(newest, token)
                    ]
                except InvalidToken:
                    db.session.rollback()
                    raise KeyringNotConfigured(
                        f"{table.name}.{column.name} holds text that none of the configured keys opens: put the old "
                        "key back in ROUNDTABLE_ENCRYPTION_KEYS, after the new one. Batches already done are kept."
                    ) from None
                if changes:
                    unchanged_since_read = type_coerce(column, Text) == bindparam("rotated_from")
                    result = db.session.execute(
                        update(table)
                        .where(and_(pk == bindparam("rotated_pk"), unchanged_since_read))
                        .values({column.name: type_coerce(bindparam("rotated_to"), Text)}),
                        changes,
                    )
                    counts[table.name] += result.rowcount
            db.session.commit()
    if any(counts.values()):
        from roundtable.services import audit  # crypto sits below the services that audit

        audit.record("keys.rotated")  # by the system: an operator's command, on the server
        db.session.commit()
    return counts


def _encrypted_with(fernet: Fernet, token: str) -> bool:
    try:
        fernet.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True
