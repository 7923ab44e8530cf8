"""One fiscal year of funding as 360Giving grant data (JSON, standard 1.4).

Mapping (also in the README): each funding agreement is a grant;
``amountAwarded`` is what was committed less what closing released, and
equals the sum of its ``commitmentTransaction`` values (the commitment, and
the release as a negative value); ``amountDisbursed`` is what was paid net of
refunds and reversals, and equals the sum of its ``disbursementTransaction``
values. 360Giving wants numbers: amounts are yuan with two decimals, computed
from integer fen so that the sums hold exactly.
"""

from __future__ import annotations

from typing import Any

from shuniu.aggregates.funding_agreement import PROGRAM_TITLES

PREFIX = "360G-shuniu-"


def _number(fen: int) -> float | int:
    """Yuan as a JSON number whose decimal text is exact (fen / 100 has at most 2 places)."""
    return fen // 100 if fen % 100 == 0 else fen / 100


def grant(agreement: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A 360Giving grant from a ``ledger_agreements`` row and its ``commitments`` lines."""
    commitments, disbursements = [], []
    for line in entries:
        # The commitments account: credit - debit is what each line adds to the award
        # (commitment, release) or takes back from the payments (refund, reversal).
        value = line["credit"] - line["debit"]
        transaction = {
            "id": f"{line['event_id']}",
            "transactionDate": line["recorded_at"].date().isoformat(),
            "currency": "CNY",
            "description": f"{line['kind']}: {line['reference'] or ''}".strip(),
        }
        if line["kind"] in ("commitment", "release"):
            commitments.append({**transaction, "value": _number(value)})
        else:
            disbursements.append({**transaction, "value": _number(-value)})
    awarded = agreement["committed"] - agreement["released"]
    disbursed = agreement["disbursed"] - agreement["refunded"]
    program = agreement["program"]
    jurisdiction = agreement["jurisdiction"]
    return {
        "id": PREFIX + agreement["id"],
        "title": agreement["purpose"],
        "description": (
            f"{PROGRAM_TITLES[program]}, fiscal year {agreement['fiscal_year']}, "
            f"decision {agreement['decision_ref']}"
        ),
        "currency": "CNY",
        "amountAwarded": _number(awarded),
        "amountDisbursed": _number(disbursed),
        "awardDate": agreement["committed_at"].date().isoformat(),
        "recipientOrganization": [
            {"id": f"CN-USCC-{agreement['hub_uscc']}", "name": agreement["hub_name"]}
        ],
        "fundingOrganization": [
            {
                "id": f"CN-GBT2260-{jurisdiction}",
                "name": f"Social Construction Work Leading Group Office ({jurisdiction})",
            }
        ],
        "grantProgramme": [{"code": program, "title": PROGRAM_TITLES[program]}],
        "commitmentTransaction": commitments,
        "disbursementTransaction": disbursements,
    }


def package(
    agreements: list[dict[str, Any]], entries: list[dict[str, Any]], fiscal_year: int
) -> dict[str, Any]:
    by_agreement: dict[str, list[dict[str, Any]]] = {}
    for line in entries:
        by_agreement.setdefault(line["funding_id"], []).append(line)
    return {
        "version": "1.4",
        "title": f"Shuniu public funding of hub organizations, fiscal year {fiscal_year}",
        "grants": [grant(a, by_agreement.get(a["id"], [])) for a in agreements],
    }
