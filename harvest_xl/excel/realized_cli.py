"""``harvest-xl form8949 BOOK [-o OUT.csv | OUT.txf | -]`` and
``harvest-xl reconcile BOOK BROKER_REALIZED.csv...``: the realized year out of a workbook.

``form8949`` writes the Form 8949 rows of the Profile's tax year, as the Form 8949 sheet
shows them after a refresh (:func:`harvest_xl.excel.realized_sheets.realized_of`), as CSV
(the sheet's headers, then Notes; dates MM/DD/YYYY, formula text neutralised) or as TXF
V042 for desktop tax software (chosen by the output's extension). Where it goes: ``-o OUT``
(an existing OUT only with ``--force``), ``-o -`` for the CSV on standard output, or by
default ``BOOK.form8949.csv`` beside the workbook (harvest-xl's own file, replaced). What the
TXF cannot carry (code B or T, an unknown basis) is listed on standard error to fix after
importing it.

``reconcile`` compares those rows with a broker's realized gain/loss export (Fidelity,
Schwab ...; read by :mod:`harvest_xl.importers`) and lists each sale whose proceeds, basis,
wash-sale amount or term differ, with the likely reason (typically: the replacement was in
another account, which the broker cannot see).

The workbook is only read. Exit codes: 0 done and nothing to check; 1 done, but rows need
the user (problems listed; for ``reconcile``: sales differ); 2 nothing done (unreadable
workbook or broker file, refused output, a usage error).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["register"]

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILED = 0, 1, 2
CSV_SUFFIX, TXF_SUFFIX = ".csv", ".txf"
DEFAULT_SUFFIX = ".form8949.csv"
STDOUT = "-"
RELEVANT_SHEETS = ("Profile", "Accounts", "Activity", "Securities")
"""The sheets the realized year is read from: only their problems are reported."""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``form8949`` and ``reconcile`` to the CLI's subparsers."""
    form = subparsers.add_parser(
        "form8949",
        help="export the tax year's Form 8949 rows (CSV or TXF) from a workbook",
        description="Write the Form 8949 rows of the Profile's tax year (the Activity "
        "sheet's sales in taxable accounts, with wash-sale code W and adjustments) as CSV "
        "(the Form 8949 sheet's headers, then Notes) or TXF V042, which desktop tax software "
        "imports (TurboTax desktop: File > Import > Other Financial Software). The format "
        "follows the output's extension. Default output: BOOK.form8949.csv beside the "
        "workbook; -o - prints the CSV. Rows TXF cannot carry (codes B and T, an unknown "
        "basis) are listed to fix after importing. Exit code: 0 written, 1 written but rows "
        "need you (listed), 2 nothing written.",
    )
    form.add_argument("book", metavar="BOOK.xlsx", help="the harvest-xl workbook (only read)")
    form.add_argument(
        "-o",
        "--output",
        metavar="OUT.csv|OUT.txf|-",
        help="where to write: .csv or .txf (an existing file only with --force), or - for "
        "the CSV on standard output",
    )
    form.add_argument("-f", "--force", action="store_true", help="replace an existing -o OUT")
    form.add_argument(
        "--year", type=int, default=None, help="tax year (default: the Profile's Tax year)"
    )
    form.add_argument(
        "--whole-dollars",
        action="store_true",
        help="round every amount to whole dollars (Form 8949 allows it for all or none)",
    )
    form.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the TXF file's export date (default: today)",
    )
    form.set_defaults(handler=_form8949)

    reconcile = subparsers.add_parser(
        "reconcile",
        help="compare the workbook's Form 8949 rows with a broker's realized gain/loss file",
        description="List each sale where the workbook's Form 8949 row and the broker's "
        "realized gain/loss export (1099-B detail) differ in proceeds, cost basis, wash-sale "
        "loss disallowed or term, and why: a broker cannot see a replacement bought in "
        "another account, at another broker, by a spouse or in an IRA. Exit code: 0 every "
        "sale matches, 1 sales differ (listed), 2 nothing compared.",
    )
    reconcile.add_argument("book", metavar="BOOK.xlsx", help="the harvest-xl workbook")
    reconcile.add_argument(
        "files", nargs="+", metavar="BROKER_REALIZED.csv", help="broker realized-lot exports"
    )
    reconcile.add_argument(
        "--account",
        metavar="NAME",
        action="append",
        help="the workbook account(s) the broker files cover (default: every account); "
        "repeat for several",
    )
    reconcile.add_argument(
        "--year", type=int, default=None, help="tax year (default: the Profile's Tax year)"
    )
    reconcile.set_defaults(handler=_reconcile)


# ---------------------------------------------------------------------- reading


def read_realized(book: str | Path, year: int | None, whole_dollars: bool = False) -> Any:
    """The workbook's realized year and the problems of the sheets it is read from;
    raises :class:`~harvest_xl.excel.safe_read.HarvestFileError` for an unreadable book
    and :class:`~harvest_xl.engine.errors.HarvestInputError` when there is no Profile."""
    from harvest_xl.engine.errors import HarvestInputError
    from harvest_xl.excel.book import OpenpyxlBook
    from harvest_xl.excel.headless import absorb_rows_below_tables, user_formula_values
    from harvest_xl.excel.inputs import read_inputs
    from harvest_xl.excel.realized_sheets import activity_columns, realized_of, realized_problems
    from harvest_xl.excel.safe_read import load_workbook_safely, read_package_safely

    package = read_package_safely(Path(book))
    workbook = load_workbook_safely(package)
    absorb_rows_below_tables(workbook)
    adapter = OpenpyxlBook(workbook)
    adapter.results.update(user_formula_values(workbook, package))
    inputs = read_inputs(adapter)
    problems = [p for p in inputs.problems if p.sheet in RELEVANT_SHEETS]
    if inputs.profile is None:
        listed = "; ".join(str(p) for p in problems if p.sheet == "Profile")
        raise HarvestInputError("Profile", listed or "the Profile sheet cannot be read")
    if year is not None:
        inputs.profile = replace(inputs.profile, tax_year=year)
    realized = realized_of(inputs, whole_dollars=whole_dollars)
    assert realized is not None
    problems += realized_problems(realized, activity_columns(adapter))
    return realized, problems


def _print_problems(problems: list[Any]) -> None:
    if problems:
        print(f"{len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)


# -------------------------------------------------------------------- form8949


def default_output(book: str | Path) -> Path:
    """``BOOK.xlsx`` -> ``BOOK.form8949.csv`` in the same folder."""
    path = Path(book)
    return path.with_name(path.stem + DEFAULT_SUFFIX)


def export_bytes(rows: Any, target: Path, export_date: date) -> tuple[bytes, tuple[str, ...]]:
    """The Form 8949 rows as the file ``target`` names: TXF V042 for ``.txf`` (and what TXF
    cannot carry, to fix by hand after importing it), otherwise CSV with the notes."""
    from harvest_xl import __version__
    from harvest_xl.exports.csv_8949 import form8949_csv
    from harvest_xl.exports.txf import txf_export

    if target.suffix.lower() == TXF_SUFFIX:
        export = txf_export(rows, program=f"harvest-xl {__version__}", export_date=export_date)
        return export.text.encode("ascii"), export.fix_after_import
    return form8949_csv(rows, notes=True).encode("utf-8"), ()


def _output_problem(args: argparse.Namespace) -> str | None:
    """Why the output cannot be written, checked before any work."""
    import os

    output = args.output
    if output is None or output == STDOUT:
        return None
    suffix = Path(output).suffix.lower()
    if suffix not in (CSV_SUFFIX, TXF_SUFFIX):
        return f"{output}: the output must end in .csv or .txf; nothing was written"
    if Path(output).resolve() == Path(args.book).resolve():
        return f"{output} is the workbook: harvest-xl never overwrites it"
    if not args.force and os.path.lexists(output):
        return f"{output} already exists; add --force to replace it (nothing was written)"
    return None


def _form8949(args: argparse.Namespace) -> int:
    problem = _output_problem(args)
    if problem:
        print(f"harvest-xl form8949: {problem}", file=sys.stderr)
        return EXIT_FAILED
    from harvest_xl.engine.errors import HarvestInputError
    from harvest_xl.engine.money import usd
    from harvest_xl.excel.atomic_write import atomic_write_bytes
    from harvest_xl.exports.csv_8949 import form8949_csv

    try:
        realized, problems = read_realized(args.book, args.year, args.whole_dollars)
    except HarvestInputError as error:  # HarvestFileError included
        print(f"harvest-xl form8949: {args.book}: {error.problem}", file=sys.stderr)
        return EXIT_FAILED
    rows = realized.form8949.rows
    if args.output == STDOUT:
        sys.stdout.write(form8949_csv(rows, notes=True))
        _print_problems(problems)
        return EXIT_PROBLEMS if problems else EXIT_OK
    target = Path(args.output) if args.output else default_output(args.book)
    data, fixes = export_bytes(rows, target, args.date or date.today())
    try:
        atomic_write_bytes(target, data, backup=False, overwrite=args.force or not args.output)
    except HarvestInputError as error:
        print(f"harvest-xl form8949: {error.problem}", file=sys.stderr)
        return EXIT_FAILED
    report = realized.schedule_d
    print(
        f"{args.book} -> {target}: {len(rows)} row(s) of tax year {realized.form8949.year}; "
        f"Part I {usd(report.realized_short_term)}, Part II {usd(report.realized_long_term)}"
    )
    if fixes:
        print(f"After importing {target.name}, fix by hand:", file=sys.stderr)
        for fix in fixes:
            print(f"  {fix}", file=sys.stderr)
    _print_problems(problems)
    return EXIT_PROBLEMS if problems or fixes else EXIT_OK


# -------------------------------------------------------------------- reconcile


def broker_lots(path: str | Path, year: int, account: str | None) -> tuple[list[Any], list[str]]:
    """The realized lots of one broker file sold in ``year`` as engine records, and a line
    for each lot that cannot be compared (no ticker, date sold or proceeds).

    Raises:
        HarvestInputError: the file is unreadable or holds no realized lots.
    """
    from harvest_xl.engine.errors import HarvestInputError
    from harvest_xl.engine.reconcile import BrokerLot
    from harvest_xl.importers.registry import read_file

    result = read_file(path)
    if not result.realized:
        raise HarvestInputError(
            str(path),
            f"not a realized gain/loss export ({result.report.broker.value} "
            f"{result.report.kind.value})",
        )
    lots, skipped = [], []
    for lot in result.realized:
        if lot.ticker is None or lot.sold is None or lot.proceeds is None:
            what = lot.ticker or lot.description
            skipped.append(f"{Path(path).name}: {what}: no ticker, date sold or proceeds")
            continue
        if lot.sold.year != year:
            continue
        lots.append(
            BrokerLot(
                ticker=lot.ticker,
                shares=lot.shares,
                acquired=lot.acquired,
                sold=lot.sold,
                proceeds=lot.proceeds,
                cost_basis=lot.cost_basis,
                wash_disallowed=lot.wash_sale_disallowed,
                term=lot.term,
                account=account,
                row=lot.source.line,
            )
        )
    return lots, skipped


def reconcile_lines(differences: Any) -> list[str]:
    """Each differing sale, then one line per difference with the reason."""
    from harvest_xl.engine.money import usd

    def shown(value: Any) -> str:
        if value is None:
            return "none"
        return value.value if hasattr(value, "value") else usd(value)

    lines: list[str] = []
    for sale in differences:
        where = f" ({sale.account})" if sale.account else ""
        shares = format(sale.shares.normalize(), "f")
        lines.append(f"{sale.ticker} {shares} sh sold {sale.sold.isoformat()}{where}:")
        for d in sale.differences:
            lines.append(
                f"  {d.kind.value}: ours {shown(d.ours)}, broker's {shown(d.broker)}: {d.reason}"
            )
    return lines


def _reconcile(args: argparse.Namespace) -> int:
    from harvest_xl.engine.errors import HarvestInputError
    from harvest_xl.engine.reconcile import reconcile

    try:
        realized, problems = read_realized(args.book, args.year)
    except HarvestInputError as error:
        print(f"harvest-xl reconcile: {args.book}: {error.problem}", file=sys.stderr)
        return EXIT_FAILED
    year = realized.form8949.year
    accounts = args.account or None
    only = accounts[0] if accounts and len(accounts) == 1 else None
    lots: list[Any] = []
    for path in args.files:
        try:
            found, skipped = broker_lots(path, year, only)
        except HarvestInputError as error:
            print(f"harvest-xl reconcile: {path}: {error.problem}", file=sys.stderr)
            return EXIT_FAILED
        lots += found
        for line in skipped:
            print(f"  skipped: {line}", file=sys.stderr)
    differences = reconcile(realized.form8949.rows, lots, accounts=accounts)
    compared = len(lots)
    for line in reconcile_lines(differences):
        print(line)
    print(
        f"Tax year {year}: {compared} broker lot(s) compared; {len(differences)} sale(s) differ."
    )
    _print_problems(problems)
    return EXIT_PROBLEMS if differences else EXIT_OK
