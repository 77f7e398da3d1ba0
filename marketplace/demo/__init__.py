"""Believable Vietnamese demo data for a fresh exchange."""
