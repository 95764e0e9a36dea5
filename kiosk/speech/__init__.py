"""Read-aloud: text preparation, the one speech engine thread, cached audio."""
