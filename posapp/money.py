"""Money is an integer of minor units end to end. Parsing, splitting and rounding live here."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

BASIS_POINTS = 10_000  # 100% expressed in basis points (1 bp = 0.01%)


class MoneyFormatError(ValueError):
    """A typed amount that is not money."""


def parse_amount(text: str, digits: int = 2) -> int:
    """Parse '12.50' (or '12', '¥12.50', '12,50') into minor units; refuse anything else."""
    cleaned = text.strip().replace("¥", "").replace("￥", "").replace("$", "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise MoneyFormatError(text) from exc
    if not value.is_finite() or value < 0:
        raise MoneyFormatError(text)
    scaled = value.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise MoneyFormatError(text)
    return int(scaled)


def parse_percent(text: str) -> int:
    """Parse '10' or '12.5' (percent) into basis points: 1000, 1250."""
    try:
        value = Decimal(text.strip().rstrip("%"))
    except InvalidOperation as exc:
        raise MoneyFormatError(text) from exc
    if not value.is_finite() or value <= 0 or value > 100:
        raise MoneyFormatError(text)
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise MoneyFormatError(text)
    return int(scaled)


def apply_basis_points(amount: int, basis_points: int) -> int:
    """amount * bp / 10000, rounded half up, on integers only."""
    return (amount * basis_points * 2 + BASIS_POINTS) // (2 * BASIS_POINTS)


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` over ``weights`` pro rata so that the parts sum to ``total`` exactly.

    Largest-remainder method: every part gets its floor share, then the leftover units go to the
    parts with the largest fractional remainders (ties to the earlier part). No part exceeds its
    weight when ``total`` does not exceed ``sum(weights)``.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    weight_sum = sum(weights)
    if weight_sum <= 0:
        if total:
            raise ValueError("cannot allocate over zero weights")
        return [0 for _ in weights]
    parts = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    leftover = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for index in order[:leftover]:
        parts[index] += 1
    return parts
