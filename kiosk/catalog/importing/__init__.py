"""Catalog import and export: spreadsheet files in, validated items out, and back again.

tables.py reads a file into sheets of cell texts; header.py finds the header and what each
column means (names in vocabulary.py, cell clean-up in cells.py); rows.py turns data rows
into element values; validate.py checks and canonicalises them; importer.py plans and
applies the changes; exporter.py writes files the importer reads back unchanged.
"""
