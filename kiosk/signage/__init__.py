"""Signage (信息发布): screens and their groups, playlists and entries, review and
publication, schedules, the program a player receives, emergency notices, proof of play."""
