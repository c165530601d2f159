"""LL2 over HTTP, politely: the allowance first, then the request, retried with care.

    async with LL2Client(options, clock=clock, reporter=reporter) as client:
        text = await client.fetch(url)

Before a request that LL2 counts, the client makes sure the allowance `/api-throttle/` reported
(minus what it spent since) is not used up, waiting for it when it is, or stopping (`Stopped`)
when the wait is longer than `max_wait`. A `429` is waited out the same way (its `Retry-After`,
else the throttle's `next_use_secs`). Timeouts, network errors and 5xx are retried with
exponential backoff and jitter, and make the next request read the allowance again, since LL2
may or may not have counted the failed one. Other 4xx answers are errors at once.

Every wait is bounded, and so is their sum: a wait longer than `max_wait`, or one that would
take the run's waiting past `max_total_wait`, stops the run instead. When LL2 says the
allowance is used up but gives no wait (`next_use_secs: 0`), it is asked again after a second
(its figure may be rounded down), then after its whole window (when every request it counted
has expired), and then the run stops: `/api-throttle/` is read at most three times per wait.
"""

from __future__ import annotations

import json
import random
from types import TracebackType

import httpx

from db.sync.clock import Clock
from db.sync.durations import format_seconds
from db.sync.options import Stopped, SyncError, SyncOptions
from db.sync.report import Reporter
from db.sync.throttle import Allowance, parse_allowance, retry_after
from db.version import project_version

MAX_THROTTLED = 20  # 429s in a row for one request before the run gives up
MIN_WAIT = 1.0  # the shortest wait for LL2's allowance, however little LL2 says


def user_agent() -> str:
    return f"spacecraft-gateway/{project_version()} (LL2 sync; httpx/{httpx.__version__})"


class LL2Client:
    def __init__(
        self,
        options: SyncOptions,
        *,
        clock: Clock,
        reporter: Reporter,
        rng: random.Random | None = None,
    ) -> None:
        self.options = options
        self.clock = clock
        self.reporter = reporter
        self.rng = rng or random.Random()
        headers = {"User-Agent": user_agent(), "Accept": "application/json"}
        if options.api_key:
            headers["Authorization"] = f"Token {options.api_key}"
        self._http = httpx.AsyncClient(
            headers=headers, timeout=options.timeout, follow_redirects=True
        )
        self.requests = 0
        self.waited = 0.0  # seconds this run has spent waiting, bounded by max_total_wait
        self.allowance: Allowance | None = None
        self._throttle_url = f"{options.base_url}/api-throttle/"
        self._has_throttle = True
        self._in_doubt = True

    async def __aenter__(self) -> LL2Client:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._http.aclose()

    async def fetch(self, url: str) -> str:
        """The body of a page LL2 counts against the allowance."""
        response = await self._get(url, counted=True)
        if response.status_code != 200:
            raise SyncError(_http_error(url, response))
        return response.text

    async def read_allowance(self) -> Allowance | None:
        """Ask `/api-throttle/` (LL2 does not count it); None where the host has no such page."""
        response = await self._get(self._throttle_url, counted=False)
        if response.status_code == 404:
            self._has_throttle = False
            self.allowance = None
            self.reporter.allowance(None, None)
            return None
        if response.status_code != 200:
            raise SyncError(_http_error(self._throttle_url, response))
        try:
            payload = response.json()
        except ValueError:
            raise SyncError(f"GET {self._throttle_url}: the answer is not JSON") from None
        self.allowance = parse_allowance(self._throttle_url, payload, self.clock.monotonic())
        self._in_doubt = False
        self.reporter.allowance(self.allowance.left, self.allowance.limit)
        return self.allowance

    async def _await_allowance(self) -> None:
        if self._has_throttle and (self._in_doubt or self.allowance is None):
            await self.read_allowance()
        unsure = 0  # waits LL2 gave no figure for, within this wait
        while self.allowance is not None and self.allowance.left <= 0:
            if self.allowance.spent_since_read:
                # Our own count says "used up": LL2's figure is fresher (older requests expire).
                await self.read_allowance()
                continue
            why = f"LL2's allowance of {self.allowance.describe()} is used up"
            wait = self.allowance.wait(self.clock.monotonic())
            if wait <= 0:
                wait = self._unsure_wait(unsure, self.allowance, why)
                unsure += 1
            await self._wait(max(wait, MIN_WAIT), why)
            await self.read_allowance()

    def _unsure_wait(self, waited: int, allowance: Allowance | None, why: str) -> float:
        """How long to wait when LL2 says "used up" (or 429) but not for how long.

        A second first, then the allowance's whole window (an hour when unknown), after which
        every request LL2 counted has expired; a third time, the run stops.
        """
        if waited == 0:
            return MIN_WAIT
        window = float(allowance.window) if allowance and allowance.window > 0 else 3600.0
        if waited == 1:
            return window
        raise Stopped(
            f"{why} and LL2 gives no time at which it frees, even after waiting its whole "
            f"window ({format_seconds(window)}); run again later"
        )

    async def _wait(self, seconds: float, why: str) -> None:
        if seconds > self.options.max_wait:
            raise Stopped(
                f"{why}; the next request is allowed in {format_seconds(seconds)}, "
                f"longer than the {format_seconds(self.options.max_wait)} --max-wait"
            )
        if self.waited + seconds > self.options.max_total_wait:
            raise Stopped(
                f"{why}; waiting {format_seconds(seconds)} more would make this run wait "
                f"{format_seconds(self.waited + seconds)} in all, longer than the "
                f"{format_seconds(self.options.max_total_wait)} --max-total-wait"
            )
        self.waited += seconds
        self.reporter.waiting(seconds, why)
        await self.clock.sleep(seconds)

    def _spend(self) -> None:
        cap = self.options.max_requests
        if cap is not None and self.requests >= cap:
            raise Stopped(f"--max-requests {cap} reached")
        self.requests += 1
        if self.allowance is not None:
            self.allowance = self.allowance.spend()
            self.reporter.allowance(self.allowance.left, self.allowance.limit)

    def _backoff(self, failures: int) -> float:
        delay = min(self.options.backoff_cap, self.options.backoff * 2 ** (failures - 1))
        return float(delay / 2 + self.rng.uniform(0, delay / 2))

    async def _get(self, url: str, *, counted: bool) -> httpx.Response:
        failures = throttled = unsure = 0
        while True:
            if counted:
                await self._await_allowance()
                self._spend()
            try:
                response = await self._http.get(url)
            except httpx.TimeoutException:
                problem = f"no answer within {format_seconds(self.options.timeout)}"
            except httpx.TransportError as e:
                problem = f"network error: {type(e).__name__}: {e}"
            else:
                if response.status_code == 429:
                    throttled += 1
                    if throttled > MAX_THROTTLED:
                        raise SyncError(f"GET {url}: still HTTP 429 after {MAX_THROTTLED} waits")
                    unsure += await self._wait_out_429(url, response, unsure)
                    continue
                if response.status_code < 500:
                    return response
                problem = f"HTTP {response.status_code} {response.reason_phrase}"
            failures += 1
            self._in_doubt = True
            if failures > self.options.retries:
                raise SyncError(f"GET {url}: {problem} (gave up after {failures} attempts)")
            await self._wait(
                self._backoff(failures),
                f"{problem}; retry {failures} of {self.options.retries}",
            )

    async def _wait_out_429(self, url: str, response: httpx.Response, unsure: int) -> bool:
        """Wait as a 429 asks; True when the wait was a guess (no figure from LL2)."""
        self._in_doubt = True
        why = "LL2 answered 429 Too Many Requests"
        wait = retry_after(response.headers.get("Retry-After"), self.clock.now())
        allowance = self.allowance
        if wait is None and self._has_throttle and url != self._throttle_url:
            allowance = await self.read_allowance()
            wait = allowance.wait(self.clock.monotonic()) if allowance else None
        guessed = not wait
        if guessed:
            wait = self._unsure_wait(unsure, allowance, why)
        await self._wait(max(wait or 0.0, MIN_WAIT), why)
        return guessed


def _http_error(url: str, response: httpx.Response) -> str:
    detail = ""
    try:
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("detail"), str):
            detail = f": {body['detail']}"
    except (ValueError, json.JSONDecodeError):
        detail = f": {response.text[:200]}" if response.text.strip() else ""
    hint = " (check --api-key or LL2_API_KEY)" if response.status_code in (401, 403) else ""
    return f"GET {url}: HTTP {response.status_code} {response.reason_phrase}{detail}{hint}"
