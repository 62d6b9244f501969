"""The terminal's HTTP client for the hub: typed calls, plain-words errors, retries with
exponential backoff and jitter for what may pass (a lost connection, a hub restarting, a 5xx)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel
from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from posapp.i18n import tr
from sync.protocol import (
    API,
    Changes,
    CouponCheck,
    CouponLeaseRequest,
    CouponReserve,
    CouponVerdict,
    HoldOut,
    HubStatus,
    ItemReservationOut,
    ItemReserve,
    PushRequest,
    PushResult,
    Refused,
    SnapshotPage,
    SnapshotTable,
    Staff,
    WireEvent,
)

Model = TypeVar("Model", bound=BaseModel)


class HubError(Exception):
    """Something went wrong talking to the hub; the message says what, in plain words."""


class HubUnreachable(HubError):
    """No answer, or an answer that says 'try later' (5xx): the till works offline."""


class HubRejectedToken(HubError):
    """401: this till's token is wrong or was revoked."""


class HubRefused(HubError):
    """409/404: the hub understood and said no (a coupon used elsewhere, an item sold...)."""

    def __init__(self, refused: Refused) -> None:
        super().__init__(refused.message)
        self.reason = refused.reason


class HubClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 10.0,
        attempts: int = 4,
        max_wait: float = 4.0,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        """``now``: this till's clock (aware UTC), against which the hub's is measured."""
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )
        self._attempts = attempts
        self._max_wait = max_wait
        self._now = now or (lambda: datetime.now(UTC))
        # The hub's clock less this till's, in seconds, from the last answer's Date header.
        self.clock_offset: float | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- transport ---------------------------------------------------------------------------

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            sent = self._now()
            response = self._http.request(method, API + path, **kwargs)
            self._note_clock(response, sent, self._now())
        except httpx.TimeoutException as problem:
            raise HubUnreachable(
                tr("The hub at {url} did not answer in time.", url=self.base_url)
            ) from problem
        except httpx.TransportError as problem:
            raise HubUnreachable(
                tr("Cannot reach the hub at {url}: {problem}", url=self.base_url, problem=problem)
            ) from problem
        if response.status_code >= 500:
            raise HubUnreachable(
                tr(
                    "The hub at {url} had a problem (HTTP {status}); it will be tried again.",
                    url=self.base_url,
                    status=response.status_code,
                )
            )
        if response.status_code == 401:
            raise HubRejectedToken(
                tr(
                    "The hub refused this till's token (unknown or revoked). Ask for a new one "
                    "and run 'posapp sync setup' again."
                )
            )
        if response.status_code in (404, 409):
            try:
                refused = Refused.model_validate(response.json())
            except ValueError:
                refused = Refused(reason="refused", message=response.text[:200])
            raise HubRefused(refused)
        if response.status_code >= 400:
            raise HubError(
                tr(
                    "The hub did not accept the request (HTTP {status}): {body}",
                    status=response.status_code,
                    body=response.text[:200],
                )
            )
        return response

    def _note_clock(self, response: httpx.Response, sent: datetime, received: datetime) -> None:
        """The hub's time (its Date header, to the second) against the middle of the exchange."""
        try:
            hub_time = parsedate_to_datetime(response.headers.get("date", ""))
        except (TypeError, ValueError):
            return
        if hub_time.tzinfo is not None:
            middle = sent + (received - sent) / 2
            # + 0.5 s: the header drops the fraction of its second
            self.clock_offset = (hub_time - middle).total_seconds() + 0.5

    def _call(self, method: str, path: str, model: type[Model] | None, **kwargs: Any) -> Any:
        """One request, retried while the hub is out of reach (every call is safe to repeat:
        the hub applies each event, hold and sale once by its id)."""
        for attempt in Retrying(
            retry=retry_if_exception_type(HubUnreachable),
            wait=wait_random_exponential(multiplier=0.25, max=self._max_wait),
            stop=stop_after_attempt(self._attempts),
            reraise=True,
        ):
            with attempt:
                response = self._send(method, path, **kwargs)
        if model is None:
            return None
        return model.model_validate_json(response.content)

    # --- the API -----------------------------------------------------------------------------

    def status(self) -> HubStatus:
        result: HubStatus = self._call("GET", "/status", HubStatus)
        return result

    def push(self, events: list[WireEvent], cursor: int | None = None) -> PushResult:
        body = PushRequest(events=events, cursor=cursor).model_dump(mode="json")
        result: PushResult = self._call("POST", "/push", PushResult, json=body)
        return result

    def changes(self, after: int, limit: int) -> Changes:
        result: Changes = self._call(
            "GET", "/changes", Changes, params={"after": after, "limit": limit}
        )
        return result

    def snapshot(self, table: SnapshotTable, after: int, limit: int) -> SnapshotPage:
        result: SnapshotPage = self._call(
            "GET", f"/snapshot/{table}", SnapshotPage, params={"after": after, "limit": limit}
        )
        return result

    def check_coupon(self, code: str, body: CouponCheck) -> CouponVerdict:
        result: CouponVerdict = self._call(
            "POST", f"/coupons/{code}/check", CouponVerdict, json=body.model_dump()
        )
        return result

    def reserve_coupon(self, code: str, body: CouponReserve) -> HoldOut:
        result: HoldOut = self._call(
            "POST", f"/coupons/{code}/reserve", HoldOut, json=body.model_dump()
        )
        return result

    def lease_coupon(self, code: str, body: CouponLeaseRequest) -> HoldOut:
        result: HoldOut = self._call(
            "POST", f"/coupons/{code}/lease", HoldOut, json=body.model_dump()
        )
        return result

    def release_hold(self, hold_id: str) -> None:
        self._call("DELETE", f"/holds/{hold_id}", None)

    def reserve_item(self, barcode: str, body: ItemReserve) -> ItemReservationOut:
        result: ItemReservationOut = self._call(
            "POST", f"/items/{barcode}/reserve", ItemReservationOut, json=body.model_dump()
        )
        return result

    def put_staff(self, staff: Staff) -> None:
        self._call("PUT", "/staff", None, json=staff.model_dump())

    def release_item(self, reservation_id: str) -> None:
        self._call("DELETE", f"/item-reservations/{reservation_id}", None)
