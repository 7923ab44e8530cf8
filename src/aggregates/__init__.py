"""The domain: one module per aggregate, no I/O."""

from shuniu.aggregates.base import Actor, Aggregate
from shuniu.aggregates.command_receipt import CommandReceipt
from shuniu.aggregates.designation_application import DesignationApplication
from shuniu.aggregates.field_seat import FieldSeat
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.principal import Principal

__all__ = [
    "Actor",
    "Aggregate",
    "CommandReceipt",
    "DesignationApplication",
    "FieldSeat",
    "HubOrganization",
    "Principal",
]
