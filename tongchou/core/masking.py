"""Masking of personal data in lists and exports (phone numbers, ID numbers, bank accounts)."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    """138****5678 for mobiles; keeps the last four digits of anything else."""
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) == 11 and digits.isdigit():
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_id_number(value: str | None) -> str:
    """370303********1234 for an 18-character resident ID; first six and last four kept."""
    if not value:
        return ""
    v = value.strip()
    if len(v) <= 10:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_account(value: str | None) -> str:
    """Bank account: only the last four digits are shown."""
    if not value:
        return ""
    v = value.replace(" ", "")
    return "**** " + v[-4:] if len(v) > 4 else "*" * len(v)
