"""Government purchase of services (Art. 14) as Open Contracting data (OCDS 1.1).

Each ``government_purchase`` agreement is one contracting process, ``ocid``
``ocds-shuniu-<funding id>``, with one release per change the ledger records
(the mapping is a table in the README):

- the commitment: the parties, the buyer, the award and the contract
  (``tag`` ``award``, ``contract``), both ``active`` and of the committed value;
- each disbursement, refund and reversal: a transaction of the contract's
  implementation (``implementation``), its value positive for money paid to
  the hub and negative for money coming back (a refund, the reversal of a
  payment), as OCDS reads a negative transaction: a refund or correction;
- the closing: the contract ``terminated``, its period's end, and its value
  what was paid net of refunds (the commitment less what closing released)
  (``contractTermination``).

Where the data come from: the ledger read model (``ledger_agreements`` and the
``commitments`` lines of ``ledger_entries``). It already holds every change of
an agreement with its event id, its time and its amount in fen, found by
fiscal year and program in one query each; the event log has no index by
either. And the releases then say what the ledger says by construction: the
compiled release's award is ``committed``, its contract's final value
``committed - released``, its transactions sum to ``disbursed - refunded``.

A record package's ``compiledRelease`` is merged from the record's releases
by ``ocdsmerge``, the standard's reference implementation, with the merge
rules of the OCDS 1.1.5 release schema (``MERGE_RULES``; a test derives them
from the official schema and compares).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from shuniu.aggregates.funding_agreement import PROGRAM_TITLES

OCID_PREFIX = "ocds-shuniu-"
VERSION = "1.1"
PUBLISHER = {"name": "Shuniu: the hub-type social organization work system"}
INITIATION = "tender"
"""The only ``initiationType`` OCDS 1.1 has (the field is required)."""

MERGE_RULES: dict[tuple[str, ...], str] = {
    ("awards", "amendment", "changes"): "wholeListMerge",
    ("awards", "amendments", "changes"): "wholeListMerge",
    ("awards", "items", "additionalClassifications"): "wholeListMerge",
    ("awards", "suppliers", "additionalIdentifiers"): "wholeListMerge",
    ("buyer", "additionalIdentifiers"): "wholeListMerge",
    ("contracts", "amendment", "changes"): "wholeListMerge",
    ("contracts", "amendments", "changes"): "wholeListMerge",
    ("contracts", "implementation", "transactions", "payee", "additionalIdentifiers"): (
        "wholeListMerge"
    ),
    ("contracts", "implementation", "transactions", "payer", "additionalIdentifiers"): (
        "wholeListMerge"
    ),
    ("contracts", "items", "additionalClassifications"): "wholeListMerge",
    ("contracts", "relatedProcesses", "relationship"): "wholeListMerge",
    ("date",): "omitWhenMerged",
    ("id",): "omitWhenMerged",
    ("parties", "additionalIdentifiers"): "wholeListMerge",
    ("parties", "roles"): "wholeListMerge",
    ("relatedProcesses", "relationship"): "wholeListMerge",
    ("tag",): "omitWhenMerged",
    ("tender", "additionalProcurementCategories"): "wholeListMerge",
    ("tender", "amendment", "changes"): "wholeListMerge",
    ("tender", "amendments", "changes"): "wholeListMerge",
    ("tender", "items", "additionalClassifications"): "wholeListMerge",
    ("tender", "procuringEntity", "additionalIdentifiers"): "wholeListMerge",
    ("tender", "submissionMethod"): "wholeListMerge",
    ("tender", "tenderers", "additionalIdentifiers"): "wholeListMerge",
}
"""The merge rules of the OCDS 1.1.5 release schema, as ``ocdsmerge.rules.get_merge_rules``
derives them from it. Given here so the server neither ships nor fetches the schema
(``ocdsmerge`` would otherwise download the latest one); ``tests/unit/test_ocds.py``
derives them from the copy in ``schemas/ocds/`` and compares."""


def ocid(funding_id: str) -> str:
    return OCID_PREFIX + funding_id


def timestamp(moment: datetime) -> str:
    """UTC, to the microsecond, always the same width: so that ``ocdsmerge``, which sorts
    a record's releases by their ``date`` text, sorts them in time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def day(paid_on: date) -> str:
    """A payment date as an OCDS date-time: the start of that day in China Standard Time."""
    return f"{paid_on.isoformat()}T00:00:00+08:00"


def value(fen: int) -> dict[str, Any]:
    """An OCDS Value: yuan as a JSON number whose decimal text is exact, in CNY."""
    return {"amount": fen // 100 if fen % 100 == 0 else fen / 100, "currency": "CNY"}


def office_name(jurisdiction: str) -> str:
    """The buyer: the jurisdiction's office (as the 360Giving export names the funder)."""
    return f"Social Construction Work Leading Group Office ({jurisdiction})"


class Process:
    """One agreement's contracting process: its parties, award and contract."""

    def __init__(self, agreement: dict[str, Any]) -> None:
        self.agreement = agreement
        self.funding_id = str(agreement["id"])
        self.ocid = ocid(self.funding_id)
        jurisdiction = agreement["jurisdiction"]
        self.buyer = {"id": f"CN-GBT2260-{jurisdiction}", "name": office_name(jurisdiction)}
        self.supplier = {"id": f"CN-USCC-{agreement['hub_uscc']}", "name": agreement["hub_name"]}
        self.award_id = self.contract_id = self.funding_id

    def release(self, release_id: str, moment: datetime, tags: list[str]) -> dict[str, Any]:
        return {
            "ocid": self.ocid,
            "id": release_id,
            "date": timestamp(moment),
            "tag": tags,
            "initiationType": INITIATION,
        }

    def contract(self, **fields: Any) -> dict[str, Any]:
        return {"id": self.contract_id, "awardID": self.award_id, **fields}

    def commitment(self, line: dict[str, Any]) -> dict[str, Any]:
        a = self.agreement
        signed = timestamp(line["recorded_at"])
        committed = value(line["credit"] - line["debit"])
        description = (
            f"{PROGRAM_TITLES[a['program']]}, fiscal year {a['fiscal_year']}, "
            f"decision {a['decision_ref']}"
        )
        jurisdiction = a["jurisdiction"]
        return {
            **self.release(line["event_id"], line["recorded_at"], ["award", "contract"]),
            "parties": [
                {
                    **self.buyer,
                    "identifier": {"scheme": "CN-GBT2260", "id": jurisdiction},
                    "roles": ["buyer", "payer"],
                },
                {
                    **self.supplier,
                    "identifier": {
                        "scheme": "CN-USCC",
                        "id": a["hub_uscc"],
                        "legalName": a["hub_name"],
                    },
                    "roles": ["supplier", "payee"],
                },
            ],
            "buyer": self.buyer,
            "awards": [
                {
                    "id": self.award_id,
                    "title": a["purpose"],
                    "description": description,
                    "status": "active",
                    "date": signed,
                    "value": committed,
                    "suppliers": [self.supplier],
                }
            ],
            "contracts": [
                self.contract(
                    title=a["purpose"],
                    description=description,
                    status="active",
                    value=committed,
                    dateSigned=signed,
                    period={"startDate": signed},
                )
            ],
        }

    def transaction(self, line: dict[str, Any]) -> dict[str, Any]:
        """A disbursement, a refund or a reversal: on the ``commitments`` account, a
        payment is a debit, money coming back a credit."""
        paid = line["debit"] - line["credit"]
        transaction = {
            "id": line["event_id"],
            "date": day(line["paid_on"]) if line["paid_on"] else timestamp(line["recorded_at"]),
            "value": value(paid),
            "payer": self.buyer,
            "payee": self.supplier,
        }
        return {
            **self.release(line["event_id"], line["recorded_at"], ["implementation"]),
            "contracts": [self.contract(implementation={"transactions": [transaction]})],
        }

    def closing(self) -> dict[str, Any]:
        a = self.agreement
        return {
            **self.release(a["closing_event_id"], a["closed_at"], ["contractTermination"]),
            "contracts": [
                self.contract(
                    status="terminated",
                    value=value(a["committed"] - a["released"]),
                    period={"endDate": timestamp(a["closed_at"])},
                )
            ],
        }

    def releases(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Every release of the process, in the order the ledger recorded the changes."""
        found = []
        for line in lines:
            if line["kind"] == "commitment":
                found.append(self.commitment(line))
            elif line["kind"] in ("disbursement", "refund"):
                found.append(self.transaction(line))
            # A "release" line is the closing's: its release comes from the agreement.
        if self.agreement["closed_at"] is not None:
            found.append(self.closing())
        return found


def _processes(
    agreements: list[dict[str, Any]], entries: list[dict[str, Any]]
) -> list[tuple[Process, list[dict[str, Any]]]]:
    by_agreement: dict[str, list[dict[str, Any]]] = {}
    for line in entries:
        by_agreement.setdefault(str(line["funding_id"]), []).append(line)
    processes = [Process(a) for a in agreements]
    return [(p, p.releases(by_agreement.get(p.funding_id, []))) for p in processes]


def _published(releases: list[dict[str, Any]]) -> str:
    """On demand, a package's date is that of the last change it shows (as OCDS asks)."""
    latest: str = max(r["date"] for r in releases)
    return latest


def release_package(
    agreements: list[dict[str, Any]], entries: list[dict[str, Any]], uri: str
) -> dict[str, Any]:
    """A release package: every release of every process, process by process."""
    releases = [r for _, found in _processes(agreements, entries) for r in found]
    return {
        "uri": uri,
        "version": VERSION,
        "publishedDate": _published(releases),
        "publisher": PUBLISHER,
        "releases": releases,
    }


def record_package(
    agreements: list[dict[str, Any]], entries: list[dict[str, Any]], uri: str
) -> dict[str, Any]:
    """A record package: per process, its releases and the compiled release merged from
    them by ocdsmerge."""
    # Imported when first asked: with jsonref and requests it adds a fifth of a second to
    # every API process's start, for an export few requests ask for.
    from ocdsmerge import Merger  # noqa: PLC0415

    merger = Merger(merge_rules=MERGE_RULES)
    records = [
        {
            "ocid": process.ocid,
            "releases": releases,
            "compiledRelease": merger.create_compiled_release(releases),
        }
        for process, releases in _processes(agreements, entries)
    ]
    return {
        "uri": uri,
        "version": VERSION,
        "publishedDate": _published([r for rec in records for r in rec["releases"]]),
        "publisher": PUBLISHER,
        "records": records,
    }
