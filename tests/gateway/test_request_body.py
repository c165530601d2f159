"""Reading a POST's body in process: the deadline cuts a body that does not come with 408, and a
cancel from elsewhere (a client gone, a shutdown) still cancels instead of becoming that 408."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.requests import Request

from gateway.http.errors import Rejected
from gateway.http.request import read_raw


def post(receive: Any) -> Request:
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/graphql",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"2")],
    }
    return Request(scope, receive)


async def never() -> dict[str, Any]:
    await asyncio.Event().wait()
    raise AssertionError("unreachable")


async def test_a_whole_body_is_read_and_a_body_in_parts_is_joined() -> None:
    messages = iter([{"type": "http.request", "body": b"{", "more_body": True}])

    async def receive() -> dict[str, Any]:
        return next(messages, {"type": "http.request", "body": b"}", "more_body": False})

    raw = await read_raw(post(receive), max_body_size=10, body_timeout=1)
    assert (raw.method, raw.data) == ("POST", b"{}")


async def test_a_body_that_does_not_come_is_cut_with_408_and_the_task_is_not_left_cancelled() -> (
    None
):
    with pytest.raises(Rejected) as cut:
        await read_raw(post(never), max_body_size=10, body_timeout=0.05)
    assert (cut.value.status, cut.value.errors) == (
        408,
        [
            {
                "message": "the request body did not arrive within 0.05 s",
                "extensions": {"code": "REQUEST_TIMEOUT"},
            }
        ],
    )
    task = asyncio.current_task()
    assert task is not None and task.cancelling() == 0
    await asyncio.sleep(0)  # still runs: no cancel left pending


async def test_a_cancel_from_elsewhere_is_not_turned_into_a_408() -> None:
    reading = asyncio.create_task(read_raw(post(never), max_body_size=10, body_timeout=30))
    await asyncio.sleep(0.01)
    reading.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reading
