"""Kazakhstan identifiers: IIN (individuals), BIN (organisations) and mobile numbers.

IIN and BIN are 12 digits ending in a check digit computed by a two-pass weighted mod-11 sum:
weights 1..11 first; if the remainder is 10, weights 3..11,1,2; a second 10 means no valid number.
"""

import re
from datetime import date

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_PHONE_DIGITS = re.compile(r"\d+")


def check_digit(first_eleven: str) -> int | None:
    """The 12th digit for these 11 digits, or None when no digit can make them valid."""
    digits = [int(c) for c in first_eleven]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def _has_valid_checksum(number: str) -> bool:
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        return False
    return check_digit(number[:11]) == int(number[11])


def _iin_birth_date(iin: str) -> date | None:
    century_by_digit = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}
    century = century_by_digit.get(iin[6])
    if century is None:
        return None
    try:
        return date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def is_valid_iin(iin: str) -> bool:
    """12 digits, a real birth date with its century/sex digit, and a correct check digit."""
    return _has_valid_checksum(iin) and _iin_birth_date(iin) is not None


def is_valid_bin(bin_: str) -> bool:
    """12 digits, a registration month 01-12 in digits 3-4, and a correct check digit."""
    return _has_valid_checksum(bin_) and 1 <= int(bin_[2:4]) <= 12


def normalize_phone(raw: str) -> str | None:
    """'+7 (701) 123-45-67', '87011234567' or '7011234567' → '+77011234567'.

    None when it is not a Kazakhstan number."""
    digits = "".join(_PHONE_DIGITS.findall(raw or ""))
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10 or digits[0] not in "67":
        return None
    return "+7" + digits
