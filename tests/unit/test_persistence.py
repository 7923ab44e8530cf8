"""The mapper: events to canonical JSON bytes and back, unchanged."""

from __future__ import annotations

import json

from shuniu.aggregates.designation_application import DesignationApplication
from shuniu.application.persistence import CanonicalJSONTranscoder, PydanticMapper
from tests.factories import actor, application_fields


def test_events_round_trip_through_the_store_format() -> None:
    mapper = PydanticMapper(transcoder=CanonicalJSONTranscoder())
    application = DesignationApplication(**application_fields(), actor=actor("applicant"))
    application.review_preliminarily("recommend", "Meets Art. 4 — 符合条件", actor())
    for event in application.collect_events():
        stored = mapper.to_stored_event(event)
        assert mapper.to_domain_event(stored) == event
        # Canonical: sorted keys, no spaces, UTF-8 kept as is.
        state = json.loads(stored.state)
        assert (
            stored.state
            == json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        )
        assert "actor" in state
        assert "originator_id" not in state


def test_chinese_text_is_stored_as_utf8_not_escapes() -> None:
    mapper = PydanticMapper(transcoder=CanonicalJSONTranscoder())
    application = DesignationApplication(
        **{**application_fields(), "field": "科技"}, actor=actor("applicant")
    )
    (event,) = application.collect_events()
    assert "科技".encode() in mapper.to_stored_event(event).state
