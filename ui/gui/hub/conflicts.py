"""The Sync page's conflicts table: one row a conflict, in plain words; an acknowledged one
greyed, with who acknowledged it and when. A cell cut short shows whole in its tooltip."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from posapp.i18n import moment, tr
from sync.conflicts import ConflictRow, kind_word, summary
from ui.gui.backoffice.models import Column, RowsModel

SUMMARY_COLUMN = 3
ACKNOWLEDGED_COLUMN = 4
TOOLTIP_ROLE = Qt.ItemDataRole.ToolTipRole


def conflict_columns() -> list[Column[ConflictRow]]:
    def acknowledged(row: ConflictRow) -> str:
        if row.acknowledged_at is None:
            return ""
        return tr("{time} by {name}", time=moment(row.acknowledged_at), name=row.acknowledged_by)

    return [
        Column(tr("Found"), lambda r: moment(r.found_at), muted=lambda r: r.acknowledged),
        Column(tr("What"), lambda r: kind_word(r.kind), muted=lambda r: r.acknowledged),
        Column(tr("Coupon or item"), lambda r: r.subject, muted=lambda r: r.acknowledged),
        Column(tr("What happened"), summary, muted=lambda r: r.acknowledged),
        Column(tr("Acknowledged"), acknowledged, muted=lambda r: r.acknowledged),
    ]


class ConflictsModel(RowsModel[ConflictRow]):
    """The conflicts; a cell cut short shows whole in its tooltip."""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == TOOLTIP_ROLE:
            return super().data(index, Qt.ItemDataRole.DisplayRole)
        return super().data(index, role)


def acknowledged_text(row: ConflictRow) -> str:
    """Who acknowledged the conflict and when, and which conflict it is."""
    assert row.acknowledged_at is not None
    return tr(
        "Acknowledged by {name} at {time}: {what}, {subject}.",
        name=row.acknowledged_by or "?",
        time=moment(row.acknowledged_at),
        what=kind_word(row.kind),
        subject=row.subject,
    )
