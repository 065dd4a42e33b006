"""Ledger: the expected amount of every post after every letter, and the audit of the letters' arithmetic."""
