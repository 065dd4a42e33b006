"""Findings: what each checked cell shows against the letters, with a diagnosed cause."""
