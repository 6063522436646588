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

    def configure(self, encryption_keys: list[str], lookup_key: str) -> None:
        if not encryption_keys:
            raise KeyringNotConfigured("at least one encryption key is needed")
        self._fernet = MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in encryption_keys])
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


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")
