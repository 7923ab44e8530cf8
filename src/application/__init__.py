"""The application service: commands in, events out, over one event log."""

from shuniu.application.commands import CommandContext, Outcome
from shuniu.application.service import Shuniu

__all__ = ["CommandContext", "Outcome", "Shuniu"]
