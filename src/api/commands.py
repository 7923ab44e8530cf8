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
from collections.abc import Callable, Coroutine
from functools import cache
from typing import Annotated, Any, get_type_hints
from uuid import UUID

from fastapi import APIRouter, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from shuniu.aggregates.base import Actor
from shuniu.aggregates.errors import PreconditionFailed
from shuniu.api.deps import CurrentCaller, Services, caller_of
from shuniu.api.routing import OneHopRoute, in_thread
from shuniu.application import CommandContext, Outcome
from shuniu.application.deadline import deadline
from shuniu.application.persistence import canonical_json
from shuniu.commands import Command

Answer = Callable[[Outcome], BaseModel]
"""The state a command answers, made from its outcome."""

MAX_KEY_LENGTH = 255
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


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What an Idempotency-Key stands for: method, path and canonical body."""
    try:
        parsed = json.loads(body) if body else None
    except (ValueError, RecursionError):  # not JSON: the bytes themselves stand for it
        parsed = body.decode(errors="replace")
    return hashlib.sha256(canonical_json([method, path, parsed])).hexdigest()


ROUTES: dict[type[Command], tuple[str, str]] = {}
"""Each command's method and path, as its route line declared them."""


def routes_of(command: type[Command]) -> tuple[str, str]:
    """The method and path of a command (every router of the API imported)."""
    import shuniu.api.app  # noqa: F401, PLC0415 - declares every route

    return ROUTES[command]


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
        ROUTES[command] = (method, self.prefix + path)
        self.add_api_route(
            path,
            _declared_endpoint(command),
            methods=[method],
            status_code=201 if command.creates else 200,
            response_model=get_type_hints(answer)["return"],
            summary=summary or _summary(command),
            description=inspect.getdoc(command) or "",
            name=command.__name__,
            route_class_override=CommandRoute,
            openapi_extra={
                "x-shuniu-command": {
                    "command": command,
                    "answer": answer,
                    "location": self.prefix if command.creates else None,
                }
            },
        )


class CommandRoute(APIRoute):
    """A command's route: FastAPI documents its declared endpoint, ``handle_command`` runs it.

    FastAPI's own handling of a request (solving the dependencies one by one,
    ``json.loads`` and then validating the Python objects, validating the
    answer against its model) cost more than a small command does in the
    event store. This route keeps what FastAPI declares, for OpenAPI and its
    docs, and answers with ``handle_command``: the body validated from its
    bytes in pydantic's core, the caller from memory, one thread-pool hop.
    Errors are the same problems: a body that does not validate raises
    FastAPI's ``RequestValidationError``, as its own parsing would.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        extra = dict(kwargs.get("openapi_extra") or {})
        self.spec = extra.pop("x-shuniu-command")
        kwargs["openapi_extra"] = extra or None
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        command: type[Command] = self.spec["command"]
        answer: Answer = self.spec["answer"]
        location: str | None = self.spec["location"]
        body = body_model(command) if command.body_fields() else None

        async def handle(request: Request) -> Response:
            return await handle_command(request, command, body, answer, location)

        return handle


def _summary(command: type[Command]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", command.__name__).capitalize()


async def handle_command(
    request: Request,
    command: type[Command],
    body: type[BaseModel] | None,
    answer: Answer,
    location: str | None,
) -> Response:
    s: Services = request.app.state.services
    caller = await caller_of(request, s)
    fields: dict[str, Any] = {name: _path_value(request, command, name) for name in command.path}
    idempotency_key = request.headers.get("idempotency-key")
    if idempotency_key is not None and len(idempotency_key) > MAX_KEY_LENGTH:
        raise RequestValidationError(
            [_error(("header", "idempotency-key"), "string_too_long", "at most 255 characters")]
        )
    raw = await request.body()
    if body is not None:
        try:
            parsed = body.model_validate_json(raw, strict=True)
        except ValidationError as e:
            raise RequestValidationError(
                [{**error, "loc": ("body", *error["loc"])} for error in e.errors(include_url=False)]
            ) from None
        fields.update(parsed)
    message = command.model_construct(**fields)
    ctx = CommandContext(
        actor=Actor(
            principal_id=caller.id,
            role=caller.role,
            command_id=request.state.request_id,
            idempotency_key=idempotency_key,
        ),
        caller=caller,
        fingerprint=fingerprint(request.method, request.url.path, raw)
        if idempotency_key is not None
        else "",
        if_match=expected_version(request.headers.get("if-match")),
    )

    def run() -> tuple[Outcome, bytes]:
        with deadline(s.settings.store_timeout):
            outcome = s.app.handle(message, ctx)
        return outcome, answer(outcome).model_dump_json().encode()

    outcome, content = await in_thread(run)
    headers = {
        "content-type": "application/json",
        "ETag": f'"{outcome.aggregate.version}"',
        "X-Event-Position": str(outcome.position),
    }
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    if outcome.created and location is not None:
        headers["Location"] = f"{location}/{outcome.aggregate.id}"
    return Response(content, status_code=201 if outcome.created else 200, headers=headers)


def _path_value(request: Request, command: type[Command], name: str) -> Any:
    """A path parameter: a UUID (most are ids), or a value of the command's own type for it
    (a jurisdiction's code), validated as its body would be."""
    if command.model_fields[name].annotation is UUID:
        return _path_id(request, name)
    raw = request.path_params[name]
    try:
        return path_model(command).model_validate({name: raw}, strict=True).model_dump()[name]
    except ValidationError as e:
        raise RequestValidationError(
            [{**error, "loc": ("path", *error["loc"])} for error in e.errors(include_url=False)]
        ) from None


@cache
def path_model(command: type[Command]) -> type[BaseModel]:
    """The command's path parameters that are not ids, with their rules."""
    fields: dict[str, Any] = {
        name: (command.model_fields[name].annotation, command.model_fields[name])
        for name in command.path
        if command.model_fields[name].annotation is not UUID
    }
    return create_model(f"{command.__name__}Path", __base__=BodyModel, **fields)


def _path_id(request: Request, name: str) -> UUID:
    raw = request.path_params[name]
    try:
        return UUID(raw)
    except ValueError:
        raise RequestValidationError(
            [_error(("path", name), "uuid_parsing", "Input should be a valid UUID", raw)]
        ) from None


def _error(loc: tuple[str, ...], kind: str, msg: str, value: Any = None) -> dict[str, Any]:
    return {"type": kind, "loc": loc, "msg": msg, "input": value}


def _declared_endpoint(command: type[Command]) -> Callable[..., Any]:
    """What FastAPI documents for a command: its path ids, its body, the caller, the
    Idempotency-Key and If-Match headers. ``CommandRoute`` answers in its place."""

    async def endpoint(
        caller: CurrentCaller,
        idempotency_key: Annotated[str | None, Header(max_length=MAX_KEY_LENGTH)] = None,
        if_match: Annotated[str | None, Header()] = None,
        **_: Any,
    ) -> Response:
        raise NotImplementedError  # pragma: no cover - CommandRoute.handle_command answers

    head = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for p in inspect.signature(endpoint).parameters.values()
        if p.kind != p.VAR_KEYWORD
    ]
    ids = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=UUID if command.model_fields[name].annotation is UUID else str,
        )
        for name in command.path
    ]
    if command.body_fields():
        ids.append(
            inspect.Parameter(
                "body", inspect.Parameter.KEYWORD_ONLY, annotation=body_model(command)
            )
        )
    endpoint.__signature__ = inspect.Signature(head + ids, return_annotation=Response)  # type: ignore[attr-defined]
    return endpoint
