"""Signage: screens, groups, playlists, schedules, emergency notices, proof of play."""
