"""The one table of who may issue each command holds the contract's roles, and is the README's.

The contract's table (docs/api.md, "Commands") is written out below as the
test's own: each route and the roles that may call it. Every command of the
code must have its row there, the same roles, and a route; the README's
table must be the one ``describe()`` prints. The HTTP side of the same
rules, every role against every command through a real server, is
tests/e2e/test_roles.py.
"""

from __future__ import annotations

from pathlib import Path

from shuniu.api.commands import routes_of
from shuniu.commands import HANDLERS
from shuniu.commands.access import WHO_MAY, describe

CONTRACT = {
    ("POST", "/v1/principals"): "admin",
    ("DELETE", "/v1/principals/{principal_id}"): "admin",
    ("POST", "/v1/applications"): "applicant office",
    ("POST", "/v1/applications/{application_id}/supplement-requests"): "office",
    ("POST", "/v1/applications/{application_id}/supplements"): "applicant",
    ("POST", "/v1/applications/{application_id}/preliminary-review"): "office",
    ("POST", "/v1/applications/{application_id}/decision"): "leading_group",
    ("POST", "/v1/applications/{application_id}/withdrawal"): "applicant",
    ("POST", "/v1/hubs/{hub_id}/responsibilities"): "hub",
    ("POST", "/v1/hubs/{hub_id}/duty-reports"): "hub",
    ("POST", "/v1/hubs/{hub_id}/upward-reports"): "hub",
    ("POST", "/v1/hubs/{hub_id}/upward-reports/{report_id}/replies"): "office leading_group",
    ("POST", "/v1/hubs/{hub_id}/adjustments"): "office",
    ("POST", "/v1/hubs/{hub_id}/adjustments/{adjustment_id}/decision"): "leading_group",
    ("POST", "/v1/hubs/{hub_id}/evaluations"): "office",
    ("POST", "/v1/affiliations"): "hub office",
    ("POST", "/v1/affiliations/{affiliation_id}/registration-reviews"): "hub",
    ("POST", "/v1/affiliations/{affiliation_id}/registration"): "hub",
    ("POST", "/v1/affiliations/{affiliation_id}/annual-inspections"): "hub",
    ("POST", "/v1/affiliations/{affiliation_id}/violation-referrals"): "hub",
    ("POST", "/v1/affiliations/{affiliation_id}/violation-referrals/{referral_id}/outcome"): "hub",
    ("POST", "/v1/affiliations/{affiliation_id}/party-building"): "hub",
    ("POST", "/v1/affiliations/{affiliation_id}/transfer"): "office",
    ("POST", "/v1/affiliations/{affiliation_id}/end"): "hub office",
    ("POST", "/v1/notices"): "office leading_group",
    ("POST", "/v1/notices/{notice_id}/acknowledgements"): "hub",
    ("POST", "/v1/notices/{notice_id}/relays"): "hub",
    ("POST", "/v1/meetings"): "office leading_group",
    ("POST", "/v1/meetings/{meeting_id}/attendance"): "office",
    ("POST", "/v1/meetings/{meeting_id}/resolutions"): "office",
    ("POST", "/v1/meetings/{meeting_id}/action-items"): "office",
    ("POST", "/v1/meetings/{meeting_id}/action-items/{action_item_id}/completion"): "hub",
    ("POST", "/v1/meetings/{meeting_id}/minutes"): "office",
    ("POST", "/v1/meetings/{meeting_id}/corrections"): "office",
    ("POST", "/v1/funding"): "office",
    ("POST", "/v1/funding/{funding_id}/disbursements"): "office",
    ("POST", "/v1/funding/{funding_id}/refunds"): "office",
    ("POST", "/v1/funding/{funding_id}/closure"): "office",
    # The additions of 2026-12.
    ("POST", "/v1/jurisdictions/{code}/rules"): "leading_group",
}
"""The contract's table of commands and their roles."""

BEYOND_THE_CONTRACT = {
    ("POST", "/v1/meetings/{meeting_id}/cancellation"): "office leading_group",
    ("POST", "/v1/funding/{funding_id}/reversals"): "office",
    ("POST", "/v1/funding/{funding_id}/freeze"): "office",
    ("POST", "/v1/funding/{funding_id}/unfreeze"): "office",
}
"""Commands the contract leaves to us (the README documents them)."""


def test_every_command_has_a_handler_a_rule_and_a_route() -> None:
    assert set(HANDLERS) == set(WHO_MAY)
    routes = {routes_of(command) for command in HANDLERS}
    assert routes == set(CONTRACT) | set(BEYOND_THE_CONTRACT)


def test_the_roles_of_every_command_are_the_contracts() -> None:
    expected = CONTRACT | BEYOND_THE_CONTRACT
    for command, rule in WHO_MAY.items():
        route = routes_of(command)
        assert set(rule.roles) == set(expected[route].split()), route


def test_the_readme_shows_the_table_of_the_code() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert describe() in readme, (
        "the README's table of who may issue each command is not the code's: "
        "paste the output of `python -m shuniu.commands.access` into it"
    )
