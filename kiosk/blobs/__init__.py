"""Files named by their content (SHA-256): the attachments of catalog items and the media of
signage playlists, stored once however many things use them, carried from the centre to
the halls that need them and removed when nothing uses them any more."""
