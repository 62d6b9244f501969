"""The new-campaign form: value (amount or percent), minimum spend, validity, uses, channel,
funding, whether a refunded coupon can be used again, and the bounce-back setting: the campaign
whose redeemed coupons hand out this one's (chosen from the list or typed) and the least a sale
must pay for it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from posapp import labels
from posapp.i18n import minor_digits, tr
from posapp.models import Channel, DiscountKind, Funding
from posapp.money import MoneyFormatError, parse_amount, parse_percent
from posapp.services.campaigns import NewCampaign
from posapp.services.errors import InvalidInput
from ui.gui.backoffice.widgets import FormBox, MessageLabel, push_button

DEFAULT_VALID_DAYS = 14


def _date_edit(parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate(), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class CampaignForm(FormBox):
    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("New campaign"), parent)
        self._currency = currency
        self._build_fields()
        self._lay_out()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.by_days.toggled.connect(self._validity_changed)
        self.clear()

    def _build_fields(self) -> None:
        self.name = QLineEdit(self)
        self.description = QLineEdit(self)
        self.kind = QComboBox(self)
        self.kind.addItem(tr("Amount off"), DiscountKind.AMOUNT)
        self.kind.addItem(tr("Percent off"), DiscountKind.PERCENT)
        self.value = QLineEdit(self)
        self.min_spend = QLineEdit(self)
        self.min_spend.setPlaceholderText(tr("none"))
        self.by_days = QRadioButton(tr("Days from printing or issue"), self)
        self.valid_days = QSpinBox(self)
        self.valid_days.setRange(1, 3650)
        self.by_dates = QRadioButton(tr("Fixed dates"), self)
        self.valid_from = _date_edit(self)
        self.valid_until = _date_edit(self)
        self.max_uses = QSpinBox(self)
        self.max_uses.setRange(1, 1_000_000)
        self.per_customer = QSpinBox(self)
        self.per_customer.setRange(0, 1_000_000)
        self.per_customer.setSpecialValueText(tr("no limit"))
        self.channel = QComboBox(self)
        for value in (Channel.BOTH, Channel.SHOP, Channel.ONLINE):
            self.channel.addItem(labels.channel(value), value)
        self.funding = QComboBox(self)
        self.funding.addItem(tr("Store pays (consignor's split on the full price)"), Funding.STORE)
        self.funding.addItem(
            tr("Consignor pays (split on the discounted price)"), Funding.CONSIGNOR
        )
        self.funding.addItem(tr("Shared (split on price less half the discount)"), Funding.SHARED)
        self.reusable = QCheckBox(tr("A refunded coupon can be used again"), self)
        self.bounce_back_of = QComboBox(self)
        self.bounce_back_of.setEditable(True)
        self.bounce_back_of.setToolTip(
            tr(
                "A sale that redeems a coupon of this campaign is handed one coupon of the new "
                "campaign, printed on its receipt."
            )
        )
        self.bounce_back_min_spend = QLineEdit(self)
        self.bounce_back_min_spend.setPlaceholderText(tr("none"))
        self.submit_button = push_button(tr("Create campaign"), self)
        self.message = MessageLabel(self)

    def _lay_out(self) -> None:
        form = QFormLayout(self)
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Description"), self.description)
        form.addRow(tr("Discount"), self.kind)
        form.addRow(tr("Value"), self.value)
        form.addRow(tr("Minimum spend"), self.min_spend)
        days = QHBoxLayout()
        days.addWidget(self.by_days)
        days.addWidget(self.valid_days, 1)
        form.addRow(tr("Valid"), days)
        dates = QHBoxLayout()
        dates.addWidget(self.by_dates)
        dates.addWidget(self.valid_from, 1)
        dates.addWidget(self.valid_until, 1)
        form.addRow("", dates)
        form.addRow(tr("Uses per coupon"), self.max_uses)
        form.addRow(tr("Uses per customer"), self.per_customer)
        form.addRow(tr("Channel"), self.channel)
        form.addRow(tr("Who pays"), self.funding)
        form.addRow("", self.reusable)
        form.addRow(tr("Bounce-back of"), self.bounce_back_of)
        form.addRow(tr("Bounce-back when paying"), self.bounce_back_min_spend)
        form.addRow(self.submit_button)
        form.addRow(self.message)

    def set_campaigns(self, names: list[str]) -> None:
        """The campaigns a bounce-back can name (the first choice is none)."""
        typed = self.bounce_back_of.currentText()
        self.bounce_back_of.clear()
        self.bounce_back_of.addItem("")
        self.bounce_back_of.addItems(names)
        self.bounce_back_of.setCurrentText(typed)

    def clear(self) -> None:
        for field in (self.name, self.description, self.value, self.min_spend):
            field.clear()
        self.bounce_back_of.setCurrentText("")
        self.bounce_back_min_spend.clear()
        self.kind.setCurrentIndex(0)
        self.by_days.setChecked(True)
        self.valid_days.setValue(DEFAULT_VALID_DAYS)
        self.max_uses.setValue(1)
        self.per_customer.setValue(0)
        self.channel.setCurrentIndex(0)
        self.funding.setCurrentIndex(0)
        self.reusable.setChecked(True)
        self._kind_changed()
        self._validity_changed()

    def _kind_changed(self) -> None:
        if self.kind.currentData() is DiscountKind.PERCENT:
            self.value.setPlaceholderText(tr("percent, e.g. 10"))
        else:
            self.value.setPlaceholderText(tr("amount, e.g. 20.00"))

    def _validity_changed(self) -> None:
        by_days = self.by_days.isChecked()
        self.valid_days.setEnabled(by_days)
        self.valid_from.setEnabled(not by_days)
        self.valid_until.setEnabled(not by_days)

    def read(self) -> NewCampaign:
        """The campaign the form describes; raises InvalidInput saying what to fix."""
        name = self.name.text().strip()
        if not name:
            raise InvalidInput(tr("Enter a name for the campaign."))
        kind: DiscountKind = self.kind.currentData()
        start, end = self._dates()
        return NewCampaign(
            name=name,
            kind=kind,
            value=self._value(kind),
            description=self.description.text().strip() or None,
            min_spend=self._min_spend(),
            valid_from=start,
            valid_until=end,
            valid_days=self.valid_days.value() if self.by_days.isChecked() else None,
            max_uses=self.max_uses.value(),
            max_uses_per_customer=self.per_customer.value() or None,
            channel=self.channel.currentData(),
            funding=self.funding.currentData(),
            reusable_after_refund=self.reusable.isChecked(),
            bounce_back_of=self.bounce_back_of.currentText().strip() or None,
            bounce_back_min_spend=self._amount(
                self.bounce_back_min_spend,
                lambda typed: tr(
                    "The bounce-back spend '{typed}' is not an amount of money.", typed=typed
                ),
            ),
        )

    def _value(self, kind: DiscountKind) -> int:
        text = self.value.text().strip()
        if not text:
            raise InvalidInput(tr("Enter the coupon's value."))
        try:
            if kind is DiscountKind.PERCENT:
                return parse_percent(text)
            return parse_amount(text, minor_digits(self._currency))
        except MoneyFormatError:
            if kind is DiscountKind.PERCENT:
                message = tr("'{typed}' is not a percentage between 0 and 100.", typed=text)
            else:
                message = tr("'{typed}' is not an amount of money, e.g. 20.00.", typed=text)
            raise InvalidInput(message) from None

    def _min_spend(self) -> int:
        return self._amount(
            self.min_spend,
            lambda typed: tr("The minimum spend '{typed}' is not an amount of money.", typed=typed),
        )

    def _amount(self, field: QLineEdit, problem: Callable[[str], str]) -> int:
        """An optional amount field (empty: 0); ``problem`` words what was typed wrong."""
        text = field.text().strip()
        if not text:
            return 0
        try:
            return parse_amount(text, minor_digits(self._currency))
        except MoneyFormatError:
            raise InvalidInput(problem(text)) from None

    def _dates(self) -> tuple[date | None, date | None]:
        if self.by_days.isChecked():
            return None, None
        start = self.valid_from.date().toPython()
        end = self.valid_until.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return start, end
