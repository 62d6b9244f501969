"""The hub's HTTP API (FastAPI). Every route needs a client's bearer token; a wrong or revoked
token gets 401 and changes nothing. A request that writes is one unit of work; one that only
reads (status, changes, snapshot pages, holds, the online catalogue, conflicts) is one read
transaction, so it never waits for the write lock. Writers queue in this process (_Writers)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from posapp import __version__, codes
from posapp.db import Database
from posapp.i18n import tr
from posapp.models import HubClient, HubOrigin, SyncConflict
from posapp.services.errors import PosError
from sync.hub import coupons, feed, ingest, items, log, staff
from sync.hub.clients import authenticate
from sync.hub.config import HubConfig
from sync.projection import ProjectionRefused
from sync.protocol import (
    API,
    MAX_INT,
    MAX_PULL,
    MAX_SNAPSHOT,
    Changes,
    ConflictOut,
    CouponCheck,
    CouponLeaseRequest,
    CouponRedeem,
    CouponReserve,
    CouponVerdict,
    HoldOut,
    HubStatus,
    ItemReservationOut,
    ItemReserve,
    OnlineItems,
    OnlineSale,
    OnlineSaleOut,
    PushRequest,
    PushResult,
    Refused,
    SnapshotPage,
    SnapshotTable,
    Staff,
)

_bearer = HTTPBearer(auto_error=False, description="a client token from `posapp hub add-terminal`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
TOKEN_RECHECK_S = 5.0
REFUSED: dict[int | str, dict[str, Any]] = {409: {"model": Refused}, 404: {"model": Refused}}


class _Unauthorised(HTTPException):
    def __init__(self) -> None:
        super().__init__(
            401,
            tr("This token is not valid here: it is unknown or was revoked."),
            headers={"WWW-Authenticate": "Bearer"},
        )


class _Writers:
    """The hub's writers queue here, one at a time (SQLite: before BEGIN IMMEDIATE, so that a
    waiting writer is woken when the lock is free instead of sleeping in SQLite's busy handler).
    A push (many events) lets the short ones (a coupon or item reserved, redeemed, released)
    that are waiting go first."""

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._busy = False
        self._short_waiting = 0

    def short_waiting(self) -> bool:
        return self._short_waiting > 0

    @contextmanager
    def hold(self, bulk: bool) -> Iterator[None]:
        with self._turn:
            self._short_waiting += 0 if bulk else 1
            try:
                while self._busy or (bulk and self._short_waiting):
                    self._turn.wait()
            finally:
                self._short_waiting -= 0 if bulk else 1
            self._busy = True
        try:
            yield
        finally:
            with self._turn:
                self._busy = False
                self._turn.notify_all()


def create_app(db: Database, config: HubConfig | None = None) -> FastAPI:
    settings = config or HubConfig()
    app = FastAPI(
        title="posapp hub",
        version=__version__,
        description="Sync between posapp terminals, online stores and the hub.",
    )

    recently_valid: dict[str, float] = {}  # token: when the database last said it was valid

    def valid(token: str) -> bool:
        with db.reading() as session:
            found = authenticate(session, token) is not None
        if found:
            recently_valid[token] = time.monotonic()
        return found

    async def authorised(credentials: Credentials) -> None:
        """Checked before the request body is read: without a valid token, 401 whatever else
        is wrong with the request. A token found valid in the last few seconds is not looked up
        again here: every route checks it once more in its own transaction (work, read), so a
        revoked token changes nothing from the moment it is revoked."""
        if credentials is None:
            raise _Unauthorised()
        token = credentials.credentials
        checked = recently_valid.get(token)
        if checked is not None and time.monotonic() - checked < TOKEN_RECHECK_S:
            return
        if not await run_in_threadpool(valid, token):
            recently_valid.pop(token, None)
            raise _Unauthorised()

    router = APIRouter(prefix=API, dependencies=[Depends(authorised)])

    writers = _Writers()

    @contextmanager
    def work(
        credentials: HTTPAuthorizationCredentials | None, *, bulk: bool = False
    ) -> Iterator[tuple[Session, HubClient]]:
        with writers.hold(bulk), db.unit_of_work() as session:
            client = authenticate(session, credentials.credentials) if credentials else None
            if client is None:
                raise _Unauthorised()
            yield session, client

    @contextmanager
    def read(
        credentials: HTTPAuthorizationCredentials | None,
    ) -> Iterator[tuple[Session, HubClient]]:
        with db.reading() as session:
            client = authenticate(session, credentials.credentials) if credentials else None
            if client is None:
                raise _Unauthorised()
            yield session, client

    @app.exception_handler(PosError)
    def _refused(_request: Request, problem: PosError) -> JSONResponse:
        return JSONResponse(
            Refused(reason=type(problem).__name__.lower(), message=str(problem)).model_dump(), 409
        )

    @app.exception_handler(coupons.CouponRefused)
    def _coupon_refused(_request: Request, problem: coupons.CouponRefused) -> JSONResponse:
        body = Refused(reason=problem.refusal.reason.value, message=problem.refusal.message)
        return JSONResponse(body.model_dump(), problem.status)

    @app.exception_handler(items.ItemRefused)
    def _item_refused(_request: Request, problem: items.ItemRefused) -> JSONResponse:
        return JSONResponse(problem.refused.model_dump(), problem.status)

    def code_of(text: str) -> str:
        return codes.normalise(codes.strip_scanner_noise(text)[0])

    @router.get("/status")
    def status(credentials: Credentials) -> HubStatus:
        with read(credentials) as (session, client):
            origins = session.scalars(select(HubOrigin).where(HubOrigin.client_id == client.id))
            open_conflicts = session.scalars(
                select(SyncConflict.id).where(SyncConflict.acknowledged_at.is_(None))
            ).all()
            return HubStatus(
                client=client.name,
                kind=client.kind,
                cursor=log.log_head(session),
                origins={o.origin: o.applied_seq for o in origins},
                conflicts=len(open_conflicts),
            )

    @router.post("/push", responses=REFUSED)
    def push(body: PushRequest, credentials: Credentials) -> PushResult:
        """One unit of work, cut short whenever a short writer is waiting: what is applied
        stays applied (each event once, in order), the rest goes on in the next one."""
        events = body.events
        total = PushResult(applied=0, duplicates=0, acked={}, conflicts=[])
        careful = False  # rows written together, unless the database refused some of them
        while True:
            try:
                with work(credentials, bulk=True) as (session, client):
                    result, events = ingest.push(
                        session,
                        client,
                        events,
                        settings,
                        body.cursor,
                        pause=writers.short_waiting,
                        everything=body.events,
                        careful=careful,
                    )
            except ProjectionRefused:
                careful = True  # rolled back: again, each event in a savepoint of its own
                continue
            total.applied += result.applied
            total.duplicates += result.duplicates
            total.acked |= result.acked
            total.conflicts += result.conflicts
            if not events:
                return total

    @router.get("/changes")
    def changes(
        credentials: Credentials,
        after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = 1000,
    ) -> Changes:
        with read(credentials) as (session, client):
            return feed.changes_after(session, client, after, limit)

    @router.get("/snapshot/{table}")
    def snapshot(
        table: SnapshotTable,
        credentials: Credentials,
        after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_SNAPSHOT)] = 5000,
    ) -> SnapshotPage:
        with read(credentials) as (session, _client):
            return feed.snapshot_page(session, table, after, limit)

    @router.post("/coupons/{code}/check", responses=REFUSED)
    def check_coupon(code: str, body: CouponCheck, credentials: Credentials) -> CouponVerdict:
        with work(credentials) as (session, _client):
            return coupons.check(session, code_of(code), body)

    @router.post("/coupons/{code}/reserve", responses=REFUSED)
    def reserve_coupon(code: str, body: CouponReserve, credentials: Credentials) -> HoldOut:
        if body.channel == "online":  # kept even if the reservation is refused
            with work(credentials) as (session, _client):
                coupons.note_seen_online(session, code_of(code))
        with work(credentials) as (session, client):
            return coupons.reserve(session, client, code_of(code), body)

    @router.post("/coupons/{code}/redeem", responses=REFUSED)
    def redeem_coupon(code: str, body: CouponRedeem, credentials: Credentials) -> CouponVerdict:
        with work(credentials) as (session, _client):  # kept even if the use is refused
            coupons.note_seen_online(session, code_of(code))
        with work(credentials) as (session, client):
            return coupons.redeem(session, client, code_of(code), body)

    @router.post("/coupons/{code}/lease", responses=REFUSED)
    def lease_coupon(code: str, body: CouponLeaseRequest, credentials: Credentials) -> HoldOut:
        with work(credentials) as (session, client):
            return coupons.lease(session, client, code_of(code), body)

    @router.get("/holds")
    def list_holds(credentials: Credentials) -> list[HoldOut]:
        with read(credentials) as (session, client):
            return coupons.client_holds(session, client)

    @router.delete("/holds/{hold_id}", status_code=204)
    def release_hold(hold_id: str, credentials: Credentials) -> Response:
        with work(credentials) as (session, client):
            coupons.release(session, client, hold_id)
        return Response(status_code=204)

    @router.post("/items/{barcode}/reserve", responses=REFUSED)
    def reserve_item(
        barcode: str, body: ItemReserve, credentials: Credentials
    ) -> ItemReservationOut:
        with work(credentials) as (session, client):
            return items.reserve(session, client, barcode, body, settings)

    @router.delete("/item-reservations/{reservation_id}", status_code=204)
    def release_item(reservation_id: str, credentials: Credentials) -> Response:
        with work(credentials) as (session, client):
            items.release(session, client, reservation_id)
        return Response(status_code=204)

    @router.post("/items/{barcode}/sell", responses=REFUSED)
    def sell_item(barcode: str, body: OnlineSale, credentials: Credentials) -> OnlineSaleOut:
        with work(credentials) as (session, client):
            return items.sell_online(session, client, barcode, body, settings)

    @router.get("/items")
    def online_items(
        credentials: Credentials,
        after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_SNAPSHOT)] = 500,
    ) -> OnlineItems:
        with read(credentials) as (session, _client):
            return items.online_catalogue(session, settings, after, limit)

    @router.put("/staff", status_code=204)
    def put_staff(body: Staff, credentials: Credentials) -> Response:
        with work(credentials) as (session, _client):
            staff.replace_staff(session, body)
        return Response(status_code=204)

    @router.get("/conflicts")
    def conflicts(credentials: Credentials) -> list[ConflictOut]:
        with read(credentials) as (session, _client):
            rows = session.scalars(select(SyncConflict).order_by(SyncConflict.found_at))
            return [log.conflict_out(row) for row in rows]

    app.include_router(router)
    return app
