"""Back office, campaigns and coupons: create a campaign, generate, issue and void coupons."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from posapp import codes
from posapp.db import Database
from posapp.models import CampaignState, CouponState, DiscountKind
from posapp.services.campaigns import list_campaigns, list_coupons
from posapp.services.context import Actor
from posapp.services.demo import DemoSummary
from ui.gui.backoffice.campaigns_page import CampaignsPage
from ui.gui.operations import Operations

pytestmark = pytest.mark.gui

CODE, STATE, USES, EXPIRES, CUSTOMER = range(5)  # coupon table columns


def idle(qtbot: QtBot, ops: Operations) -> None:
    qtbot.waitUntil(lambda: ops.pending == 0)


def coupon_cells(page: CampaignsPage, column: int) -> list[str]:
    model = page.coupons.model
    return [str(model.data(model.index(row, column))) for row in range(model.rowCount())]


@pytest.fixture
def page(qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor) -> CampaignsPage:
    widget = CampaignsPage(demo_db, ops, manager)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    idle(qtbot, ops)
    return widget


def create_autumn_campaign(qtbot: QtBot, page: CampaignsPage, ops: Operations) -> None:
    form = page.form
    qtbot.keyClicks(form.name, "Autumn ¥15")
    qtbot.keyClicks(form.value, "15")
    qtbot.keyClicks(form.min_spend, "50")
    form.max_uses.setValue(2)
    qtbot.keyClick(form.min_spend, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.message.tone == "info")
    idle(qtbot, ops)


def test_a_new_campaign_is_listed_and_its_generated_coupons_show(
    qtbot: QtBot, page: CampaignsPage, demo_db: Database, ops: Operations
) -> None:
    create_autumn_campaign(qtbot, page, ops)
    chosen = page.current()
    assert chosen is not None and chosen.name == "Autumn ¥15"
    assert (chosen.kind, chosen.value, chosen.min_spend) == (DiscountKind.AMOUNT, 1500, 5000)
    assert (chosen.valid_days, chosen.max_uses) == (14, 2)
    assert page.coupons.title.text() == "Coupons of Autumn ¥15"
    assert page.coupons.model.rowCount() == 0

    page.coupons.generate_count.setValue(5)
    qtbot.mouseClick(page.coupons.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.coupons.model.rowCount() == 5)
    idle(qtbot, ops)
    assert coupon_cells(page, STATE) == ["generated"] * 5
    assert coupon_cells(page, USES) == ["0/2"] * 5
    assert all(codes.problem_with(c.replace("-", "")) is None for c in coupon_cells(page, CODE))
    assert page.coupons.message.text() == "Generated 5 coupons."
    stored = list_coupons(demo_db, "Autumn ¥15")
    assert [c.state for c in stored] == [CouponState.GENERATED] * 5
    assert page.current() is not None and page.current().coupons == 5  # type: ignore[union-attr]
    assert page.coupons.shown_label.text() == "5 of 5 coupons shown"


def test_bad_campaign_input_is_explained_and_creates_nothing(
    qtbot: QtBot, page: CampaignsPage, demo_db: Database, ops: Operations
) -> None:
    form = page.form
    qtbot.keyClicks(form.name, "Broken")
    form.kind.setCurrentIndex(form.kind.findData(DiscountKind.PERCENT))
    qtbot.keyClicks(form.value, "150")
    qtbot.keyClick(form.value, Qt.Key.Key_Return)
    assert form.message.text() == "'150' is not a percentage between 0 and 100."

    form.value.setText("10")
    form.by_dates.setChecked(True)
    form.valid_from.setDate(form.valid_until.date().addDays(5))
    qtbot.keyClick(form.value, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.message.text() == "The campaign ends before it starts.")
    idle(qtbot, ops)
    assert [c.name for c in list_campaigns(demo_db)] == ["Welcome ¥20", "春季九折 Spring 10%"]


def test_pausing_a_campaign_shows_its_new_state(
    qtbot: QtBot, page: CampaignsPage, demo_db: Database, ops: Operations
) -> None:
    assert page.current() is not None and page.pause_button.isEnabled()
    qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.text() == "Welcome ¥20 is now paused.")
    idle(qtbot, ops)
    assert list_campaigns(demo_db)[0].state is CampaignState.PAUSED
    assert page.model.data(page.model.index(0, 7)) == "paused"
    assert page.resume_button.isEnabled() and not page.pause_button.isEnabled()


def generated_row(page: CampaignsPage) -> int:
    return coupon_cells(page, STATE).index("generated")


def test_voiding_a_coupon_after_confirming_shows_it_voided(
    qtbot: QtBot, page: CampaignsPage, demo_db: Database, ops: Operations
) -> None:
    row = generated_row(page)
    page.coupons.table.selectRow(row)
    code = coupon_cells(page, CODE)[row]
    assert page.coupons.code.text() == code

    qtbot.mouseClick(page.coupons.void_button, Qt.MouseButton.LeftButton)
    assert page.coupons.confirm.isVisible()
    assert code in page.coupons.confirm.question.text()
    assert coupon_cells(page, STATE)[row] == "generated"  # nothing happens before confirming

    qtbot.mouseClick(page.coupons.confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.coupons.message.text() == f"Voided {code}.")
    idle(qtbot, ops)
    assert coupon_cells(page, STATE)[row] == "voided"
    assert not page.coupons.confirm.isVisible()
    [stored] = [c for c in list_coupons(demo_db, "Welcome ¥20") if codes.grouped(c.code) == code]
    assert stored.state is CouponState.VOIDED


def test_issuing_a_coupon_to_a_customer_card(
    qtbot: QtBot,
    page: CampaignsPage,
    demo_db: Database,
    ops: Operations,
    demo_summary: DemoSummary,
) -> None:
    row = generated_row(page)
    page.coupons.table.selectRow(row)
    code = coupon_cells(page, CODE)[row]
    qtbot.keyClicks(page.coupons.card, demo_summary.sample_card)
    qtbot.keyClick(page.coupons.card, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.coupons.message.tone == "info")
    idle(qtbot, ops)
    assert page.coupons.message.text().startswith(f"Issued {code} to ")
    assert coupon_cells(page, STATE)[row] == "issued"
    assert coupon_cells(page, CUSTOMER)[row] != ""
    assert coupon_cells(page, EXPIRES)[row] != ""

    qtbot.mouseClick(page.coupons.issue_button, Qt.MouseButton.LeftButton)  # the same code again
    qtbot.waitUntil(lambda: page.coupons.message.tone == "error")
    assert (
        page.coupons.message.text() == f"Coupon {code} is issued; only a new coupon can be issued."
    )


def test_the_bounce_back_choice_lists_the_shops_campaigns(
    qtbot: QtBot, page: CampaignsPage, ops: Operations
) -> None:
    choices = page.form.bounce_back_of
    listed = [choices.itemText(i) for i in range(choices.count())]
    assert listed[0] == ""  # none
    assert sorted(listed[1:]) == sorted(row.name for row in page.model.rows)
    create_autumn_campaign(qtbot, page, ops)
    qtbot.waitUntil(lambda: choices.findText("Autumn ¥15") >= 0)
