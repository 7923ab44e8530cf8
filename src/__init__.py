"""Shuniu: an event-sourced backend for a hub-type social organization work system."""

__version__ = "0.1.0"
