"""What every request is refused for before any route sees it.

- A body over ``MAX_BODY_BYTES`` is 413. Starlette's own limit answers a
  plain-text 413; this one answers problem+json like every other refusal: at
  once when ``Content-Length`` says too much, or (``BodyTooLarge``) as soon as
  a body sent in chunks passes the limit.
- A path or query string whose decoded text holds a control character (NUL
  among them) is 422: no store can hold NUL in text (PostgreSQL refuses it),
  and no name, code or filter has any.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shuniu.aggregates.errors import ShuniuError

CONTROLS = re.compile("[\x00-\x1f\x7f]")

MAX_BODY_BYTES = 1_048_576
"""1 MiB: 50 times the longest body a command can hold."""


class BodyTooLarge(ShuniuError):
    """The request's body is over the limit (413)."""


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from shuniu.api.problems import problem  # noqa: PLC0415 - problems imports this module

        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                refused = problem(
                    413, "Content Too Large", f"the request's body is over {self.limit} bytes",
                    "body-too-large",
                )  # fmt: skip
                await refused(scope, receive, send)
                return
        query = unquote_plus(scope.get("query_string", b"").decode("latin-1"), errors="replace")
        if CONTROLS.search(scope.get("path", "")) or CONTROLS.search(query):
            refused = problem(
                422, "Unprocessable Content",
                "the path or query holds a control character (NUL among them)", "validation",
            )  # fmt: skip
            await refused(scope, receive, send)
            return
        received = 0
        limit = self.limit

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(f"the request's body is over {limit} bytes")
            return message

        await self.app(scope, limited, send)
