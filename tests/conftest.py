"""Make xlwings' classic (Windows) UDF decorators run on Linux, so tests see real metadata.

On Linux ``xw.func``/``xw.arg``/``xw.ret`` are pass-throughs, and a UDF imported normally
carries no ``__xlfunc__``. ``xlwings.udfs`` holds the real decorators; importing it needs only
``pythoncom.CoInitialize``, ``pywintypes`` and ``win32com.client.Dispatch``. We put inert
placeholders under those names and rebind the public decorator names before any test module
imports ``harvest_xl.udfs`` (pytest loads this file first). See excel-integration.md §2.2.

The placeholders are installed only where pywin32 is absent (never on Windows) and only under
names nothing else on Linux imports, so tests that do not need them are unaffected. The UDFs
still behave as plain Python functions: the classic decorators attach ``__xlfunc__`` and
return the function itself.
"""

from __future__ import annotations

import sys
import types

CLASSIC_DECORATORS = False


def _install_classic_xlwings_decorators() -> bool:
    if sys.platform == "win32":
        return False
    names = ("pythoncom", "pywintypes", "win32com", "win32com.client")
    if any(name in sys.modules for name in names):
        return False  # something real (or another stub) is already there; leave it alone
    stubs = {name: types.ModuleType(name) for name in names}
    stubs["pythoncom"].CoInitialize = lambda: None  # type: ignore[attr-defined]
    stubs["win32com.client"].Dispatch = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    stubs["win32com"].client = stubs["win32com.client"]  # type: ignore[attr-defined]
    sys.modules.update(stubs)

    import xlwings
    from xlwings import udfs as classic

    xlwings.func = classic.xlfunc
    xlwings.arg = classic.xlarg
    xlwings.ret = classic.xlret
    xlwings.sub = classic.xlsub
    xlwings.script = classic.xlsub
    return True


CLASSIC_DECORATORS = _install_classic_xlwings_decorators()
