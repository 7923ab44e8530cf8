"""Request bodies over ``MAX_BODY_BYTES`` are refused with 413, before they are read whole.

Starlette's own limit answers a plain-text 413; this one raises ``BodyTooLarge``,
which ``problems`` answers as problem+json like every other refusal: at once
when ``Content-Length`` says too much, or as soon as a body sent in chunks
passes the limit.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shuniu.aggregates.errors import ShuniuError

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
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                from shuniu.api.problems import problem  # noqa: PLC0415 - problems imports this

                refused = problem(
                    413, "Content Too Large", f"the request's body is over {self.limit} bytes",
                    "body-too-large",
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
