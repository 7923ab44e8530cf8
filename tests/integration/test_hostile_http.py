"""Hostile HTTP: schemathesis drives every operation of /openapi.json with generated
input, as each role: never a 5xx, and every error is problem+json.

In-process (ASGI) on SQLite: what is under test is the HTTP layer's handling of
input, which does not depend on the store.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from shuniu.aggregates.base import ROLES
from shuniu.api.app import build_services, close_services, create_app
from shuniu.commands.principals import CreatePrincipal
from shuniu.settings import Settings
from tests.factories import ctx
from tests.integration.support import designate

ADMIN = "hostile-admin-token"
_tokens: dict[str, str] = {}
_roles = itertools.cycle(ROLES)
_seen: Counter[int] = Counter()


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    database = tmp_path_factory.mktemp("hostile") / "shuniu.db"
    config = Settings(
        database_url=f"sqlite:///{database}", admin_token=ADMIN, min_position_timeout=0.2
    )
    api = create_app(config, run_projections=False)
    services = build_services(config, run_projections=False)
    api.state.services = services
    hub = designate(services.app, 1, "science")
    for role in ROLES:
        command = CreatePrincipal(
            name=role, role=role, jurisdiction="110000", hub_id=hub if role == "hub" else None
        )
        token = services.app.handle(command, ctx("admin")).revealed.get("token")
        assert token is not None
        _tokens[role] = token
    yield schemathesis.openapi.from_asgi("/openapi.json", api)
    close_services(services)


def check(case: Any) -> None:
    role = next(_roles)
    response = case.call(headers={"Authorization": f"Bearer {_tokens[role]}"})
    where = f"{case.method} {case.formatted_path} as {role}"
    _seen[response.status_code] += 1
    assert response.status_code < 500 or response.status_code == 503, (
        f"{where}: {response.status_code} {response.text[:500]}"
    )
    if response.status_code >= 400:
        content_type = response.headers.get("content-type") or [""]
        assert content_type[0].startswith("application/problem+json"), where
        body = response.json()
        assert {"type", "title", "status", "detail"} <= set(body), where


def test_no_server_error_and_every_error_is_a_problem(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:

        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
        @given(operation.as_strategy())
        def one_operation(case: Any) -> None:
            check(case)

        one_operation()
    # Not vacuous: generated requests were answered, refused and accepted.
    assert sum(_seen.values()) > 300, _seen
    assert {200, 403, 404, 422} <= set(_seen), _seen
