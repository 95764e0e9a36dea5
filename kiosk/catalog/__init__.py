"""The disclosure catalog: items, their 16 elements, import, export and sync."""
