"""Outputs: annotated workbook, JSON, JUnit and console reports."""
