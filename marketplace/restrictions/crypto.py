"""Encryption at rest for conviction-related data (Fernet: AES-128-CBC + HMAC-SHA256).

Keys come from DATA_ENCRYPTION_KEYS; MultiFernet encrypts with the first and decrypts with any,
so a key can be rotated without rewriting every row at once.
"""

import json

from cryptography.fernet import Fernet, MultiFernet
from flask import current_app
from sqlalchemy import LargeBinary
from sqlalchemy.types import TypeDecorator


def cipher() -> MultiFernet:
    keys = current_app.config["DATA_ENCRYPTION_KEYS"].split(",")
    return MultiFernet([Fernet(key.strip()) for key in keys if key.strip()])


class EncryptedJSON(TypeDecorator):
    """A JSON value stored as a Fernet token; the database never sees the plaintext."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        plaintext = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return cipher().encrypt(plaintext)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return json.loads(cipher().decrypt(bytes(value)).decode("utf-8"))
