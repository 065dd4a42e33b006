"""reconcile: check a finance office's budget workbooks against the ministry's allocation letters.

The data flows one way; each stage is a subpackage named after it:

    letters   -> statements (reconcile.letters)
    ledger    -> expected amounts per post after each letter, and the letters' own audit
    workbook  -> the tables a finance office keeps, read as they are
    validation-> a Great Expectations suite built from the ledger, run on the tables
    output    -> annotated workbook, JSON, JUnit, console

`reconcile.pipeline` is the only module that knows that order.
"""

__version__ = "0.1.0"
