"""The application service: commands in, events out, over one event log."""

from shuniu.application.commands import CommandContext, Outcome
from shuniu.application.designation import DesignationCommands
from shuniu.application.principals import PrincipalCommands
from shuniu.settings import APPLICATION_NAME


class Shuniu(DesignationCommands, PrincipalCommands):
    """Every command of Shuniu, over the one event log ``shuniu``."""

    name = APPLICATION_NAME


__all__ = ["CommandContext", "Outcome", "Shuniu"]
