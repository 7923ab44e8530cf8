"""Exports in others' standards: Popolo events (minutes), 360Giving (funding)."""
