"""``harvest-xl import BOOK FILE... [-o OUT] [--in-place] [--account NAME] [--lots-from-history]``.

``harvest_xl.cli`` owns the parser and calls :func:`register`; the work
(:func:`harvest_xl.excel.import_workbook.import_files`) is imported inside the handler so
``harvest-xl --help`` stays fast.

Exit codes: 0 imported, nothing to fix; 1 imported, but some rows need the user (bad rows in
a broker file, problems the refresh found: listed, and on the Summary sheet; with
``--lots-from-history``, tickers left out or rebuilt rows to delete); 2 nothing was imported
(a file of no known layout or refused, an unreadable workbook, a usage error).
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register"]

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILED = 0, 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``import`` to the CLI's subparsers."""
    command = subparsers.add_parser(
        "import",
        help="import broker downloads (positions, lots, history) into a workbook",
        description="Read positions, lot details and history downloaded from Fidelity, "
        "Schwab, Vanguard, E*TRADE, Interactive Brokers or Robinhood (the broker and the kind "
        "of file are recognised by their content) into the workbook's Accounts, Holdings and "
        "Activity tables, then refresh it. Rows already imported are not added again; rows "
        "you typed or edited are never changed. The broker files are only read. The result "
        "goes to -o OUT (an existing OUT only with --force), or to BOOK.imported.xlsx beside "
        "BOOK.xlsx, unless --in-place is given (atomic, keeps BOOK.xlsx.bak). Exit code: "
        "0 imported, 1 imported but some rows need you (listed), 2 nothing imported.",
    )
    command.add_argument("book", metavar="BOOK.xlsx", help="the harvest-xl workbook")
    command.add_argument("files", nargs="+", metavar="FILE", help="broker CSV (or JSON) files")
    command.add_argument(
        "-o", "--output", metavar="OUT.xlsx", help="output file, .xlsx (or .xlsm as BOOK is)"
    )
    command.add_argument("-f", "--force", action="store_true", help="replace an existing -o OUT")
    command.add_argument(
        "--in-place",
        action="store_true",
        help="replace BOOK.xlsx itself (atomically; the previous version is kept as .bak)",
    )
    command.add_argument(
        "--account",
        metavar="NAME",
        help="the account of files that do not name theirs (a Schwab or Robinhood history, "
        "a single-account download): its name on the Accounts sheet",
    )
    command.add_argument(
        "--lots-from-history",
        action="store_true",
        help="the history covers each account since it was opened (or since it held "
        "nothing): write each account's Holdings as the lots the history still holds, "
        "unless a lot-detail file of the account is given (a ticker whose history is "
        "visibly incomplete, or that a positions file given shows otherwise, is left out "
        "and reported)",
    )
    command.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    from harvest_xl.excel.import_workbook import import_files

    report = import_files(
        args.book,
        args.files,
        args.output,
        args.in_place,
        account=args.account,
        overwrite=args.force,
        lots_from_history=args.lots_from_history,
    )
    if report.error is not None:
        print("\n".join(report.lines()), file=sys.stderr)
        return EXIT_FAILED
    print("\n".join(report.lines()))
    return EXIT_OK if report.ok else EXIT_PROBLEMS
