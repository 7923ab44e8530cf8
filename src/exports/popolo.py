"""A joint meeting as a Popolo event, with the Open Civic Data event fields.

Popolo's event schema (``schemas/popolo/event.json``) names the event, its
times, status, organizer and attendees; Open Civic Data's event adds
``agenda`` and ``participants``. The mapping (also in the README):

| Shuniu | Popolo / OCD |
|---|---|
| meeting id, title, summary | ``id``, ``name``, ``description`` |
| scheduled_at | ``start_date`` (ISO 8601 with offset, whole seconds) |
| status scheduled / published / cancelled | ``status`` confirmed / passed / cancelled |
| convening Leading Group of the jurisdiction | ``organization_id``, ``organization`` |
| attendance (present) | ``attendees``: a person per representative, with a membership in the hub |
| attendance (all) | OCD ``participants``: the hub as an organization, note present or absent |
| agenda items | OCD ``agenda``: ``order`` (0-based) and ``description``; presenter in ``notes`` |
| resolutions | ``motions``: Popolo motions, ``result: adopted``, with their ``agenda_item`` |
| corrections | ``corrections`` (no Popolo field: corrections after publishing) |
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

STATUS = {"scheduled": "confirmed", "published": "passed", "cancelled": "cancelled"}


def _time(value: datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() if value is not None else None


def leading_group(jurisdiction: str) -> dict[str, Any]:
    return {
        "id": f"shuniu:leading-group:{jurisdiction}",
        "name": f"Social Construction Work Leading Group ({jurisdiction})",
        "classification": "leading_group",
        "identifiers": [{"identifier": jurisdiction, "scheme": "GB/T 2260"}],
    }


def meeting_event(meeting: dict[str, Any], source_url: str) -> dict[str, Any]:
    """The minutes read model's meeting (times as datetimes) as a Popolo event."""
    organizer = leading_group(meeting["jurisdiction"])
    attendance = meeting["attendance"]
    return {
        "id": str(meeting["id"]),
        "name": meeting["title"],
        "description": meeting["summary"],
        "start_date": _time(meeting["scheduled_at"]),
        "status": STATUS[meeting["status"]],
        "classification": "joint_meeting",
        "organization_id": organizer["id"],
        "organization": organizer,
        "attendees": [
            {
                "name": line["representative"],
                "memberships": [
                    {
                        "role": "representative",
                        "organization_id": line["hub_id"],
                        "organization": {"id": line["hub_id"], "name": line["hub_name"]},
                    }
                ],
            }
            for line in attendance
            if line["present"]
        ],
        "participants": [
            {
                "entity_type": "organization",
                "entity_id": line["hub_id"],
                "entity_name": line["hub_name"],
                "note": "present" if line["present"] else "absent",
                "representative": line["representative"],
            }
            for line in attendance
        ],
        "agenda": [
            {
                "order": order,
                "description": item["title"],
                "notes": [f"presenter: {item['presenter']}"] if item.get("presenter") else [],
            }
            for order, item in enumerate(meeting["agenda"])
        ],
        "motions": [
            {
                "id": resolution["id"],
                "organization_id": organizer["id"],
                "text": resolution["text"],
                "classification": "resolution",
                "result": "adopted",
                "date": resolution["adopted_at"][:10],
                "agenda_item": resolution["agenda_item"],
            }
            for resolution in meeting["resolutions"]
        ],
        "corrections": meeting["corrections"],
        "updated_at": _time(meeting["published_at"]),
        "sources": [{"url": source_url, "note": "Shuniu meeting minutes"}],
    }
