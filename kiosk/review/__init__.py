"""One review workflow (审核把关) for everything that reaches residents: notices, playlists
and, later, catalog changes and public answers."""
