"""`harvest-xl refresh` without Excel: values equal the HX_ functions, formulas kept, inputs
untouched, rows below tables taken in, bad rows reported by sheet, row and column."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from harvest_xl import udfs
from harvest_xl.cli import main
from harvest_xl.demo import ACCOUNTS, ACTIVITY, HOLDINGS, PROFILE, RECURRING, SECURITIES
from harvest_xl.demo import fill_workbook as fill
from harvest_xl.excel import layout as L
from harvest_xl.excel.template import build_template

AS_OF = PROFILE["As-of date"]
TABLES = {
    "Accounts": ACCOUNTS,
    "Holdings": HOLDINGS,
    "Activity": ACTIVITY,
    "Recurring": RECURRING,
    "Securities": SECURITIES,
}
TYPES = {row[0]: row[1] for row in ACCOUNTS}
PROFILE_PAIRS = [[k, v] for k, v in PROFILE.items()]
WITH_HEADERS = {
    name: [list(L.TABLE_INPUTS[name]), *(list(row) for row in rows)]
    for name, rows in TABLES.items()
}
"""Each input table as ``Table[#All]`` hands it to a UDF: header row first."""


def _write_book(path: Path, tables: dict[str, list[list[Any]]] | None = None) -> Path:
    wb = build_template()
    fill(wb, tables or TABLES, PROFILE)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("headless")
    book = _write_book(folder / "book.xlsx")
    out = folder / "out.xlsx"
    assert main(["refresh", str(book), "-o", str(out)]) == 0
    return book, out


def _rows(path: Path, sheet: str, data_only: bool) -> list[dict[str, Any]]:
    ws = openpyxl.load_workbook(path, data_only=data_only)[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)]


def _day(value: Any) -> Any:
    return value.date() if isinstance(value, datetime) else value


def _holdings_function() -> list[list[Any]]:
    """HX_HOLDINGS on the book's own tables, as Excel calls it from Evaluation!A3."""
    return udfs.HX_HOLDINGS(
        WITH_HEADERS["Holdings"], WITH_HEADERS["Accounts"], WITH_HEADERS["Activity"],
        WITH_HEADERS["Recurring"], WITH_HEADERS["Securities"], PROFILE_PAIRS,
    )  # fmt: skip


def _expected(row: list[Any], evaluated: dict[str, Any]) -> dict[str, Any]:
    """What each formula column must show: HX_HOLDINGS's row (what the lookups read), and,
    called separately, the per-row functions it must agree with."""
    account, _ticker, shares, acquired, basis, price = row
    kind = TYPES[account]
    mv = float(shares) * float(price)
    gain = mv - basis
    term = udfs.HX_TERM(acquired, AS_OF)
    tables = WITH_HEADERS
    harvest = udfs.HX_LOT_HARVEST(
        account, _ticker, shares, basis, price, acquired, AS_OF, tables["Activity"],
        tables["Accounts"], tables["Recurring"], tables["Securities"],
        PROFILE["Employer plan wash-sale policy"], tables["Holdings"],
        PROFILE["Minimum loss ($)"], PROFILE["Minimum loss (%)"],
    )  # fmt: skip
    risk = udfs.HX_LOT_WASH_RISK(
        account, _ticker, shares, basis, price, acquired, AS_OF, tables["Activity"],
        tables["Accounts"], tables["Recurring"], tables["Securities"],
        PROFILE["Employer plan wash-sale policy"], tables["Holdings"],
    )  # fmt: skip
    loss_to_sell = harvest.startswith(("Harvest", "Blocked", "At risk"))
    rebuy = udfs.HX_SAFE_REBUY(AS_OF) if loss_to_sell else "—"  # not applicable
    wants_saving = (loss_to_sell or harvest.startswith("Hold")) and gain < 0
    saving: Any = "—"
    if wants_saving:  # the saving of the part of the loss no purchase would catch
        saving = evaluated["Tax saving"]
        if risk == "None":
            assert saving == udfs.HX_SAVING(-gain, term, PROFILE_PAIRS)
    expected = {
        "Market value": mv,
        "Gain/Loss": gain,
        "Term": term,
        "Harvest": harvest,
        "Wash-sale risk": risk,
        "Safe rebuy": rebuy,
        "Tax saving": saving,
        "Account type": kind,
    }
    assert {k: evaluated[k] for k in expected} == expected
    return expected


def test_values_equal_the_hx_functions_called_directly(refreshed: tuple[Path, Path]) -> None:
    """Every Holdings formula cell, read back with data_only=True, equals HX_HOLDINGS (the
    one call its lookups read), which equals the per-row functions and arithmetic on that
    row's inputs; the demo's Harvest column shows each status (a wash-sale block and risk
    included, and a partial one priced)."""
    _book, out = refreshed
    rows = _rows(out, "Holdings", data_only=True)
    assert len([r for r in rows if r["Ticker"]]) == len(HOLDINGS)
    table = _holdings_function()
    header = table[0]
    for row, given, evaluated in zip(rows, HOLDINGS, table[1:], strict=False):
        expected = _expected(given, dict(zip(header, evaluated, strict=True)))
        got = {k: _day(row[k]) if row[k] is not None else "" for k in expected}
        assert got == expected, given
    shown = {str(r["Harvest"]).split(":")[0] for r in rows if r["Ticker"]}
    # VXUS's scheduled purchase replaces a few shares and its safe date is next year:
    # selling now keeps more this year, so it reads Harvest, priced (issue 20).
    assert shown == {"Harvest", "Hold", "Blocked", "No tax effect"}
    assert any("; sell now: " in str(r["Harvest"]) for r in rows if r["Ticker"])


def test_the_evaluation_array_holds_the_function_result(refreshed: tuple[Path, Path]) -> None:
    """Evaluation!A3 keeps its HX_HOLDINGS array formula, sized to the Holdings rows, and
    every cell of it carries what the function returns."""
    from openpyxl.worksheet.formula import ArrayFormula

    _book, out = refreshed
    formulas = openpyxl.load_workbook(out)["Evaluation"]
    anchor = formulas["A3"].value
    assert isinstance(anchor, ArrayFormula)
    assert anchor.ref == f"A3:K{3 + len(HOLDINGS)}"
    values = openpyxl.load_workbook(out, data_only=True)["Evaluation"]
    table = _holdings_function()
    got = [
        [_day(values.cell(3 + i, 1 + j).value) for j in range(len(table[0]))]
        for i in range(len(table))
    ]
    assert got == [[v if v != "" else None for v in row] for row in table]


def test_withdrawal_calculator_values(refreshed: tuple[Path, Path]) -> None:
    """The Withdrawal sheet's outputs equal HX_PENALTY and HX_WITHDRAWAL_COST on its inputs
    (blank birth and withdrawal dates fall back to the Profile's)."""
    from harvest_xl.excel.formulas import WITHDRAWAL_COST_ROWS, WITHDRAWAL_OUTPUT_ROW

    _book, out = refreshed
    ws = openpyxl.load_workbook(out, data_only=True)["Withdrawal"]
    rows = 1 + len(WITHDRAWAL_COST_ROWS)
    got = [ws.cell(WITHDRAWAL_OUTPUT_ROW + i, 2).value for i in range(rows)]
    birth = PROFILE["Birth date"]
    penalty = udfs.HX_PENALTY("Traditional 401(k)", 20000, birth, AS_OF, None, None, None)
    cost = udfs.HX_WITHDRAWAL_COST("Traditional 401(k)", 20000, birth, AS_OF, PROFILE_PAIRS, None)
    assert got == [penalty] + [c[0] for c in cost]
    assert got[0] == 2000.0  # 10% of $20,000 before 59½ (IRC §72(t)(1))


def test_formulas_are_kept(refreshed: tuple[Path, Path]) -> None:
    """Formula cells keep their formulas (and gain the cached values read above)."""
    from harvest_xl.excel.formulas import HOLDINGS_FORMULAS

    _book, out = refreshed
    rows = _rows(out, "Holdings", data_only=False)
    for row in rows[: len(HOLDINGS)]:
        for f in HOLDINGS_FORMULAS:
            assert row[f.column] == "=" + f.formula


def _input_cells(path: Path) -> dict[tuple[str, str], Any]:
    wb = openpyxl.load_workbook(path)
    cells: dict[tuple[str, str], Any] = {}
    for ws in wb.worksheets:
        if ws.title in ("Profile", "Accounts", "Activity", "Recurring", "Securities"):
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        cells[(ws.title, c.coordinate)] = c.value
    holdings = wb["Holdings"]
    for row in holdings.iter_rows(min_col=1, max_col=6):
        for c in row:
            if c.value is not None:
                cells[("Holdings", c.coordinate)] = c.value
    return cells


def test_input_cells_are_unchanged(refreshed: tuple[Path, Path]) -> None:
    """Every input cell holds after the refresh exactly what it held before."""
    book, out = refreshed
    assert _input_cells(out) == _input_cells(book)


def test_rows_below_the_table_are_taken_in(refreshed: tuple[Path, Path]) -> None:
    """The template's tables have one row; rows typed below them join the table and get
    its formulas."""
    book, out = refreshed
    before = openpyxl.load_workbook(book)["Holdings"].tables["Holdings"].ref
    after = openpyxl.load_workbook(out)["Holdings"]
    assert before == "A1:P2"
    assert after.tables["Holdings"].ref == f"A1:P{1 + len(HOLDINGS)}"
    assert openpyxl.load_workbook(out)["Activity"].tables["Activity"].ref == (
        f"A1:H{1 + len(ACTIVITY)}"
    )


def test_outputs_are_written(refreshed: tuple[Path, Path]) -> None:
    """Plan, Wash sales and Summary are filled from the engine."""
    from harvest_xl.excel import layout as L

    _book, out = refreshed
    wb = openpyxl.load_workbook(out, data_only=True)
    plan = [r for r in wb["Plan"].iter_rows(min_row=5, values_only=True) if r[0] is not None]
    assert [r[2] for r in plan] == ["INTC", "ARKK"]
    wash = [r for r in wb["Wash sales"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert [(r[2], r[4], r[5]) for r in wash] == [("QQQ", 2100.0, True)]
    summary = {
        wb["Summary"].cell(r, 1).value: wb["Summary"].cell(r, 2).value
        for r in range(L.SUMMARY_FIRST_ROW, L.SUMMARY_FIRST_ROW + len(L.SUMMARY_ROWS))
    }
    assert summary["Total tax saving"] == pytest.approx(sum(r[7] for r in plan))
    assert summary["Rows with problems"] == 0


def test_input_file_is_never_modified_and_default_output(tmp_path: Path) -> None:
    """Without -o the result is BOOK.refreshed.xlsx beside BOOK.xlsx; BOOK.xlsx is untouched."""
    book = _write_book(tmp_path / "book.xlsx")
    before = book.read_bytes()
    assert main(["refresh", str(book)]) == 0
    assert book.read_bytes() == before
    assert (tmp_path / "book.refreshed.xlsx").exists()
    assert not (tmp_path / "book.xlsx.bak").exists()


def test_in_place_keeps_a_backup(tmp_path: Path) -> None:
    """--in-place replaces the book and keeps the previous version as BOOK.xlsx.bak."""
    book = _write_book(tmp_path / "book.xlsx")
    before = book.read_bytes()
    assert main(["refresh", str(book), "--in-place"]) == 0
    assert (tmp_path / "book.xlsx.bak").read_bytes() == before
    ws = openpyxl.load_workbook(book, data_only=True)["Holdings"]
    assert ws["I2"].value == "Long-term"


def test_output_onto_the_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o pointing at the input itself is refused (exit 2) and the input is untouched."""
    book = _write_book(tmp_path / "book.xlsx")
    before = book.read_bytes()
    assert main(["refresh", str(book), "-o", str(book)]) == 2
    assert book.read_bytes() == before
    assert "--in-place" in capsys.readouterr().err


def test_not_a_workbook_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that is not a workbook is refused with a message and exit code 2."""
    fake = tmp_path / "notes.xlsx"
    fake.write_text("Date,Ticker\n2026-01-02,VTI\n")
    assert main(["refresh", str(fake)]) == 2
    assert "notes.xlsx" in capsys.readouterr().err


def test_refreshing_a_refreshed_book_changes_nothing(
    refreshed: tuple[Path, Path], tmp_path: Path
) -> None:
    """A second refresh gives the same values (cached values are recomputed, not stacked)."""
    _book, out = refreshed
    again = tmp_path / "again.xlsx"
    assert main(["refresh", str(out), "-o", str(again)]) == 0
    for sheet in ("Holdings", "Plan", "Wash sales", "Withdrawal"):
        assert _rows(again, sheet, True) == _rows(out, sheet, True)


# ----------------------------------------------------------------------- bad rows


def _bad_tables() -> dict[str, list[list[Any]]]:
    holdings = [list(r) for r in HOLDINGS]
    holdings[1][2] = "ten"  # Holdings row 3, Shares
    holdings[2][0] = "Savings"  # row 4: not on the Accounts sheet
    holdings[3][3] = date(2027, 1, 5)  # row 5: acquired after the as-of date
    activity = [list(r) for r in ACTIVITY]
    activity[1][2] = "HOLD"  # Activity row 3, Action
    accounts = [list(r) for r in ACCOUNTS] + [["Piggy", "Piggy bank", "self", None, None, None]]
    return {**TABLES, "Holdings": holdings, "Activity": activity, "Accounts": accounts}


def test_bad_rows_are_reported_by_sheet_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each bad cell is one message naming sheet!cell (column), the problem and the fix;
    exit code 1; the good rows are still computed."""
    book = _write_book(tmp_path / "bad.xlsx", _bad_tables())
    out = tmp_path / "out.xlsx"
    assert main(["refresh", str(book), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Holdings!C3 (Shares): 'ten' is not a number" in err or "Holdings!C3 (Shares)" in err
    assert "Holdings!A4 (Account): 'Savings' is not on the Accounts sheet" in err
    assert "Holdings!D5 (Acquired)" in err
    assert "Activity!C3 (Action)" in err
    assert "Accounts!B8 (Type)" in err
    assert err.count("Fix:") == 5
    wb = openpyxl.load_workbook(out, data_only=True)
    wash = [r for r in wb["Wash sales"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[2] for r in wash] == ["QQQ"]  # the good Activity rows still matched
    risk = {r["Ticker"]: r["Wash-sale risk"] for r in _rows(out, "Holdings", data_only=True)}
    assert risk["SPY"].startswith("Wash sale: bought 3.5 FXAIX")  # good lots still evaluated
    head = L.SUMMARY_PROBLEMS_ROW
    problems = [wb["Summary"].cell(r, 1).value for r in range(head, head + 7)]
    assert problems[0].startswith("Problems (5)")
    assert any("Holdings!C3" in (p or "") for p in problems)


def test_missing_sheet_and_renamed_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing sheet or a renamed input column is one problem naming it; the rest runs."""
    wb = build_template()
    fill(wb, TABLES, PROFILE)
    del wb["Recurring"]
    wb["Securities"]["A1"] = "Symbol"
    book = tmp_path / "renamed.xlsx"
    wb.save(book)
    out = tmp_path / "out.xlsx"
    assert main(["refresh", str(book), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Recurring: the sheet is missing" in err
    assert "Securities" in err and "(Ticker)" in err
    holdings = _rows(out, "Holdings", data_only=True)
    assert holdings[0]["Term"] == "Long-term"


def test_profile_problem_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad Profile value is reported at Profile!B<row> with the key's name."""
    wb = build_template()
    fill(wb, TABLES, {**PROFILE, "Filing status": "married"})
    book = tmp_path / "p.xlsx"
    wb.save(book)
    assert main(["refresh", str(book), "-o", str(tmp_path / "o.xlsx")]) == 1
    assert "Profile!B3 (Filing status)" in capsys.readouterr().err


# ----------------------------------------------------------------------- several books


def test_several_books_in_parallel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`refresh a b c` refreshes each (worker processes) beside its input; the exit code is
    the worst outcome."""
    good = _write_book(tmp_path / "a.xlsx")
    shutil.copy(good, tmp_path / "b.xlsx")
    bad = _write_book(tmp_path / "c.xlsx", _bad_tables())
    code = main(["refresh", str(good), str(tmp_path / "b.xlsx"), str(bad), "-j", "2"])
    assert code == 1
    for name in ("a", "b", "c"):
        assert (tmp_path / f"{name}.refreshed.xlsx").exists()
    captured = capsys.readouterr()
    assert "3/3" in captured.err  # the progress bar finished
    assert "c.xlsx: 5 problem(s)" in captured.err


def test_o_with_several_books_is_a_usage_error(tmp_path: Path) -> None:
    """-o names one output file, so it is refused with several inputs."""
    a = _write_book(tmp_path / "a.xlsx")
    assert main(["refresh", str(a), str(a), "-o", str(tmp_path / "x.xlsx")]) == 2


# ------------------------------------------------------------------ the user's formulas


def test_user_formulas_in_inputs_read_as_their_cached_values(tmp_path: Path) -> None:
    """An input that is a formula (as-of date =DATE(...), a price =24*2) is read as the value
    Excel last stored, keeps its formula, and keeps that value in the output."""
    from ..cached_values import set_cached_values

    wb = build_template()
    fill(wb, TABLES, PROFILE)
    wb["Profile"]["B15"] = "=DATE(2026,11,27)"
    wb["Holdings"]["F3"] = "=24*2"
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    book = tmp_path / "formulas.xlsx"
    as_excel_saved_it = {("Profile", 15, 2): AS_OF, ("Holdings", 3, 6): 48.0}
    book.write_bytes(set_cached_values(plain.read_bytes(), as_excel_saved_it))
    out = tmp_path / "out.xlsx"
    assert main(["refresh", str(book), "-o", str(out)]) == 0
    values = openpyxl.load_workbook(out, data_only=True)
    formulas_ = openpyxl.load_workbook(out)
    assert formulas_["Profile"]["B15"].value == "=DATE(2026,11,27)"
    assert formulas_["Holdings"]["F3"].value == "=24*2"
    assert _day(values["Profile"]["B15"].value) == AS_OF
    assert values["Holdings"]["F3"].value == 48
    assert values["Holdings"]["G3"].value == 400 * 48.0  # Market value from the cached price
    assert values["Holdings"]["I3"].value == "Short-term"
