"""Routes whose blocking work costs one thread-pool hop, not two.

FastAPI runs a plain ``def`` endpoint in the thread pool, and then validates
and serializes its answer in the thread pool once more. On two cores a hop
costs 100-200 µs (a futex wake-up each way, and the GIL handed over), more
than the validation itself (tens of µs), and a command made three of them.
``OneHopRoute`` hands FastAPI an ``async`` wrapper of each plain endpoint that
runs it in the thread pool itself: the store work stays off the event loop,
and the answer is validated on the loop without a second hop.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


class OneHopRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if inspect.isfunction(endpoint) and not (
            inspect.iscoroutinefunction(endpoint)
            or inspect.isgeneratorfunction(endpoint)
            or inspect.isasyncgenfunction(endpoint)
        ):
            endpoint = in_thread_pool(endpoint)
        super().__init__(path, endpoint, **kwargs)


def in_thread_pool(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """An ``async`` endpoint that runs ``endpoint`` in the thread pool; FastAPI reads
    the parameters and the answer's type through ``functools.wraps``."""

    @functools.wraps(endpoint)
    async def run(**arguments: Any) -> Any:
        return await run_in_threadpool(endpoint, **arguments)

    return run
