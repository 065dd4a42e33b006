"""Outputs of a reconciliation: the annotated copy of a workbook (see `xlsx_package`)."""
