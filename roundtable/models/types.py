"""Column types shared by the models."""

from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from roundtable.services import crypto


class EncryptedText(TypeDecorator):
    """Text stored as a Fernet token: a leaked database or backup holds no readable words."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return crypto.encrypt(value) if value is not None else None

    def process_result_value(self, value, dialect):
        return crypto.decrypt(value) if value is not None else None
