"""The application service: commands in, events out, over one event log."""

from shuniu.application.affiliations import AffiliationCommands
from shuniu.application.commands import CommandContext, Outcome
from shuniu.application.designation import DesignationCommands
from shuniu.application.funding import FundingCommands
from shuniu.application.hubs import HubCommands
from shuniu.application.meetings import MeetingCommands
from shuniu.application.notices import NoticeCommands
from shuniu.application.principals import PrincipalCommands
from shuniu.settings import APPLICATION_NAME


class Shuniu(
    DesignationCommands,
    HubCommands,
    AffiliationCommands,
    NoticeCommands,
    MeetingCommands,
    FundingCommands,
    PrincipalCommands,
):
    """Every command of Shuniu, over the one event log ``shuniu``."""

    name = APPLICATION_NAME


__all__ = ["CommandContext", "Outcome", "Shuniu"]
