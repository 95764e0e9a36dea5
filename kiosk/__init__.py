"""Hall kiosks and signage for grassroots government-affairs disclosure."""
