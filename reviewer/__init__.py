"""pbj-reviewer: reviews Indonesian government procurement documents (KAK, HPS, kontrak)
against Perpres 16/2018 jo. 12/2021 jo. 46/2025."""

__version__ = "0.1.0"
