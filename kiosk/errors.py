"""The one exception for refused input."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input from a person or a file: the message (Chinese) names what was wrong.

    `field` names the form field the message belongs beside, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
