"""The coupons of one campaign, newest first and fetched in chunks: generate more, print the new
ones on a label sheet (preview, then a printer or a PDF; printed once handed over), issue one to a
customer (or over the counter), void one. Each coupon shows its code, state (expired once past its
last day, by the till's own rule: the listing service derives it), uses and expiry."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from posapp import codes, labels
from posapp.db import Database
from posapp.i18n import moment, tr
from posapp.models import CouponState
from posapp.services.campaigns import (
    MAX_COUPONS_PER_BATCH,
    CampaignRow,
    CouponRow,
    generate_coupons,
    issue_coupon,
    list_coupons,
    void_coupon,
)
from posapp.services.context import Actor
from posapp.services.coupon_printing import (
    CouponPrintJob,
    PrintRecord,
    coupons_to_print,
    record_coupons_printed,
)
from printing.coupon_sheet import coupon_sheet_pdf
from printing.layouts import find_layout
from ui.gui.backoffice.models import ChunkedModel, Column
from ui.gui.backoffice.widgets import (
    ConfirmBar,
    MessageLabel,
    error_message,
    push_button,
    table_view,
)
from ui.gui.operations import Operations
from ui.gui.printing import PrintPreview, PrintRequest, sheet_layouts
from ui.gui.printing.request import file_name

_SPENT = (CouponState.REDEEMED, CouponState.VOIDED, CouponState.EXPIRED)

STRETCH = 4  # the column that takes the spare width


def coupon_columns() -> list[Column[CouponRow]]:
    def spent(row: CouponRow) -> bool:
        return row.state in _SPENT

    return [
        Column(tr("Code"), lambda r: codes.grouped(r.code), muted=spent),
        Column(tr("State"), lambda r: labels.coupon_state(r.state), muted=spent),
        Column(
            tr("Uses"),
            lambda r: tr("{uses}/{most}", uses=r.uses, most=r.max_uses),
            numeric=True,
            muted=spent,
        ),
        Column(tr("Expires"), lambda r: labels.optional_day(r.expires), muted=spent),
        Column(tr("Customer"), lambda r: r.customer or "", muted=spent),
        Column(tr("Issued"), lambda r: moment(r.issued_at) if r.issued_at else "", muted=spent),
    ]


class CouponsPanel(QWidget):
    changed = Signal()  # coupons were generated, issued or voided: the campaign counts moved

    def __init__(
        self, db: Database, ops: Operations, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._ops, self._actor = db, ops, actor
        self.campaign: CampaignRow | None = None
        self._build()
        self._lay_out()
        self._connect()
        self.show_campaign(None)

    def _build(self) -> None:
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold;")
        self.state_filter = QComboBox(self)
        self.state_filter.addItem(tr("All states"), None)
        for state in CouponState:
            self.state_filter.addItem(labels.coupon_state(state), state)
        self.generate_count = QSpinBox(self)
        self.generate_count.setRange(1, MAX_COUPONS_PER_BATCH)
        self.generate_count.setValue(10)
        self.generate_button = push_button(tr("Generate coupons"), self)
        self.print_button = push_button(tr("Print coupons… (Ctrl+P)"), self)
        self.print_button.setToolTip(
            tr(
                "Print the campaign's new coupons on a label sheet; they become printed and their "
                "validity days start (the sheet shows the last day)."
            )
        )
        self.preview: PrintPreview | None = None
        self.model: ChunkedModel[CouponRow] = ChunkedModel(
            coupon_columns(), lambda r: r.code, self._ops, parent=self
        )
        self.table = table_view(self.model, STRETCH, self)
        self.shown_label = QLabel(self)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText(tr("Coupon code: choose one above or scan it"))
        self.card = QLineEdit(self)
        self.card.setPlaceholderText(tr("Customer card (optional)"))
        self.issue_button = push_button(tr("Issue"), self)
        self.void_button = push_button(tr("Void…"), self)
        self.confirm = ConfirmBar(self)
        self.message = MessageLabel(self)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.state_filter)
        top.addWidget(self.generate_count)
        top.addWidget(self.generate_button)
        top.addWidget(self.print_button)
        actions = QHBoxLayout()
        actions.addWidget(self.code, 2)
        actions.addWidget(self.card, 1)
        actions.addWidget(self.issue_button)
        actions.addWidget(self.void_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.shown_label)
        layout.addLayout(actions)
        layout.addWidget(self.confirm)
        layout.addWidget(self.message)

    def _connect(self) -> None:
        self.state_filter.currentIndexChanged.connect(lambda _i: self._load())
        self.generate_button.clicked.connect(self.generate)
        self.generate_count.lineEdit().returnPressed.connect(self.generate)
        self.print_button.clicked.connect(self.print_coupons)
        self.issue_button.clicked.connect(self.issue)
        self.card.returnPressed.connect(self.issue)
        self.void_button.clicked.connect(self.ask_void)
        self.model.loaded.connect(self._show_counts)
        self.model.failed.connect(self.message.show_error)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._chosen())

    def set_actor(self, actor: Actor) -> None:
        """Another user signed in: act as them from now on."""
        self._actor = actor

    def show_campaign(self, campaign: CampaignRow | None) -> None:
        """Show ``campaign``'s coupons (None: nothing chosen)."""
        same = (
            campaign is not None and self.campaign is not None and campaign.id == self.campaign.id
        )
        self.campaign = campaign
        for widget in (
            self.generate_button,
            self.generate_count,
            self.issue_button,
            self.print_button,
        ):
            widget.setEnabled(campaign is not None)
        self.void_button.setEnabled(campaign is not None)
        if campaign is None:
            self.title.setText(tr("Choose a campaign to see its coupons."))
            self.model.set_rows([])
            self.shown_label.clear()
            return
        self.title.setText(tr("Coupons of {name}", name=campaign.name))
        if same:
            self._show_counts()
        else:
            self.confirm.dismiss()
            self.message.clear_message()
            self._load()

    def _load(self) -> None:
        if self.campaign is None:
            return
        db, ref, state = self._db, str(self.campaign.id), self.state_filter.currentData()
        self.model.load(
            lambda offset, limit: list_coupons(db, ref, limit, offset, state, newest_first=True)
        )

    def _show_counts(self) -> None:
        if self.campaign is None:
            return
        shown = self.model.rowCount()
        if self.state_filter.currentData() is None:
            self.shown_label.setText(
                tr(
                    "{shown} of {total} coupons shown",
                    shown=labels.number(shown),
                    total=labels.number(self.campaign.coupons),
                )
            )
        else:
            self.shown_label.setText(tr("{shown} coupons shown", shown=labels.number(shown)))

    def _chosen(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.code.setText(codes.grouped(self.model.row_at(index.row()).code))

    def generate(self) -> None:
        if self.campaign is None:
            return
        db, actor = self._db, self._actor
        ref, count = str(self.campaign.id), self.generate_count.value()
        self.generate_button.setEnabled(False)
        self.message.show_note(tr("Generating {count} coupons…", count=labels.number(count)))
        self._ops.run(
            lambda: len(generate_coupons(db, actor, ref, count)),
            success=lambda made: self._done(
                tr("Generated 1 coupon.")
                if made == 1
                else tr("Generated {count} coupons.", count=labels.number(made))
            ),
            failure=self._failed,
        )

    def print_coupons(self) -> None:
        """Preview the campaign's new coupons on a label sheet, to print or save as a PDF."""
        if self.campaign is None:
            return
        db, ref = self._db, str(self.campaign.id)
        self.print_button.setEnabled(False)
        self.message.show_note(tr("Preparing the coupons to print…"))
        self._ops.run(
            lambda: coupons_to_print(db, ref),
            success=self._preview_coupons,
            failure=self._print_failed,
        )

    def _preview_coupons(self, job: CouponPrintJob) -> None:
        self.print_button.setEnabled(self.campaign is not None)
        self.message.clear_message()
        db, actor = self._db, self._actor
        request = PrintRequest(
            title=tr("{count} coupons of {name}", count=len(job.coupons), name=job.campaign_name),
            file_name=file_name("coupons", job.campaign_name),
            build=lambda key: coupon_sheet_pdf(job, find_layout(key)),
            layouts=sheet_layouts(),
            record=lambda output: printed_text(record_coupons_printed(db, actor, job, output)),
        )
        if self.preview is not None:
            self.preview.deleteLater()
        self.preview = PrintPreview.show_request(request, self._ops, self)
        self.preview.handed_over.connect(self._done)

    def _print_failed(self, error: Exception) -> None:
        self.print_button.setEnabled(self.campaign is not None)
        self.message.show_error(error_message(error))

    def issue(self) -> None:
        code, card = self.code.text().strip(), self.card.text().strip() or None
        if not code:
            self.message.show_error(tr("Choose a coupon in the list or scan its code first."))
            return
        db, actor = self._db, self._actor
        self._ops.run(
            lambda: issue_coupon(db, actor, code, card),
            success=self._issued,
            failure=self._failed,
        )

    def _issued(self, row: CouponRow) -> None:
        self.card.clear()
        if row.customer:
            text = tr(
                "Issued {code} to {customer}.", code=codes.grouped(row.code), customer=row.customer
            )
        else:
            text = tr("Issued {code}.", code=codes.grouped(row.code))
        if row.expires:
            text += " " + tr("Valid until {day}.", day=labels.optional_day(row.expires))
        self._done(text)

    def ask_void(self) -> None:
        code = self.code.text().strip()
        if not code:
            self.message.show_error(tr("Choose a coupon in the list or scan its code first."))
            return
        self.message.clear_message()
        self.confirm.ask(
            tr("Void coupon {code}? It can never be used after this.", code=code),
            tr("Void coupon"),
            lambda: self._void(code),
        )

    def _void(self, code: str) -> None:
        db, actor = self._db, self._actor
        self._ops.run(
            lambda: void_coupon(db, actor, code),
            success=lambda _none: self._done(tr("Voided {code}.", code=code)),
            failure=self._failed,
        )

    def _done(self, text: str) -> None:
        self.generate_button.setEnabled(self.campaign is not None)
        self.message.show_info(text)
        self.model.refresh()
        self.changed.emit()

    def _failed(self, error: Exception) -> None:
        self.generate_button.setEnabled(self.campaign is not None)
        self.message.show_error(error_message(error))


def printed_text(record: PrintRecord) -> str:
    text = tr("{count} coupons are now printed.", count=labels.number(record.printed))
    if record.reprinted:
        text += " " + tr(
            "{count} of them were printed before (recorded as a reprint).",
            count=record.reprinted,
        )
    return text
