"""The layers keep to themselves: the engine and the input readers never need Excel, the
headless refresh never needs xlwings, and the engine holds nothing of Excel.

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
    """Every engine module, every input reader, the result shaping and the Python API import
    with xlwings/openpyxl set to None."""
    result = _run(
        f"""
        import sys, pkgutil, importlib
        for name in {BLOCKED!r}:
            sys.modules[name] = None
        import harvest_xl.engine as engine
        import harvest_xl.inputs as inputs
        names = ["harvest_xl.engine." + m.name for m in pkgutil.iter_modules(engine.__path__)]
        names += ["harvest_xl.inputs." + m.name for m in pkgutil.iter_modules(inputs.__path__)]
        names += ["harvest_xl.results", "harvest_xl.api"]
        for name in names:
            importlib.import_module(name)
        assert not any(sys.modules.get(n) for n in {BLOCKED!r})
        print(len(names))
        """
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 25  # the modules were really imported


def test_headless_refresh_runs_with_xlwings_unimportable(tmp_path):
    """`harvest-xl refresh` of the demo book never imports xlwings: with xlwings set to None
    the refresh runs, writes its values and exits 0."""
    from harvest_xl.demo import demo_workbook

    book = tmp_path / "demo.xlsx"
    demo_workbook().save(book)
    result = _run(
        f"""
        import sys
        sys.modules["xlwings"] = None
        from harvest_xl.cli import main
        code = main(["refresh", {str(book)!r}, "-o", {str(tmp_path / "out.xlsx")!r}])
        assert "xlwings" not in {{n.split(".")[0] for n, m in sys.modules.items() if m}}
        print(code)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0"
    assert (tmp_path / "out.xlsx").stat().st_size > 0


def test_the_engine_imports_no_adapter_and_knows_nothing_of_excel():
    """No engine module imports an adapter (inputs, excel, udfs, results, api) or a workbook
    library, or holds Excel's serial-date epoch, its error codes or header matching."""
    import ast
    from pathlib import Path

    import harvest_xl.engine as engine

    forbidden = ("harvest_xl.inputs", "harvest_xl.excel", "harvest_xl.udfs",
                 "harvest_xl.results", "harvest_xl.api", "xlwings", "openpyxl")
    for path in Path(engine.__path__[0]).glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom | ast.Import):
                modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
                    a.name for a in node.names
                ]
                for module in modules:
                    assert not module.startswith(forbidden), f"{path.name} imports {module}"
        text = path.read_text(encoding="utf-8")
        for sign in ("1899", "-2146826", "#N/A", "serial"):
            assert sign not in text, f"{path.name} mentions {sign!r}"


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
