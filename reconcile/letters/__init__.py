"""Letters -> statements: read allocation letters (text, PDF, DOCX) into sourced amount statements."""
