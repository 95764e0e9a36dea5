"""Notices (通知公告): posted by hall managers or brought by the catalog sync."""
