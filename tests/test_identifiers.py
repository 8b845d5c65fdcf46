"""IIN/BIN check digits (two-pass weighted mod 11) and phone normalisation."""

import pytest

from marketplace.identifiers import (
    check_digit,
    is_valid_bin,
    is_valid_iin,
    normalize_phone,
)


@pytest.mark.parametrize("iin", [
    "900101300106",   # 1 Jan 1990, male born in the 20th century
    "850314400129",   # 14 Mar 1985, female
    "040229500015",   # 29 Feb 2004 (leap year), male born in the 21st century
])
def test_valid_iins_pass(iin):
    assert check_digit(iin[:11]) == int(iin[11])
    assert is_valid_iin(iin)


@pytest.mark.parametrize("iin, why", [
    ("900101300107", "wrong check digit"),
    ("900101300108", "wrong check digit"),
    ("90010130010", "11 digits"),
    ("9001013001088", "13 digits"),
    ("90010130010a", "a letter"),
    ("900230300108", "30 February"),
    ("020229500011", "29 February 2002, not a leap year"),
    ("900101700101", "century digit 7"),
    ("９００１０１３００１０８", "full-width digits"),
    ("", "empty"),
])
def test_invalid_iins_fail(iin, why):
    assert not is_valid_iin(iin), why


def test_check_digit_worked_example():
    # 9·1 + 0·2 + 0·3 + 1·4 + 0·5 + 1·6 + 3·7 + 0·8 + 0·9 + 1·10 + 0·11 = 50; 50 mod 11 = 6
    assert check_digit("90010130010") == 6


def test_second_pass_weights_are_used_when_first_remainder_is_ten():
    # First pass: 1*0+2*0+...; chosen so the first remainder is 10 and the second is not.
    eleven = next(f"{n:011d}" for n in range(10**10, 10**10 + 5000)
                  if sum(int(d) * w for d, w in zip(f"{n:011d}", range(1, 12), strict=True))
                  % 11 == 10)
    second = sum(int(d) * w for d, w in
                 zip(eleven, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=True)) % 11
    assert check_digit(eleven) == (None if second == 10 else second)


def test_numbers_whose_both_passes_give_ten_have_no_check_digit():
    hopeless = [f"{n:011d}" for n in range(10**10, 10**10 + 20000)
                if check_digit(f"{n:011d}") is None]
    assert hopeless, "such numbers exist in any long enough range"
    assert not any(is_valid_bin(h + str(d)) for h in hopeless[:5] for d in range(10))


@pytest.mark.parametrize("bin_", ["190540000014", "050140000656"])
def test_valid_bins_pass(bin_):
    assert check_digit(bin_[:11]) == int(bin_[11])
    assert is_valid_bin(bin_)


@pytest.mark.parametrize("bin_", ["190540000018", "191340000014", "1905400000", "ABCDEFGHIJKL"])
def test_invalid_bins_fail(bin_):
    assert not is_valid_bin(bin_)


@pytest.mark.parametrize("raw, expected", [
    ("+7 701 123 45 67", "+77011234567"),
    ("8 (701) 123-45-67", "+77011234567"),
    ("7011234567", "+77011234567"),
    ("+77471234567", "+77471234567"),
    ("+7 123 456 78 90", None),
    ("12345", None),
    ("", None),
])
def test_phone_normalisation(raw, expected):
    assert normalize_phone(raw) == expected
