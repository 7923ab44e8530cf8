"""The published JSON schemas of ``../shared/schemas`` (360Giving, Popolo), for validating exports.

The schemas refer to each other by their published URLs; no machine here
reaches the internet, so the local copies are registered under those URLs.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas"
GRANT_URL = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"
POPOLO_URL = "http://www.popoloproject.com/schemas/{}.json"


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@cache
def three_sixty_giving() -> Draft202012Validator:
    grant = _load(SCHEMAS / "360giving" / "360-giving-schema.json")
    package = _load(SCHEMAS / "360giving" / "360-giving-package-schema.json")
    registry = Registry().with_resource(GRANT_URL, Resource.from_contents(grant, DRAFT202012))
    # Formats are checked: 360Giving's dates are "a date-time, or else a date" (oneOf).
    return Draft202012Validator(
        package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@cache
def popolo_event() -> Draft4Validator:
    """Popolo's schemas say draft 03; draft 4 reads them the same for these documents."""
    registry = Registry()
    for path in sorted((SCHEMAS / "popolo").glob("*.json")):
        contents = _load(path)
        contents.pop("$schema", None)
        resource = Resource.from_contents(contents, DRAFT4)
        url = POPOLO_URL.format(path.stem)
        registry = registry.with_resources([(url, resource), (url + "#", resource)])
    event = _load(SCHEMAS / "popolo" / "event.json")
    event.pop("$schema", None)
    return Draft4Validator(event, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def errors(validator: Draft4Validator | Draft202012Validator, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
