"""Validation: a Great Expectations suite built from the ledger, run on the workbook's tables."""
