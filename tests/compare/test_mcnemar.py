"""McNemar's test against values worked out by hand (and matching scipy's binomtest /
chi2.sf, which the API process does not carry)."""

from __future__ import annotations

import math

import pytest

from backend.compare.mcnemar import chi_square, exact_p, mcnemar


def pairs(b01: int, b10: int, both_right: int = 0, both_wrong: int = 0) -> tuple[list[bool], ...]:
    a = [True] * b01 + [False] * b10 + [True] * both_right + [False] * both_wrong
    b = [False] * b01 + [True] * b10 + [True] * both_right + [False] * both_wrong
    return a, b


def test_exact_p_for_ten_against_two() -> None:
    # 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 2 * 79 / 4096
    assert exact_p(10, 2) == pytest.approx(158 / 4096)
    assert exact_p(2, 10) == exact_p(10, 2)


def test_exact_p_edges() -> None:
    assert exact_p(0, 0) == 1.0
    assert exact_p(3, 3) == 1.0  # capped: the two tails overlap at the middle
    assert exact_p(5, 0) == pytest.approx(2 / 32)


def test_chi_square_with_continuity_correction() -> None:
    statistic, p = chi_square(30, 10)
    assert statistic == pytest.approx(19**2 / 40)
    # 1 df: P(X > x) = erfc(sqrt(x / 2)); 9.025 -> 0.002663 (scipy.stats.chi2.sf)
    assert p == pytest.approx(0.0026631, rel=1e-4)
    assert chi_square(20, 20) == (0.0, 1.0)  # the correction never makes |b01 - b10| negative
    assert chi_square(40, 10)[1] == pytest.approx(math.erfc(math.sqrt(29**2 / 50 / 2)))


def test_small_disagreement_uses_the_exact_test() -> None:
    a, b = pairs(10, 2, both_right=50, both_wrong=8)
    result = mcnemar(a, b)
    assert (result.n, result.b01, result.b10, result.exact) == (70, 10, 2, True)
    assert result.statistic == 2
    assert result.p_value == pytest.approx(0.0385742, rel=1e-5)


def test_many_discordant_items_use_chi_square() -> None:
    result = mcnemar(*pairs(30, 10, both_right=5))
    assert not result.exact and result.b01 + result.b10 == 40
    assert result.p_value == pytest.approx(0.0026631, rel=1e-4)


def test_identical_runs_do_not_differ() -> None:
    result = mcnemar(*pairs(0, 0, both_right=9, both_wrong=1))
    assert result.p_value == 1.0 and result.exact


def test_lists_of_different_length_are_refused() -> None:
    with pytest.raises(ValueError, match="same items"):
        mcnemar([True], [True, False])
