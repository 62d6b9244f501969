"""The variance report of the count on screen: missing, extra, outside the scope, unknown and
scanned-again codes with quantities and value at price, and the totals by consignor. Commit
(managers) and Cancel count ask inline, never in a dialog."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from posapp.i18n import money, tr
from posapp.models import Role
from posapp.services.count_report import ConsignorVariance, CountReport
from posapp.services.count_variance import VarianceLine
from ui.gui.backoffice.models import Column, RowsModel
from ui.gui.backoffice.widgets import ConfirmBar, MessageLabel, push_button, table_view
from ui.gui.style import scaled_font


@dataclass(frozen=True)
class ReportRow:
    section: str
    code: str
    name: str
    consignor: str
    expected: int | None
    counted: int
    variance: int | None
    value: int | None


def _number(value: int | None, signed: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:+d}" if signed and value else str(value)


def report_rows(report: CountReport) -> list[ReportRow]:
    def line(section: str, x: VarianceLine) -> ReportRow:
        name = x.name + (tr(" (check by hand)") if x.needs_review else "")
        return ReportRow(section, x.barcode, name, x.consignor_number or "", x.expected,
                         x.counted, x.variance, x.value)  # fmt: skip

    rows = [line(tr("Missing"), x) for x in report.missing]
    rows += [line(tr("Extra"), x) for x in report.extra]
    rows += [line(tr("Outside scope"), x) for x in report.outside_scope]
    rows += [ReportRow(tr("Unknown"), u.code, "", "", None, u.quantity, None, None)
             for u in report.unknown]  # fmt: skip
    rows += [ReportRow(tr("Scanned again"), r.code, r.name or "", "", None, r.extra_scans, None,
                       None) for r in report.repeated]  # fmt: skip
    return rows


def line_columns(currency: str) -> list[Column[ReportRow]]:
    def value(row: ReportRow) -> str:
        return "" if row.value is None else money(row.value, currency)

    return [
        Column(tr("Section"), lambda r: r.section),
        Column(tr("Barcode"), lambda r: r.code),
        Column(tr("Name"), lambda r: r.name),
        Column(tr("Consignor"), lambda r: r.consignor),
        Column(tr("Expected"), lambda r: _number(r.expected), numeric=True),
        Column(tr("Counted"), lambda r: str(r.counted), numeric=True),
        Column(tr("Variance"), lambda r: _number(r.variance, signed=True), numeric=True),
        Column(tr("Value"), value, numeric=True),
    ]


def consignor_columns(currency: str) -> list[Column[ConsignorVariance]]:
    return [
        Column(tr("Consignor"), lambda c: f"{c.number} {c.name}"),
        Column(tr("Missing"), lambda c: str(c.missing), numeric=True),
        Column(tr("Missing value"), lambda c: money(c.missing_value, currency), numeric=True),
        Column(tr("Extra"), lambda c: str(c.extra), numeric=True),
        Column(tr("Extra value"), lambda c: money(c.extra_value, currency), numeric=True),
    ]


def summary_text(report: CountReport, currency: str) -> str:
    def total(lines: list[VarianceLine]) -> tuple[int, str]:
        return sum(abs(x.variance) for x in lines), money(
            sum(abs(x.value) for x in lines), currency
        )

    missing, missing_value = total(report.missing)
    extra, extra_value = total(report.extra)
    return tr(
        "Missing {missing} ({missing_value}) · Extra {extra} ({extra_value}) · Unknown codes "
        "{unknown} · Outside scope {outside} · Scanned again {repeated}",
        missing=missing, missing_value=missing_value, extra=extra, extra_value=extra_value,
        unknown=len(report.unknown), outside=len(report.outside_scope),
        repeated=len(report.repeated),
    )  # fmt: skip


class ReportView(QWidget):
    commit_confirmed = Signal()
    cancel_confirmed = Signal()
    back = Signal()

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._currency = currency
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setFont(scaled_font(self.font(), 1.15, bold=True))
        self.model: RowsModel[ReportRow] = RowsModel(line_columns(currency), lambda r: r, self)
        self.table = table_view(self.model, 2, self)
        self.owners_title = QLabel(tr("By consignor"), self)
        self.owners_title.setObjectName("section")
        self.owners: RowsModel[ConsignorVariance] = RowsModel(
            consignor_columns(currency), lambda c: c.number, self
        )
        self.owners_table = table_view(self.owners, 0, self)
        self.owners_table.setMaximumHeight(170)
        self.message = MessageLabel(self)
        self.confirm = ConfirmBar(self)
        self.confirm.cancel_button.setText(tr("Keep counting"))
        self.commit_button = push_button(tr("Commit count…"), self)
        self.cancel_button = push_button(tr("Cancel count…"), self)
        self.back_button = push_button(tr("Back to scanning (Esc)"), self)
        self._lay_out()
        self.commit_button.clicked.connect(self.ask_commit)
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.back_button.clicked.connect(self.back)

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.commit_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.owners_title)
        layout.addWidget(self.owners_table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.confirm)
        layout.addLayout(buttons)

    def set_role(self, role: Role) -> None:
        manager = role is Role.MANAGER
        self.commit_button.setEnabled(manager)
        self.commit_button.setToolTip("" if manager else tr("Only a manager can commit a count."))

    def show_report(self, report: CountReport) -> None:
        self.message.clear_message()
        self.summary.setText(summary_text(report, self._currency))
        self.model.set_rows(report_rows(report))
        owners = report.by_consignor()
        self.owners.set_rows(owners)
        self.owners_title.setVisible(bool(owners))
        self.owners_table.setVisible(bool(owners))

    def show_unavailable(self, message: str) -> None:
        """The report cannot be shown (a blind count, to a cashier): say why, show nothing."""
        self.summary.setText("")
        self.model.set_rows([])
        self.owners.set_rows([])
        self.owners_title.hide()
        self.owners_table.hide()
        self.message.show_error(message)

    def loading(self) -> None:
        self.summary.setText(tr("Working out the variance…"))

    def ask_commit(self) -> None:
        if not self.commit_button.isEnabled():
            self.message.show_error(tr("Only a manager can commit a count."))
            return
        question = tr("Write a correction for every missing and extra line? This cannot be "
                      "undone; the count closes.")  # fmt: skip
        self.confirm.ask(question, tr("Commit"), self.commit_confirmed.emit)

    def ask_cancel(self) -> None:
        question = tr("Cancel this count? No stock changes; its scans stay on record.")
        self.confirm.ask(question, tr("Cancel count"), self.cancel_confirmed.emit)
