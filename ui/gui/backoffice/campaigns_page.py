"""Campaigns and coupons: the campaign list with its terms and counts, pause/resume/end, a form
for a new campaign, and the chosen campaign's coupons below."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from posapp import labels
from posapp.db import Database
from posapp.i18n import money, tr
from posapp.models import CampaignState
from posapp.services.campaigns import (
    CampaignRow,
    NewCampaign,
    create_campaign,
    list_campaigns,
    set_campaign_state,
)
from posapp.services.context import Actor
from posapp.services.errors import PosError
from ui.gui.backoffice.campaign_form import CampaignForm
from ui.gui.backoffice.coupons_panel import CouponsPanel
from ui.gui.backoffice.models import Column, RowsModel
from ui.gui.backoffice.widgets import (
    MessageLabel,
    error_message,
    push_button,
    select_row,
    table_view,
)
from ui.gui.operations import Operations

STRETCH = 0  # the column that takes the spare width


def campaign_columns(currency: str) -> list[Column[CampaignRow]]:
    def over(row: CampaignRow) -> bool:
        return row.state is CampaignState.ENDED

    def min_spend(row: CampaignRow) -> str:
        return money(row.min_spend, currency) if row.min_spend else ""

    return [
        Column(tr("Name"), lambda r: r.name, muted=over),
        Column(tr("Value"), lambda r: labels.campaign_value(r, currency), muted=over),
        Column(tr("Min. spend"), min_spend, numeric=True, muted=over),
        Column(tr("Valid"), labels.campaign_validity, muted=over),
        Column(tr("Uses"), labels.campaign_uses, muted=over),
        Column(tr("Channel"), lambda r: labels.channel(r.channel), muted=over),
        Column(tr("Who pays"), lambda r: labels.funding(r.funding), muted=over),
        Column(tr("State"), lambda r: labels.campaign_state(r.state), muted=over),
        Column(tr("Coupons"), lambda r: labels.number(r.coupons), numeric=True, muted=over),
        Column(tr("Redeemed"), lambda r: labels.number(r.redeemed), numeric=True, muted=over),
    ]


class CampaignsPage(QWidget):
    def __init__(
        self, db: Database, ops: Operations, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._ops, self._actor = db, ops, actor
        self._select_id: int | None = None
        self.model: RowsModel[CampaignRow] = RowsModel(
            campaign_columns(actor.currency), lambda r: r.id, self
        )
        self.table = table_view(self.model, STRETCH, self)
        self.pause_button = push_button(tr("Pause"), self)
        self.resume_button = push_button(tr("Resume"), self)
        self.end_button = push_button(tr("End"), self)
        self.message = MessageLabel(self)
        self.coupons = CouponsPanel(db, ops, actor, self)
        self.form = CampaignForm(actor.currency, self)
        self.form.setMinimumWidth(380)
        self._lay_out()
        self._connect()
        self._state_buttons()
        self.refresh()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.pause_button, self.resume_button, self.end_button):
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)
        buttons.addStretch(0)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(upper)
        split.addWidget(self.coupons)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        layout = QHBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.form, 0, Qt.AlignmentFlag.AlignTop)
        self.setFocusProxy(self.table)

    def _connect(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._chosen())
        self.pause_button.clicked.connect(lambda: self._set_state(CampaignState.PAUSED))
        self.resume_button.clicked.connect(lambda: self._set_state(CampaignState.ACTIVE))
        self.end_button.clicked.connect(lambda: self._set_state(CampaignState.ENDED))
        self.coupons.changed.connect(self.refresh)
        print_keys = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        print_keys.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_keys.activated.connect(self.coupons.print_coupons)
        self.form.submitted.connect(self.submit)
        self.form.submit_button.clicked.connect(self.submit)

    def set_actor(self, actor: Actor) -> None:
        """Another user signed in: act as them from now on."""
        self._actor = actor
        self.coupons.set_actor(actor)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        db = self._db
        self._ops.run(
            lambda: list_campaigns(db),
            success=self._loaded,
            failure=lambda e: self.message.show_error(error_message(e)),
        )

    def _loaded(self, rows: list[CampaignRow]) -> None:
        keep = self._select_id if self._select_id is not None else self._chosen_id()
        self._select_id = None
        self.model.set_rows(rows)
        self.form.set_campaigns([row.name for row in rows])
        position = self.model.position_of(keep) if keep is not None else None
        select_row(self.table, position if position is not None else (0 if rows else None))
        self._chosen()

    def current(self) -> CampaignRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _chosen_id(self) -> int | None:
        return self.coupons.campaign.id if self.coupons.campaign else None

    def _chosen(self) -> None:
        self.coupons.show_campaign(self.current())
        self._state_buttons()

    def _state_buttons(self) -> None:
        row = self.current()
        state = row.state if row else None
        self.pause_button.setEnabled(state is CampaignState.ACTIVE)
        self.resume_button.setEnabled(state in (CampaignState.PAUSED, CampaignState.ENDED))
        self.end_button.setEnabled(state in (CampaignState.ACTIVE, CampaignState.PAUSED))

    def _set_state(self, state: CampaignState) -> None:
        row = self.current()
        if row is None:
            return
        db, actor, ref = self._db, self._actor, str(row.id)
        self._ops.run(
            lambda: set_campaign_state(db, actor, ref, state),
            success=lambda _none: self._state_set(row.name, state),
            failure=lambda e: self.message.show_error(error_message(e)),
        )

    def _state_set(self, name: str, state: CampaignState) -> None:
        self.message.show_info(
            tr("{name} is now {state}.", name=name, state=labels.campaign_state(state))
        )
        self.refresh()

    def submit(self) -> None:
        try:
            new = self.form.read()
        except PosError as error:
            self.form.message.show_error(error.message)
            return
        db, actor = self._db, self._actor
        self.form.submit_button.setEnabled(False)
        self._ops.run(
            lambda: create_campaign(db, actor, new),
            success=lambda campaign_id: self._created(new, campaign_id),
            failure=self._failed,
        )

    def _created(self, new: NewCampaign, campaign_id: int) -> None:
        self.form.submit_button.setEnabled(True)
        self.form.clear()
        self.form.message.show_info(
            tr("Created {name}. Generate its coupons below.", name=new.name)
        )
        self._select_id = campaign_id
        self.refresh()

    def _failed(self, error: Exception) -> None:
        self.form.submit_button.setEnabled(True)
        self.form.message.show_error(error_message(error))
