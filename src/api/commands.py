"""One route line per command: parse, hand it to ``Shuniu.handle``, answer.

``CommandRouter.command(path, Command, answer)`` builds the endpoint of a
command message: its path ids and its body (a model made from the command's
own fields, so OpenAPI describes exactly what the command accepts), the
caller, ``Idempotency-Key`` and ``If-Match``. The endpoint makes one thread
pool hop, for the command itself; the answer is serialized there too and
returned as a ready ``Response``, so FastAPI does not validate it a second
time (``response_model`` still documents it).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, get_type_hints
from uuid import UUID

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, ConfigDict, create_model
from starlette.concurrency import run_in_threadpool

from shuniu.aggregates.base import Actor
from shuniu.aggregates.errors import PreconditionFailed
from shuniu.api.deps import CurrentCaller, ServicesDep
from shuniu.api.routing import OneHopRoute
from shuniu.application import CommandContext, Outcome
from shuniu.application.persistence import canonical_json
from shuniu.commands import Command

Answer = Callable[[Outcome], BaseModel]
"""The state a command answers, made from its outcome."""

_VERSION_TAG = re.compile(r'^\s*(?:W/)?"?([0-9]{1,18})"?\s*$')


class BodyModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


@cache
def body_model(command: type[Command]) -> type[BaseModel]:
    """The request body of a command: its fields but the path's, with their rules."""
    fields: dict[str, Any] = {
        name: (field.annotation, field) for name, field in command.body_fields().items()
    }
    return create_model(command.__name__, __base__=BodyModel, __doc__=command.__doc__, **fields)


def expected_version(if_match: str | None) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    matched = _VERSION_TAG.match(if_match)
    if matched is None:
        raise PreconditionFailed(f'If-Match must name one version, as "3"; got {if_match!r}')
    return int(matched.group(1))


async def fingerprint(request: Request) -> str:
    """What an Idempotency-Key stands for: method, path and canonical body."""
    body = await request.body()
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = body.decode(errors="replace")
    return hashlib.sha256(canonical_json([request.method, request.url.path, parsed])).hexdigest()


class CommandRouter(APIRouter):
    """An ``APIRouter`` whose commands are one line each."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(route_class=OneHopRoute, **kwargs)

    def command(
        self,
        path: str,
        command: type[Command],
        answer: Answer,
        *,
        method: str = "POST",
        summary: str | None = None,
    ) -> None:
        status = 201 if command.creates else 200
        response_model = get_type_hints(answer)["return"]
        endpoint = _endpoint(command, answer, location=self.prefix if command.creates else None)
        self.add_api_route(
            path,
            endpoint,
            methods=[method],
            status_code=status,
            response_model=response_model,
            summary=summary or _summary(command),
            description=inspect.getdoc(command) or "",
            name=command.__name__,
        )


def _summary(command: type[Command]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", command.__name__).capitalize()


def _endpoint(command: type[Command], answer: Answer, location: str | None) -> Callable[..., Any]:
    body = body_model(command)
    has_body = bool(command.body_fields())

    async def endpoint(
        request: Request,
        s: ServicesDep,
        caller: CurrentCaller,
        idempotency_key: Annotated[str | None, Header(max_length=255)] = None,
        if_match: Annotated[str | None, Header()] = None,
        **arguments: Any,
    ) -> Response:
        fields = dict(arguments.pop("body")) if has_body else {}
        message = command.model_construct(**fields, **arguments)
        ctx = CommandContext(
            actor=Actor(
                principal_id=caller.id,
                role=caller.role,
                command_id=request.state.request_id,
                idempotency_key=idempotency_key,
            ),
            caller=caller,
            fingerprint=await fingerprint(request) if idempotency_key is not None else "",
            if_match=expected_version(if_match),
        )

        def run() -> tuple[Outcome, bytes]:
            outcome = s.app.handle(message, ctx)
            return outcome, answer(outcome).model_dump_json().encode()

        outcome, content = await run_in_threadpool(run)
        response = Response(content, status_code=201 if outcome.created else 200)
        response.headers["content-type"] = "application/json"
        response.headers["ETag"] = f'"{outcome.aggregate.version}"'
        response.headers["X-Event-Position"] = str(outcome.position)
        if outcome.replayed:
            response.headers["Idempotent-Replayed"] = "true"
        if outcome.created and location is not None:
            response.headers["Location"] = f"{location}/{outcome.aggregate.id}"
        return response

    parameters = [
        p for p in inspect.signature(endpoint).parameters.values() if p.kind != p.VAR_KEYWORD
    ]
    ids = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=UUID)
        for name in command.path
    ]
    if has_body:
        ids.append(inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=body))
    head = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters]
    endpoint.__signature__ = inspect.Signature(head + ids, return_annotation=Response)  # type: ignore[attr-defined]
    return endpoint
