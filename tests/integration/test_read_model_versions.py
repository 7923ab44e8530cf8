"""A read model whose tables are of another schema version is renewed and refilled from the log."""

from __future__ import annotations

from typing import Any

from shuniu.application import Shuniu
from shuniu.projections.runner import SCHEMA_VERSIONS, create_tables
from shuniu.settings import APPLICATION_NAME, Settings
from tests.integration.support import all_rows, run_projections_to
from tests.integration.test_supervision_read_models import a_year


def test_tables_of_an_older_version_are_renewed_and_filled_again_from_the_log(
    app: Shuniu, settings: Settings, views: dict[str, Any]
) -> None:
    create_tables(settings)
    a_year(app)
    head = app.last_position()
    run_projections_to(settings, views, head)
    before = all_rows(views)
    registry = views["registry"]

    # A store written before versions were recorded: only its positions show it was used.
    with registry.cursor(commit=True) as c:
        registry.execute(c, f"DELETE FROM {SCHEMA_VERSIONS}")
    create_tables(settings)

    # The registry's tables are of version 2 now: renewed, empty, from position 0.
    assert not registry.max_tracking_id(APPLICATION_NAME)
    assert registry.hubs(None) == []
    # A read model still of version 1 (the minutes) is kept as it was.
    assert views["minutes"].max_tracking_id(APPLICATION_NAME) == head
    assert all_rows(views)["minutes_action_items"] == before["minutes_action_items"]

    run_projections_to(settings, views, head)
    assert all_rows(views) == before

    create_tables(settings)  # recorded now: nothing is renewed again
    assert registry.max_tracking_id(APPLICATION_NAME) == head
