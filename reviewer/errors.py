"""Exceptions with a message a PPK can read (Bahasa Indonesia), naming the file and the reason."""

from __future__ import annotations


class ReviewerError(Exception):
    """Base class. `str(err)` is the Indonesian message shown to users."""


class IngestError(ReviewerError):
    """A file could not be read: corrupt, encrypted, empty, wrong type, too large, zip bomb."""

    def __init__(self, file: str, reason: str):
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


class RulebookError(ReviewerError):
    """A rule card or article summary is invalid. Names the file and the rule."""

    def __init__(self, file: str, rule: str | None, reason: str):
        self.file = file
        self.rule = rule
        where = f"{file} (aturan {rule})" if rule else file
        super().__init__(f"Rulebook tidak valid: {where}: {reason}")
