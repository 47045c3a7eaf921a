"""Imports and exports of CSV files: areas, sites with their spaces, associations (docs/imports.md)."""
