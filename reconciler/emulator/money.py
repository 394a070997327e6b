"""Money of the emulator's pricing and reporting: per-currency rates, decimals and minimums.

Owns: how many units of each account currency make one US dollar (a fixed, rounded table: the
emulator has no exchange feed; GUESS), each currency's minor-unit digits (ISO 4217), the minimum
daily budget per currency, and LinkedIn's money object ``{"amount": "12.50", "currencyCode": "EUR"}``
(amounts are decimal strings).

The minimum daily budget is LinkedIn's documented 10 USD in US dollars; in every other currency it
is the local equivalent of 10 USD rounded to two significant digits (GUESS: LinkedIn publishes a
floor per currency in its help pages, not in the API docs). Campaign rules and ``adBudgetPricing``
both read this one table, so a budget the pricing answer allows is a budget a campaign may hold.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# Units of the currency per US dollar (rounded; GUESS).
RATES: dict[str, float] = {
    "AED": 3.67,
    "AUD": 1.52,
    "BRL": 5.0,
    "CAD": 1.36,
    "CHF": 0.88,
    "CNY": 7.2,
    "DKK": 6.9,
    "EUR": 0.92,
    "GBP": 0.79,
    "HKD": 7.8,
    "IDR": 15700,
    "ILS": 3.7,
    "INR": 83,
    "JPY": 150,
    "KRW": 1350,
    "MXN": 17,
    "MYR": 4.7,
    "NOK": 10.6,
    "NZD": 1.65,
    "PHP": 56,
    "PLN": 4.0,
    "SAR": 3.75,
    "SEK": 10.5,
    "SGD": 1.35,
    "THB": 36,
    "TRY": 32,
    "TWD": 32,
    "USD": 1,
    "ZAR": 18.5,
}
ZERO_DECIMALS = frozenset({"JPY", "KRW"})  # ISO 4217 minor units 0
MIN_DAILY_BUDGET_USD = 10


def decimals(currency: str) -> int:
    return 0 if currency in ZERO_DECIMALS else 2


def significant(value: float, digits: int = 2) -> float:
    """``value`` rounded to ``digits`` significant digits (10 * 0.92 -> 9.2, 10 * 83 -> 830)."""
    if value <= 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(value)))


def local(usd: float, currency: str) -> float:
    """``usd`` US dollars in ``currency`` (unrounded)."""
    return usd * RATES[currency]


def to_usd(amount: float, currency: str) -> float:
    return amount / RATES.get(currency, 1)


def daily_minimum(currency: str) -> Decimal:
    """The minimum daily budget of an account in ``currency`` (see the module docstring)."""
    if currency == "USD":
        return quantize(MIN_DAILY_BUDGET_USD, currency)
    return quantize(significant(local(MIN_DAILY_BUDGET_USD, currency)), currency)


def daily_minimums() -> dict[str, Decimal]:
    """Every currency's minimum daily budget (the campaign rules' default)."""
    return {currency: daily_minimum(currency) for currency in RATES}


def quantize(amount: float | Decimal, currency: str) -> Decimal:
    """``amount`` to the currency's minor unit, half up."""
    step = Decimal(1).scaleb(-decimals(currency))
    return Decimal(str(amount)).quantize(step, rounding=ROUND_HALF_UP)


def money(amount: float | Decimal, currency: str) -> dict[str, Any]:
    """LinkedIn's money object, the amount as a decimal string in the currency's minor unit."""
    return {"amount": str(quantize(amount, currency)), "currencyCode": currency}
