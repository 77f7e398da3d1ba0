"""Tests of the listings feature."""
