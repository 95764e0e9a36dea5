"""Catalog import and export: the files counties publish in, validated items out, and back.

documents.py reads a file into sheets of cell texts (by kind: workbook.py for .xlsx, with
packages.py bounding zips; tables.py for .csv/.json; LibreOffice for .doc/.wps/.et);
header.py finds the header and what each column means (names in vocabulary.py, cell
clean-up in cells.py); rows.py turns data rows into element values; validate.py checks and
canonicalises them; problems.py is what they report; importer.py previews the changes and
apply.py writes them; exporter.py writes files the importer reads back unchanged.
"""
