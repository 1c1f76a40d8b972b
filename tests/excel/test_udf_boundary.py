"""The engine never needs Excel: it imports with xlwings and openpyxl blocked.

Run in a fresh interpreter, so modules other tests imported cannot hide a dependency.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCKED = ("xlwings", "openpyxl", "pythoncom", "pywintypes", "win32com")


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_engine_imports_with_excel_libraries_blocked():
    """Every engine module (and the converters) import with xlwings/openpyxl set to None."""
    result = _run(
        f"""
        import sys, pkgutil, importlib
        for name in {BLOCKED!r}:
            sys.modules[name] = None
        import harvest_xl.engine as engine
        names = sorted(m.name for m in pkgutil.iter_modules(engine.__path__))
        for name in names:
            importlib.import_module("harvest_xl.engine." + name)
        importlib.import_module("harvest_xl.excel.convert")
        assert not any(sys.modules.get(n) for n in {BLOCKED!r})
        print(len(names))
        """
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 10  # the engine's modules were really imported


def test_blocking_really_blocks():
    """The same blocking makes the UDF module itself fail, so the test above can fail."""
    result = _run(
        """
        import sys
        sys.modules["xlwings"] = None
        import harvest_xl.udfs
        """
    )
    assert result.returncode != 0
    assert "xlwings" in result.stderr


def test_udf_module_does_not_import_openpyxl():
    """The UDF server loads only what the functions need: nothing heavy beyond xlwings."""
    result = _run(
        """
        import sys
        import xlwings
        before = set(sys.modules)
        import harvest_xl.udfs
        added = set(sys.modules) - before
        heavy = ("openpyxl", "numpy", "pandas", "formulas", "defusedxml", "hypothesis")
        print(",".join(sorted(n for n in added if n.split(".")[0] in heavy)))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
