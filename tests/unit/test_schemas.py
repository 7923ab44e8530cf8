"""The vendored OCDS 1.1.5 schemas load offline and tell a valid package from an invalid one.

``tests/schemas.py`` reads the repository's own ``schemas/`` (nothing outside
the clone) and registers the release schema under its published URL, so the
package schemas' ``$ref`` to it resolves without a network.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from jsonschema import Draft4Validator

from tests.schemas import (
    SCHEMAS,
    errors,
    ocds_record_package,
    ocds_release_package,
    popolo_event,
    three_sixty_giving,
)

OCID = "ocds-shuniu-3f1c2a9e-0d3b-5c1e-9a53-6f4f1b2c7d10"
HUB = {"id": "CN-USCC-91110000000000000X", "name": "A hub", "roles": ["supplier"]}
OFFICE = {"id": "CN-GBT2260-110000", "name": "The office", "roles": ["buyer", "payer"]}


def release(**changes: Any) -> dict[str, Any]:
    """A government purchase at commitment: its award and its contract."""
    document: dict[str, Any] = {
        "ocid": OCID,
        "id": f"{OCID}-1",
        "date": "2026-03-01T09:30:00+08:00",
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "parties": [HUB, OFFICE],
        "buyer": {"id": OFFICE["id"], "name": OFFICE["name"]},
        "awards": [
            {
                "id": "award-1",
                "status": "active",
                "value": {"amount": 1250000.00, "currency": "CNY"},
                "suppliers": [{"id": HUB["id"], "name": HUB["name"]}],
            }
        ],
        "contracts": [
            {
                "id": "contract-1",
                "awardID": "award-1",
                "status": "active",
                "value": {"amount": 1250000.00, "currency": "CNY"},
                "implementation": {
                    "transactions": [
                        {
                            "id": "payment-1",
                            "date": "2026-03-02T10:00:00+08:00",
                            "value": {"amount": 400000.10, "currency": "CNY"},
                            "payer": {"id": OFFICE["id"], "name": OFFICE["name"]},
                            "payee": {"id": HUB["id"], "name": HUB["name"]},
                        }
                    ]
                },
            }
        ],
    }
    document.update(changes)
    return document


def release_package(*releases: dict[str, Any]) -> dict[str, Any]:
    return {
        "uri": "https://shuniu.example/v1/ledger/ocds?fiscal_year=2026",
        "version": "1.1",
        "publishedDate": "2026-12-01T00:00:00+08:00",
        "publisher": {"name": "Shuniu"},
        "releases": list(releases),
    }


def record_package(*releases: dict[str, Any]) -> dict[str, Any]:
    return {
        "uri": "https://shuniu.example/v1/ledger/ocds?fiscal_year=2026&format=record",
        "version": "1.1",
        "publishedDate": "2026-12-01T00:00:00+08:00",
        "publisher": {"name": "Shuniu"},
        "records": [{"ocid": OCID, "releases": list(releases), "compiledRelease": releases[-1]}],
    }


def test_the_schemas_are_the_repositorys_own() -> None:
    repository = SCHEMAS.parent
    assert (repository / "pyproject.toml").is_file()
    for folder in ("360giving", "popolo", "ocds"):
        assert (SCHEMAS / folder / "LICENSE").is_file()
    assert (SCHEMAS / "README.md").is_file()


@pytest.mark.parametrize("validator", [ocds_release_package, ocds_record_package])
def test_the_ocds_package_schemas_are_valid_draft_4(validator: Any) -> None:
    Draft4Validator.check_schema(validator().schema)


def test_every_validator_loads() -> None:
    for validator in (three_sixty_giving, popolo_event, ocds_release_package, ocds_record_package):
        assert validator().schema


def test_a_minimal_release_package_is_valid() -> None:
    assert errors(ocds_release_package(), release_package(release())) == []


def test_a_minimal_record_package_is_valid() -> None:
    closed = release(id=f"{OCID}-2", date="2026-12-31T17:00:00+08:00", tag=["contractTermination"])
    closed["contracts"][0]["status"] = "terminated"
    assert errors(ocds_record_package(), record_package(release(), closed)) == []


def test_a_record_may_link_its_releases_instead_of_embedding_them() -> None:
    package = record_package(release())
    package["records"][0]["releases"] = [
        {
            "url": "https://shuniu.example/v1/ledger/ocds?fiscal_year=2026#" + f"{OCID}-1",
            "date": "2026-03-01T09:30:00+08:00",
            "tag": ["award", "contract"],
        }
    ]
    assert errors(ocds_record_package(), package) == []


def test_a_release_package_without_its_required_fields_is_refused() -> None:
    package = release_package(release())
    del package["publisher"]
    assert any(
        "'publisher' is a required property" in e for e in errors(ocds_release_package(), package)
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"tag": ["payment"]}, "'payment' is not one of"),  # a closed codelist
        ({"date": "1 March 2026"}, "is not a 'date-time'"),  # formats are checked
        ({"initiationType": "award"}, "'award' is not one of"),
    ],
)
def test_an_invalid_release_is_refused_inside_either_package(
    change: dict[str, Any], expected: str
) -> None:
    """The packages' ``$ref`` to the release schema's URL resolves to the local file."""
    bad = release(**change)
    for found in (
        errors(ocds_release_package(), release_package(bad)),
        errors(ocds_record_package(), record_package(bad)),
    ):
        assert any(expected in e for e in found), found


def test_a_release_without_an_ocid_is_refused() -> None:
    bad = copy.deepcopy(release())
    del bad["ocid"]
    assert any(
        "'ocid' is a required property" in e
        for e in errors(ocds_release_package(), release_package(bad))
    )
    assert errors(ocds_record_package(), record_package(bad)) != []
