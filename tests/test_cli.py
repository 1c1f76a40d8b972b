"""The `harvest-xl` command line: subcommands, fast help, the demo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from harvest_xl.cli import COMMAND_MODULES, build_parser, main


def test_help_lists_every_command() -> None:
    """demo, refresh, template (ours) and addin (the add-in's module) are registered."""
    text = build_parser().format_help()
    for command in ("demo", "refresh", "template", "addin"):
        assert command in text
    assert "harvest_xl.excel.addin_cli" in COMMAND_MODULES


def test_help_does_not_import_the_engine_or_openpyxl() -> None:
    """`harvest-xl --help` stays fast: registering commands imports no engine, openpyxl or
    xlwings (checked in a fresh interpreter)."""
    code = (
        "import sys\n"
        "from harvest_xl.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('openpyxl', 'xlwings', 'harvest_xl.engine.tax', 'numpy')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Without a subcommand the usage is shown and the exit code is 2."""
    assert main([]) == 2
    assert "usage: harvest-xl" in capsys.readouterr().out


def test_demo_writes_the_workbook_and_summarises_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`harvest-xl demo PATH` writes a refreshed workbook and prints what to harvest, the
    tax saved, the wash-sale warnings and the 401(k) withdrawal cost."""
    target = tmp_path / "demo.xlsx"
    assert main(["demo", str(target)]) == 0
    out = capsys.readouterr().out
    assert "1. sell 500 INTC in Joint brokerage (Long-term): loss $11,000.00" in out
    assert "2. sell 353 ARKK" in out
    assert "Tax saved: $" in out
    assert "QQQ sold 2026-11-05 in Joint brokerage, rebought 2026-11-12 in Rollover IRA" in out
    assert "lost for good" in out
    assert (
        "  Part I box A: 30 sh QQQ sold 2026-11-05 in Joint brokerage: proceeds $14,400.00, "
        "basis $16,500.00, code W $2,100.00, gain or loss $0.00 (replacement in an IRA: lost "
        "for good)"
    ) in out
    assert "Withdrawing $20,000.00 from the 401(k)" in out and "penalty $2,000.00" in out
    wb = openpyxl.load_workbook(target, data_only=True)
    assert wb["Holdings"]["J3"].value.startswith("Harvest")
    assert not list(tmp_path.glob(".*input*"))  # the unrefreshed scratch file is removed


def test_console_script_entry_point() -> None:
    """The installed `harvest-xl` script runs main (exit code passed through)."""
    result = subprocess.run(
        [sys.executable, "-m", "harvest_xl.cli", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("harvest-xl ")
