"""Bulk import of listings from CSV, XLSX or JSON."""
