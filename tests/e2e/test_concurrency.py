"""Eight clients sending the same command at the same instant, over real connections."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.e2e.support import Api, Cast, assert_problem, event_position, submit

pytestmark = pytest.mark.slow


@pytest.fixture
def api(shared_api: Api) -> Api:
    """These tests share one server per store, each in jurisdictions of its own."""
    return shared_api


@pytest.fixture
def cast(shared_cast: Cast) -> Cast:
    return shared_cast


THREADS = 8
ROUNDS = 8


def race(
    api: Api, token: str, path: str, body: dict[str, Any], headers: dict[str, str]
) -> list[httpx.Response]:
    """POST the same request from THREADS clients released together by a barrier."""
    clients = [api.client(token) for _ in range(THREADS)]
    for c in clients:  # open every connection before the race
        assert c.get("/healthz").status_code == 200
    barrier = threading.Barrier(THREADS)

    def send(c: httpx.Client) -> httpx.Response:
        barrier.wait(timeout=10)
        return c.post(path, json=body, headers=headers)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(send, clients))


def statuses(answers: list[httpx.Response]) -> Counter[int]:
    return Counter(a.status_code for a in answers)


def test_same_if_match_from_eight_threads_one_wins(api: Api, cast: Cast) -> None:
    application = submit(cast.applicant)
    path = f"/v1/applications/{application['id']}"
    before = api.head()

    answers = race(
        api,
        cast.office.token,
        f"{path}/supplement-requests",
        {"reason": "Attach the charter."},
        {"If-Match": '"1"'},
    )

    assert statuses(answers) == {200: 1, 412: THREADS - 1}, [
        (a.status_code, a.text) for a in answers
    ]
    for answer in answers:
        if answer.status_code == 412:
            assert_problem(answer, 412)
    [winner] = [a for a in answers if a.status_code == 200]
    assert winner.headers["ETag"] == '"2"'
    assert event_position(winner) == before + 1
    assert api.head() == before + 1, "exactly one event recorded"
    state = cast.office.client.get(path).json()
    assert state["version"] == 2
    assert len(state["exchanges"]) == 1


def test_same_command_without_if_match_from_eight_threads_one_wins(api: Api, cast: Cast) -> None:
    """Without If-Match the losers retry on fresh state and meet the winner's: 409."""
    application = submit(cast.applicant)
    path = f"/v1/applications/{application['id']}"
    before = api.head()

    answers = race(
        api, cast.office.token, f"{path}/supplement-requests", {"reason": "Attach the charter."}, {}
    )

    assert statuses(answers) == {200: 1, 409: THREADS - 1}, [
        (a.status_code, a.text) for a in answers
    ]
    for answer in answers:
        if answer.status_code == 409:
            assert_problem(answer, 409)
    assert api.head() == before + 1, "exactly one event recorded"
    assert cast.office.client.get(path).json()["version"] == 2


def test_same_idempotency_key_from_eight_threads_answers_the_first_answer(
    api: Api, cast: Cast
) -> None:
    """Eight retries of one request: one is recorded, all eight get its answer.

    The race is run on a few applications: a retry that meets the first try's
    commit at the wrong instant is what this is about, and one round may miss it.
    """
    refused: list[str] = []
    for n in range(1, ROUNDS + 1):
        application = submit(cast.applicant, n=n, field=f"field {n}")
        path = f"/v1/applications/{application['id']}"
        before = api.head()

        answers = race(
            api,
            cast.office.token,
            f"{path}/supplement-requests",
            {"reason": "Attach the charter."},
            {"Idempotency-Key": f"request-charter-{n}"},
        )

        refused += [f"{a.status_code} {a.json().get('detail')}" for a in answers if a.is_error]
        accepted = [a for a in answers if a.status_code == 200]
        assert accepted, [a.text for a in answers]
        assert {a.headers["ETag"] for a in accepted} == {'"2"'}
        assert len({a.headers["X-Event-Position"] for a in accepted}) == 1
        assert len({a.text for a in accepted}) == 1, "every replay carries the first answer"
        first = [a for a in accepted if a.headers.get("Idempotent-Replayed") != "true"]
        assert len(first) == 1, "exactly one answer is not a replay"
        assert api.head() == before + 2, "one event and one receipt recorded, nothing more"
        assert cast.office.client.get(path).json()["version"] == 2

    assert not refused, (
        "POST /v1/applications/{id}/supplement-requests with the same Idempotency-Key and "
        f"the same body, sent by {THREADS} threads at once ({ROUNDS} rounds): every answer must "
        f"be the first answer (200; Idempotent-Replayed on all but one), but {len(refused)} "
        f"got {dict(Counter(refused))}. Shuniu.execute looks for the receipt only before "
        "running the command and after an IntegrityError on save; a retry that loads the "
        "aggregate just after the first try committed fails the aggregate's own state guard "
        "(409) instead of replaying"
    )
