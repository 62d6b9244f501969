"""The payment being keyed in: tenders so far and what one more typed amount means. No widgets.

An empty amount means "the rest, exactly". Less than what is still due is a part payment (split
tender); the rest is then paid by any method. Only cash may exceed what is due (it gives change).
A long run of digits or a coupon code typed into the amount is a scan, not money.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from posapp import codes
from posapp.i18n import minor_digits, tr
from posapp.models import PaymentMethod
from posapp.money import MoneyFormatError, parse_amount
from posapp.services.checkout import Tender
from ui.gui.formatting import show_money

SCAN_MIN_DIGITS = 8


@dataclass(frozen=True)
class Ready:
    tenders: list[Tender]


@dataclass(frozen=True)
class PartPaid:
    remaining: int


@dataclass(frozen=True)
class Problem:
    message: str


@dataclass(frozen=True)
class LooksLikeScan:
    text: str


Offer = Ready | PartPaid | Problem | LooksLikeScan


def looks_like_scan(text: str) -> bool:
    stripped = text.strip()
    if stripped.isdigit() and len(stripped) >= SCAN_MIN_DIGITS:
        return True
    return codes.looks_like_coupon(codes.normalise(stripped))


@dataclass
class PaymentDraft:
    total: int
    currency: str
    tenders: list[Tender] = field(default_factory=list)

    @property
    def paid(self) -> int:
        return sum(t.amount or 0 for t in self.tenders)

    @property
    def remaining(self) -> int:
        return self.total - self.paid

    def offer(self, method: PaymentMethod, text: str) -> Offer:
        """What typing ``text`` and choosing ``method`` does to the payment."""
        if text.strip() and looks_like_scan(text):
            return LooksLikeScan(text)
        if not text.strip():
            return Ready([*self.tenders, Tender(method, None)])
        try:
            amount = parse_amount(text, minor_digits(self.currency))
        except MoneyFormatError:
            return Problem(tr("{typed} is not an amount of money.", typed=text.strip()))
        if amount == 0:
            return Problem(tr("Type an amount above zero, or just Enter for the exact amount."))
        if amount > self.remaining and method is not PaymentMethod.CASH:
            return Problem(
                tr(
                    "Only cash can be more than what is due ({due}).",
                    due=show_money(self.remaining, self.currency),
                )
            )
        if amount >= self.remaining:
            return Ready([*self.tenders, Tender(method, amount)])
        self.tenders.append(Tender(method, amount))
        return PartPaid(self.remaining)
