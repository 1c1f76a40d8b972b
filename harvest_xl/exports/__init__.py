"""Text builders for the realized year's exports: TXF (tax software) and a Form 8949 CSV.

Pure functions from engine results to ``str``: no file I/O, no clock (the export date is an
argument). The CLI writes the text; a TXF is ASCII with CR LF line ends, the CSV UTF-8.
"""
