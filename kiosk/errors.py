class InputError(ValueError):
    """Bad input from a person or a file: the message names what was wrong."""
