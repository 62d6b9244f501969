"""The Simplified Chinese catalogue is complete: every tr() message in the source tree has a
reviewed zh_CN translation with the same {placeholders}, and the app really shows it."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from posapp import i18n

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE_PACKAGES = ("posapp", "printing", "sync", "ui")
ZH_CN_PO = REPO_ROOT / "posapp" / "locale" / "zh_CN" / "LC_MESSAGES" / "posapp.po"
HOW_TO_FIX = (
    "Run `bash scripts/update-translations.sh` (PYBABEL=/path/to/pybabel if not .venv), then "
    "translate the new entries in posapp/locale/zh_CN/LC_MESSAGES/posapp.po "
    "(and remove their '#, fuzzy' flag)."
)
# Half-width sentence punctuation touching a Chinese character: use ，。：；！？（） instead.
HALF_WIDTH_NEXT_TO_HANZI = re.compile(r"[\u4e00-\u9fff][,.:;!?()]|[,:;!?(][\u4e00-\u9fff]")


@cache
def extracted_messages() -> dict[str, list[str]]:
    """Every tr("...") message id in the source tree, with where it is used."""
    found: dict[str, list[str]] = {}
    for package in SOURCE_PACKAGES:
        extracted = extract_from_dir(REPO_ROOT / package, keywords={"tr": None})
        for filename, lineno, message, _comments, _context in extracted:
            assert isinstance(message, str), f"{package}/{filename}:{lineno}: tr() takes one text"
            found.setdefault(message, []).append(f"{package}/{filename}:{lineno}")
    return found


@cache
def zh_cn_catalogue() -> Catalog:
    with ZH_CN_PO.open("rb") as handle:
        return read_po(handle, locale="zh_CN")


def placeholders(text: str) -> set[str]:
    """'{name}', '{value!r}', '{n:>3}' -> {'name', 'value!r', 'n:>3'}."""
    fields = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            fields.add(
                name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            )
    return fields


def untranslated() -> list[str]:
    catalogue = zh_cn_catalogue()
    problems = []
    for msgid, where in sorted(extracted_messages().items()):
        entry = catalogue.get(msgid)
        if entry is None or not entry.string:
            problems.append(f"  {msgid!r}  ({where[0]})")
        elif entry.fuzzy:
            problems.append(f"  {msgid!r}  ({where[0]}): marked fuzzy, needs review")
    return problems


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_locale("zh_CN")
    try:
        yield
    finally:
        i18n.set_locale("en_US")


def test_the_source_tree_has_messages_to_translate() -> None:
    messages = extracted_messages()
    assert len(messages) > 300
    assert "Wrong PIN." in messages
    assert "Sale {number}" in messages


def test_every_message_has_a_chinese_translation() -> None:
    problems = untranslated()
    assert not problems, (
        f"{len(problems)} message(s) have no zh_CN translation:\n"
        + "\n".join(problems)
        + f"\n{HOW_TO_FIX}"
    )


def test_translations_keep_exactly_the_placeholders_of_the_english() -> None:
    catalogue = zh_cn_catalogue()
    wrong = []
    for msgid in sorted(extracted_messages()):
        entry = catalogue.get(msgid)
        if entry is None or not entry.string:
            continue
        try:
            same = placeholders(str(entry.string)) == placeholders(msgid)
        except ValueError as exc:  # a stray { or } in the translation
            wrong.append(f"  {msgid!r} -> {entry.string!r}: {exc}")
            continue
        if not same:
            wrong.append(f"  {msgid!r} -> {entry.string!r}")
    assert not wrong, "zh_CN translations whose {placeholders} differ:\n" + "\n".join(wrong)


# Qt's keyboard accelerator in Chinese labels is written "(&L)" with ASCII parentheses, by custom
QT_MNEMONIC = re.compile(r"\(&[A-Z]\)")


def test_translations_use_full_width_punctuation_in_chinese_text() -> None:
    catalogue = zh_cn_catalogue()
    wrong = [
        f"  {msgid!r} -> {entry.string!r}"
        for msgid in sorted(extracted_messages())
        if (entry := catalogue.get(msgid)) is not None
        and HALF_WIDTH_NEXT_TO_HANZI.search(QT_MNEMONIC.sub("", str(entry.string)))
    ]
    assert not wrong, "use ，。：；！？（） next to Chinese text:\n" + "\n".join(wrong)


@pytest.mark.usefixtures("chinese")
def test_the_app_shows_chinese_after_switching_locale() -> None:
    assert i18n.tr("Wrong PIN.") == "密码错误。"
    assert i18n.tr("Sale {number}", number="T1-000042") == "销售单 T1-000042"
    assert i18n.tr("Change {amount}", amount="¥5.00") == "找零 ¥5.00"
    assert i18n.tr("This coupon has already been used.") == "此优惠券已使用过。"
    assert i18n.money(12345, "CNY") == "¥123.45"


@pytest.mark.usefixtures("chinese")
def test_the_app_reads_the_same_text_as_the_catalogue_file() -> None:
    catalogue = zh_cn_catalogue()
    for msgid in extracted_messages():
        entry = catalogue.get(msgid)
        if entry is not None and entry.string and not entry.fuzzy:
            assert i18n.tr(msgid) == entry.string


def test_english_is_back_after_the_chinese_tests() -> None:
    i18n.set_locale("zh_CN")
    i18n.set_locale("en_US")
    assert i18n.tr("Wrong PIN.") == "Wrong PIN."
    assert i18n.money(12345, "CNY") == "CN¥123.45"
