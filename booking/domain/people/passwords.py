"""What a password must be: long enough to resist guessing, short enough to hash without harm."""

from __future__ import annotations

from booking.domain.shared.errors import ValidationError

MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 hashes whatever it is given; a megabyte password would cost the server


def check_password(password: str, field: str = "password") -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(field, f"At least {MIN_PASSWORD} characters.", "too-short")
    if len(password) > MAX_PASSWORD:
        raise ValidationError(field, f"At most {MAX_PASSWORD} characters.", "too-long")
    return password
