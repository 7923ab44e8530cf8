"""The published JSON schemas of the repository's ``schemas/`` (360Giving, Popolo, OCDS).

Shuniu's exports are validated against them in the tests; ``schemas/README.md``
says where each copy comes from. The schemas refer to each other by their
published URLs; the tests never reach the internet, so the local copies are
registered under those URLs.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
GRANT_URL = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"
POPOLO_URL = "http://www.popoloproject.com/schemas/{}.json"
OCDS_URL = "https://standard.open-contracting.org/schema/1__1__5/{}.json"


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


@cache
def _ocds_registry() -> Registry[Any]:
    """OCDS 1.1.5's release and versioned-release schemas under their published URLs."""
    registry: Registry[Any] = Registry()
    for name in ("release-schema", "versioned-release-validation-schema"):
        contents = _load(SCHEMAS / "ocds" / f"{name}.json")
        registry = registry.with_resource(
            OCDS_URL.format(name), Resource.from_contents(contents, DRAFT4)
        )
    return registry


def _ocds(package: str) -> Draft4Validator:
    schema = _load(SCHEMAS / "ocds" / f"{package}.json")
    return Draft4Validator(
        schema, registry=_ocds_registry(), format_checker=Draft4Validator.FORMAT_CHECKER
    )


@cache
def ocds_release_package() -> Draft4Validator:
    """An OCDS 1.1.5 release package (draft 4), its releases checked against the release schema."""
    return _ocds("release-package-schema")


@cache
def ocds_record_package() -> Draft4Validator:
    """An OCDS 1.1.5 record package (draft 4): compiled and embedded releases checked too."""
    return _ocds("record-package-schema")


def errors(validator: Draft4Validator | Draft202012Validator, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
