"""Fixtures of the integration tests, on the store the ``settings`` fixture names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from shuniu.application import Shuniu
from shuniu.projections.runner import PROJECTIONS, open_view
from shuniu.settings import Settings


@pytest.fixture
def app(settings: Settings) -> Iterator[Shuniu]:
    """The application over this test's store."""
    application = Shuniu(env=settings.eventsourcing_env())
    yield application
    application.close()


@pytest.fixture
def views(settings: Settings) -> Iterator[dict[str, Any]]:
    """Every read model of this test's store, by name, for reading."""
    opened = {name: open_view(spec, settings) for name, spec in PROJECTIONS.items()}
    yield opened
    for view in opened.values():
        view.datastore.close()
