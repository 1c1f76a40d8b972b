"""The one reader of each input, shared by the Excel functions, the workbook refresh, the
command line, the broker importers and the Python API.

* :mod:`.cells` — a cell value (as Excel, xlwings or openpyxl hands it over) as a date, an
  amount, a rate, a whole number, text or a flag; Excel's serial dates and error codes are
  known here and nowhere else;
* :mod:`.ranges` — a range as rows, with or without its header row;
* :mod:`.tables` — the Accounts, Holdings, Activity, Recurring and Securities tables (by
  header) as engine records, each bad cell a located problem;
* :mod:`.profile` — the Profile's key/value pairs as a validated Profile.

Names (headers, keys, the words typed for a choice) are compared by one rule,
:func:`harvest_xl.engine.names.fold`; amounts are written back by one rule,
:func:`harvest_xl.engine.money.usd`.
"""
