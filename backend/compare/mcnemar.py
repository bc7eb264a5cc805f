"""McNemar's test for two classifiers scored on the same test items, in pure Python
(the API process carries no scipy).

Only the discordant items count: ``b01`` items the first run got right and the second
wrong, ``b10`` the reverse. Below 25 discordant items the exact two-sided binomial test
is used (the chi-square approximation is poor there); otherwise chi-square with
Edwards' continuity correction, one degree of freedom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EXACT_BELOW = 25


@dataclass(frozen=True)
class McNemarResult:
    n: int  # items both runs were scored on
    b01: int
    b10: int
    statistic: float  # exact: min(b01, b10); chi-square: the corrected statistic
    p_value: float
    exact: bool


def exact_p(b01: int, b10: int) -> float:
    """Two-sided binomial test of min(b01, b10) successes in b01 + b10 fair coin flips."""
    n = b01 + b10
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(b01, b10) + 1))
    return min(1.0, 2.0 * tail / float(1 << n))


def chi_square(b01: int, b10: int) -> tuple[float, float]:
    """(|b01 - b10| - 1)^2 / (b01 + b10) and its chi-square (1 df) upper tail."""
    n = b01 + b10
    if n == 0:
        return 0.0, 1.0
    statistic = max(abs(b01 - b10) - 1, 0) ** 2 / n
    # For 1 degree of freedom, P(X > x) = erfc(sqrt(x / 2)).
    return statistic, math.erfc(math.sqrt(statistic / 2))


def mcnemar(a_correct: list[bool], b_correct: list[bool]) -> McNemarResult:
    """Both lists in the same item order."""
    if len(a_correct) != len(b_correct):
        raise ValueError("both runs must be scored on the same items")
    b01 = sum(1 for a, b in zip(a_correct, b_correct, strict=True) if a and not b)
    b10 = sum(1 for a, b in zip(a_correct, b_correct, strict=True) if b and not a)
    if b01 + b10 < EXACT_BELOW:
        return McNemarResult(len(a_correct), b01, b10, float(min(b01, b10)),
                             exact_p(b01, b10), exact=True)  # fmt: skip
    statistic, p = chi_square(b01, b10)
    return McNemarResult(len(a_correct), b01, b10, statistic, p, exact=False)
