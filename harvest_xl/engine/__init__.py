"""The pure tax engine: no clock, no file I/O, no xlwings or openpyxl.

Adapters (``harvest_xl.udfs``, the template, refresh and the CLI) convert cell values,
call these functions and convert the results back; they hold no tax logic.
"""
