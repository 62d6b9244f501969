"""Property-based fuzzing of the hub's HTTP API: schemathesis cases from its OpenAPI schema, sent
over real HTTP to a hub on 127.0.0.1 that holds the demo shop (its whole outbox pushed first).

- With a client's token, no request gets a server error (5xx) and every answer matches the
  schema. Besides what schemathesis makes from the schema (valid and invalid requests), coupon and
  item routes are also tried on real codes and barcodes, and pushes carry events of the types the
  hub applies with arbitrary JSON payloads: what a buggy or newer terminal could send.
- Without a valid token (none, unknown, revoked) every request answers 401 and changes nothing.

Bounded and reproducible: a fixed number of examples per operation, derandomized, no example
database, no shrinking (the first failing request is reported as a curl command).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import Select, select

from posapp.db import Database
from posapp.models import (
    Base,
    Campaign,
    CampaignState,
    Coupon,
    CouponState,
    DiscountKind,
    Item,
    ItemKind,
    MovementReason,
)
from sync.apply import APPLIERS
from sync.hub.clients import add_client, revoke_client
from sync.terminal import sync_now
from tests.sync.hub_server import RunningHub

EXAMPLES = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 15}
EXTRA_EXAMPLES = 20  # on real codes and barcodes; pushes of events the hub applies
UNAUTHORISED_EXAMPLES = 6
CHECKS = [not_a_server_error, response_schema_conformance]
EDGE_INTEGERS = (2**31, 2**63 - 1, 2**63, 2**64)
SAMPLES = 4  # real codes / barcodes of each kind the coupon and item routes are also tried on


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


class ServerErrors(logging.Handler):
    """The exceptions the hub logged as unhandled (a 500), one line each, in order."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def after(self, before: int, status: int | None) -> list[str]:
        """What was logged since ``before``; for a 5xx, waits a little for it (Starlette answers
        500 first and raises after, so uvicorn logs it once the answer is on its way)."""
        deadline = time.monotonic() + 1.0
        while status and status >= 500 and len(self.seen) <= before and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.seen[before:]

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            problem = record.exc_info[1]
            line = (str(problem).splitlines() or [""])[0]
            self.seen.append(f"{type(problem).__name__}: {line[:150]}")


@dataclass
class Target:
    url: str
    token: str
    schema: Any  # schemathesis.openapi OpenApiSchema
    codes: list[str]
    barcodes: list[str]
    server_errors: ServerErrors
    failures: dict[tuple[str, ...], str] = field(default_factory=dict)

    def operations(self) -> list[Any]:
        return [result.ok() for result in self.schema.get_all_operations()]

    def record(
        self, case: Case[Any], status: int | None, problem: BaseException, raised: list[str]
    ) -> None:
        """Keep the first example of each distinct failure (operation, what failed, what the hub
        raised), with the request in full as a curl command (the token left out)."""
        causes = getattr(problem, "exceptions", None) or [problem]
        titles = sorted({getattr(c, "title", type(c).__name__) for c in causes})
        key = (case.operation.label, *titles, *raised)
        if key in self.failures:
            return
        details = [
            " ".join(str(getattr(c, "message", c)).split())[:300] for c in causes
        ]  # one line each: the schema says / the server answered
        self.failures[key] = "\n".join(
            [
                f"{case.operation.label} -> HTTP {status}: {'; '.join(titles)}",
                *(f"    {line}" for line in details if line),
                *(f"    the hub raised {line}" for line in raised),
                f"    {case.as_curl_command()}",
            ]
        )

    def report(self) -> str:
        return f"{len(self.failures)} distinct failure(s):\n\n" + "\n\n".join(
            self.failures.values()
        )


def _sample(db: Database, query: Select[Any]) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(query.limit(SAMPLES)))


def _every_row(db: Database) -> dict[str, list[str]]:
    """Every row of every table (what 'changes nothing' compares), on SQLite and PostgreSQL."""
    with db.reading() as session:
        return {
            table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)))
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def target(shop: Database, hub: RunningHub, hub_db: Database) -> Iterator[Target]:
    sync_now(shop)  # the demo shop's outbox: store, staff, consignors, items, campaigns, coupons
    codes = _sample(  # issued coupons, multi-use campaigns first
        hub_db,
        select(Coupon.code)
        .join(Campaign, Campaign.id == Coupon.campaign_id)
        .where(Coupon.state == CouponState.ISSUED)
        .order_by(Campaign.max_uses.desc(), Coupon.id),
    )
    barcodes = [  # consigned and stock items
        *_sample(hub_db, select(Item.barcode).order_by(Item.kind, Item.id)),
        *_sample(hub_db, select(Item.barcode).order_by(Item.kind.desc(), Item.id)),
    ]
    assert codes and barcodes
    schema = schemathesis.openapi.from_url(f"{hub.url}/openapi.json")
    schema.config.update(base_url=hub.url)
    errors = ServerErrors()
    logger = logging.getLogger("uvicorn.error")  # where uvicorn logs an unhandled exception
    logger.addHandler(errors)
    try:
        yield Target(hub.url, add_client(hub_db, "fuzzer"), schema, codes, barcodes, errors)
    finally:
        logger.removeHandler(errors)


# --- what the schema alone would rarely make -----------------------------------------------------

_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.text(max_size=20)
    | st.sampled_from(["", "shop", "online", "sale", "intake", "stock", "consigned", "amount"])
)
_json = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
PAYLOAD_KEYS = (
    "barcode", "name", "kind", "price", "quantity", "reason", "code", "codes", "campaign",
    "redemption_id", "reversal_id", "amount", "channel", "customer_card", "expires_on", "id",
    "subject", "detail", "found_at", "number", "card", "state", "value", "max_uses", "currency",
    "role", "pin_hash", "lease_id", "sale_uuid", "reusable", "category", "markdown_on",
)  # fmt: skip


# The keys each applier reads (without the first ones an event is refused before it reaches the
# database).
NEEDED: dict[str, tuple[str, ...]] = {
    "store.created": ("name", "currency"),
    "user.added": ("name", "role", "pin_hash"),
    "campaign.created": ("name", "kind", "value"),
    "campaign.state": ("campaign", "state"),
    "coupons.generated": ("campaign", "codes"),
    "coupons.printed": ("codes",),
    "coupon.issued": ("code",),
    "coupon.voided": ("code",),
    "coupon.redeemed": ("code", "redemption_id", "amount"),
    "coupon.reversed": ("code", "redemption_id"),
    "coupon.seen_online": ("code",),
    "consignor.added": ("number",),
    "customer.added": ("card",),
    "item.added": ("barcode", "name", "kind", "price", "quantity"),
    "item.edited": ("barcode",),
    "stock.moved": ("barcode", "reason", "quantity"),
    "conflict.recorded": ("id", "kind", "subject"),
    "conflict.acknowledged": ("id",),
}
REUSED_IDS = ("0c6f3a52-5b7e-4d2a-9a11-2f0e6c1d7b01", "0c6f3a52-5b7e-4d2a-9a11-2f0e6c1d7b02")


_numbers = st.sampled_from(EDGE_INTEGERS) | st.integers(-(10**6), 10**6)
# Values that get an event past its applier's first checks, so that what follows is tried too.
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "kind": st.sampled_from([*(k.value for k in ItemKind), *(k.value for k in DiscountKind)]),
    "reason": st.sampled_from([reason.value for reason in MovementReason]),
    "state": st.sampled_from([state.value for state in CampaignState]),
    "price": _numbers,
    "quantity": _numbers,
    "amount": _numbers,
    "value": _numbers,
    "name": st.text(max_size=30),
    "redemption_id": st.uuids().map(str),
}
CREATED_AT = (  # mostly plain; the last two are past what a datetime holds once in UTC
    *["2025-06-01T10:00:00"] * 12,
    "2025-06-01T10:00:00Z",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
)


def _events(target: Target) -> st.SearchStrategy[list[tuple[str, dict[str, Any]]]]:
    """(type, payload) pairs: every type the hub applies, each with the keys its applier needs
    and some others, all of them arbitrary JSON, real codes and barcodes, or uuids, and for the
    keys it needs, often a plausible value."""
    value = _json | st.sampled_from([*target.codes, *target.barcodes]) | st.uuids().map(str)
    likely_for = PLAUSIBLE | {
        "code": st.sampled_from(target.codes),
        "barcode": st.sampled_from(target.barcodes) | st.from_regex(r"\A29[0-9]{11}\Z"),
    }

    def event(kind: str) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
        needed = NEEDED.get(kind, ())
        optional = {key: value for key in PAYLOAD_KEYS if key not in needed}
        likely = {key: st.one_of(*[likely_for.get(key, value)] * 2, value) for key in needed}
        payload = st.fixed_dictionaries(likely, optional=optional)
        return st.tuples(st.just(kind), payload)

    return st.lists(st.sampled_from(sorted(APPLIERS)).flatmap(event), min_size=1, max_size=3)


def _push_bodies(target: Target) -> st.SearchStrategy[dict[str, Any]]:
    """One to three events of a new terminal, in sequence (so the hub applies them); now and
    then an event id another push used already."""

    def body(
        origin: str, events: list[tuple[str, dict[str, Any]]], ids: list[str], created_at: str
    ) -> Any:
        return {
            "events": [
                {
                    "id": event_id,
                    "origin": origin,
                    "seq": seq,
                    "type": kind,
                    "payload": payload,
                    "created_at": created_at,
                }
                for seq, ((kind, payload), event_id) in enumerate(zip(events, ids, strict=False), 1)
            ]
        }

    one_in_six = st.one_of(st.sampled_from(REUSED_IDS), *[st.uuids().map(str)] * 5)
    ids = st.lists(
        one_in_six,
        min_size=3,
        max_size=3,
        unique=True,
    )
    created_at = st.sampled_from(CREATED_AT)
    return st.builds(body, st.uuids().map(str), _events(target), ids, created_at)


def _with_body(case: Case[Any], body: dict[str, Any]) -> Case[Any]:
    case.body = body
    return case


def _with_field(name: str, value: int, emptied: bool, case: Case[Any]) -> Case[Any]:
    """The body with ``name`` set to ``value``; ``emptied``: its lists emptied too (an empty push
    reaches code that events in the wrong order would stop short of)."""
    if isinstance(case.body, dict):
        body = {k: [] if emptied and isinstance(v, list) else v for k, v in case.body.items()}
        case.body = {**body, name: value}
    return case


def _unbounded_integer(schema: dict[str, Any]) -> bool:
    options = [schema, *schema.get("anyOf", [])]
    return any(o.get("type") == "integer" and "maximum" not in o for o in options)


def _body_properties(operation: Any) -> dict[str, Any]:
    content = operation.definition.raw.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = operation.schema.raw_schema["components"]["schemas"][name]
    properties: dict[str, Any] = schema.get("properties", {})
    return properties


def _bases(target: Target, operation: Any) -> list[st.SearchStrategy[Case[Any]]]:
    """Valid requests, and for coupon and item routes the same on real codes and barcodes."""
    for name, values in (("code", target.codes), ("barcode", target.barcodes)):
        if f"{{{name}}}" in operation.path:
            return [operation.as_strategy(path_parameters={name: v}) for v in values]
    return [operation.as_strategy()]


def _edges(target: Target, operation: Any) -> list[st.SearchStrategy[Case[Any]]]:
    """Integers past what a 64-bit column holds, in each query parameter and body field the
    schema gives no maximum (random integers reach them only now and then)."""
    found = []
    for parameter in operation.query:
        if _unbounded_integer(parameter.definition.get("schema", {})):
            found += [operation.as_strategy(query={parameter.name: v}) for v in EDGE_INTEGERS]
    for name, schema in _body_properties(operation).items():
        if _unbounded_integer(schema):
            edge = [partial(_with_field, name, v, e) for v in EDGE_INTEGERS for e in (False, True)]
            found += [base.map(change) for base in _bases(target, operation) for change in edge]
    return found


def _strategies(target: Target, operation: Any) -> list[tuple[int, st.SearchStrategy[Case[Any]]]]:
    """(examples, strategy) pairs to run for one operation."""
    found = [(count, operation.as_strategy(mode)) for mode, count in EXAMPLES.items()]
    if edges := _edges(target, operation):  # before the real coupons are used up below
        found.append((EXTRA_EXAMPLES, st.one_of(edges)))
    if "{code}" in operation.path or "{barcode}" in operation.path:
        found.append((EXTRA_EXAMPLES, st.one_of(_bases(target, operation))))
    if operation.method.upper() == "POST" and operation.path.endswith("/push"):
        cases = st.tuples(operation.as_strategy(), _push_bodies(target))
        found.append((3 * EXTRA_EXAMPLES, cases.map(lambda pair: _with_body(*pair))))
    return found


def _run(
    examples: int, strategy: st.SearchStrategy[Case[Any]], test: Callable[[Case[Any]], None]
) -> None:
    _settings(examples)(given(case=strategy)(test))()


def _checked_call(target: Target, headers: dict[str, str]) -> Callable[[Case[Any]], None]:
    def call(case: Case[Any]) -> None:
        status, before = None, len(target.server_errors.seen)
        try:
            response = case.call(headers=headers, timeout=30)
            status = response.status_code
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as problem:  # a FailureGroup is a BaseExceptionGroup
            target.record(case, status, problem, target.server_errors.after(before, status))

    return call


def test_no_request_with_a_token_gets_a_server_error_or_an_answer_off_schema(
    target: Target,
) -> None:
    call = _checked_call(target, {"Authorization": f"Bearer {target.token}", "Connection": "close"})
    for operation in target.operations():
        for examples, strategy in _strategies(target, operation):
            _run(examples, strategy, call)
    assert not target.failures, target.report()


def _refused_call(
    sent: dict[str, str], who: str, wrong: dict[str, str]
) -> Callable[[Case[Any]], None]:
    def call(case: Case[Any]) -> None:
        case.headers.pop("Authorization", None)
        response = case.call(headers={**sent, "Connection": "close"}, timeout=30)
        challenge = response.headers.get("www-authenticate", [""])[0]
        if response.status_code != 401 or challenge != "Bearer":
            wrong.setdefault(
                f"{case.operation.label} ({who} token)",
                f"{response.status_code}: {case.as_curl_command(headers=sent)}",
            )

    return call


def test_every_request_without_a_valid_token_gets_401_and_changes_nothing(
    target: Target, hub_db: Database
) -> None:
    revoked = add_client(hub_db, "old-till")
    revoke_client(hub_db, "old-till")
    before = _every_row(hub_db)
    credentials = {
        "none": {},
        "unknown": {"Authorization": "Bearer posapp_" + "x" * 43},
        "not ours": {"Authorization": "Bearer " + target.token[len("posapp_") :]},
        "revoked": {"Authorization": f"Bearer {revoked}"},
    }
    target.schema.config.generation.update(with_security_parameters=False)
    wrong: dict[str, str] = {}
    for operation in target.operations():
        for who, sent in credentials.items():
            _run(UNAUTHORISED_EXAMPLES, operation.as_strategy(), _refused_call(sent, who, wrong))
    assert not wrong, "\n".join(f"{label}: {what}" for label, what in wrong.items())
    assert _every_row(hub_db) == before
