"""``harvest-xl demo``, ``harvest-xl refresh`` and ``harvest-xl template``.

``harvest_xl.cli`` owns the parser and calls :func:`register`. Handlers import their
work lazily so ``harvest-xl --help`` stays fast.

Exit codes of ``refresh`` (and ``demo``): 0 every workbook refreshed without problems;
1 refreshed, but some rows have problems (listed on stderr and on each Summary sheet);
2 a workbook could not be refreshed (unreadable, refused, or a usage error).

No command replaces a file without being asked: ``template PATH``, ``demo PATH`` and
``refresh -o OUT`` refuse an existing file unless ``--force`` is given, and every workbook
name must end in ``.xlsx`` or ``.xlsm``; a refused command writes nothing and exits 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["register"]

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILED = 0, 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``demo``, ``refresh`` and ``template`` to the CLI's subparsers."""
    demo = subparsers.add_parser(
        "demo",
        help="write a filled, refreshed example workbook and summarise it",
        description="Write a workbook for an example household (taxable, 401(k), IRA, Roth, "
        "HSA, SIMPLE IRA; recent trades with a wash-sale trap), refresh it, and print what to "
        "harvest, the tax saved, the wash-sale warnings and what an early 401(k) withdrawal "
        "costs.",
    )
    demo.add_argument(
        "path",
        nargs="?",
        default="harvest-xl-demo.xlsx",
        metavar="PATH",
        help="where to write the workbook, .xlsx or .xlsm (default: ./harvest-xl-demo.xlsx)",
    )
    demo.add_argument(
        "--retiree",
        action="store_true",
        help="the second example instead: a retired couple whose Plan harvests long-term "
        "gains at 0%% (default PATH: ./harvest-xl-retiree-demo.xlsx)",
    )
    _force_option(demo, "replace PATH if it exists")
    demo.set_defaults(handler=_demo)

    refresh = subparsers.add_parser(
        "refresh",
        help="recompute workbooks without Excel",
        description="Recompute harvest-xl workbooks without Excel. Formulas are kept and "
        "carry their computed values, so any viewer shows the results. The input is never "
        "changed: the result goes to -o OUT, or to BOOK.refreshed.xlsx beside BOOK.xlsx, "
        "unless --in-place is given (atomic, keeps BOOK.xlsx.bak). With --values the result "
        "is a copy with values only (BOOK.values.xlsx): no formulas, for sharing with people "
        "without the add-in or on a Mac. Exit code: 0 no problems, 1 problems found "
        "(listed), 2 a workbook could not be refreshed.",
    )
    refresh.add_argument("books", nargs="+", metavar="BOOK.xlsx")
    refresh.add_argument(
        "-o",
        "--output",
        metavar="OUT.xlsx",
        help="output file, .xlsx or .xlsm (one BOOK only); an existing OUT needs --force",
    )
    _force_option(refresh, "replace an existing -o OUT")
    refresh.add_argument(
        "--values",
        action="store_true",
        help="write a shareable copy whose formula cells hold their results as plain values "
        "(default name BOOK.values.xlsx); the workbook itself is not changed",
    )
    refresh.add_argument(
        "--in-place",
        action="store_true",
        help="replace BOOK.xlsx itself (atomically; the previous version is kept as .bak)",
    )
    refresh.add_argument(
        "--goal",
        default=None,
        help="plan goal, overriding the Profile's: 'offset gains', "
        "'offset gains + deduction' or 'all losses'",
    )
    refresh.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        help="workbooks refreshed in parallel (default: number of CPUs)",
    )
    refresh.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    refresh.set_defaults(handler=_refresh)

    template = subparsers.add_parser(
        "template",
        help="write the blank workbook template",
        description="Write the blank harvest-xl workbook (the file committed as "
        "workbook/harvest-xl-template.xlsx).",
    )
    template.add_argument(
        "path",
        nargs="?",
        default="harvest-xl-template.xlsx",
        metavar="PATH",
        help="where to write it, .xlsx or .xlsm (default: ./harvest-xl-template.xlsx)",
    )
    _force_option(template, "replace PATH if it exists")
    template.set_defaults(handler=_template)


def _force_option(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("-f", "--force", action="store_true", help=text)


def _new_file_problem(path: str, force: bool) -> str | None:
    """Why ``path`` may not be written (a wrong extension, or an existing file without
    ``--force``), checked before any work so that a refusal writes nothing."""
    from harvest_xl.excel.output_names import name_problem

    problem = name_problem(path)
    if problem is None and not force and os.path.lexists(path):
        problem = f"{path} already exists; add --force to replace it (nothing was written)"
    return problem


# ------------------------------------------------------------------------- template


def _template(args: argparse.Namespace) -> int:
    problem = _new_file_problem(args.path, args.force)
    if problem:
        print(f"harvest-xl template: {problem}", file=sys.stderr)
        return EXIT_FAILED
    from harvest_xl.excel.safe_read import HarvestFileError
    from harvest_xl.excel.template import save_template

    try:
        path = save_template(args.path, overwrite=args.force)
    except HarvestFileError as error:
        print(f"harvest-xl template: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Template written: {path}")
    return EXIT_OK


# -------------------------------------------------------------------------- refresh


def _refresh(args: argparse.Namespace) -> int:
    books = [Path(b) for b in args.books]
    if args.output and len(books) > 1:
        print("harvest-xl refresh: -o OUT works with one workbook only", file=sys.stderr)
        return EXIT_FAILED
    reports = refresh_many(
        books,
        output=args.output,
        in_place=args.in_place,
        goal=args.goal,
        jobs=args.jobs,
        progress=not args.quiet and len(books) > 1,
        overwrite=args.force,
        values=args.values,
    )
    code = EXIT_OK
    for report in reports:
        code = max(code, _print_report(report))
    return code


def refresh_many(
    books: list[Path],
    *,
    output: str | None = None,
    in_place: bool = False,
    goal: str | None = None,
    jobs: int | None = None,
    progress: bool = False,
    overwrite: bool = True,
    values: bool = False,
) -> list[Any]:
    """Refresh ``books``, in parallel worker processes when there are several. An existing
    ``output`` is replaced only with ``overwrite``; ``values`` writes values-only copies."""
    from harvest_xl.excel.headless import refresh_file

    options: dict[str, Any] = {"in_place": in_place, "goal": goal, "values": values}
    if len(books) == 1:
        return [refresh_file(books[0], output, overwrite=overwrite, **options)]
    import concurrent.futures

    workers = max(1, min(jobs or os.cpu_count() or 1, len(books)))
    bar = ProgressBar(len(books), enabled=progress)
    results: dict[int, Any] = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {
            pool.submit(refresh_file, book, None, **options): i
            for i, book in enumerate(books)
        }
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            bar.advance(books[i].name)
    bar.close()
    return [results[i] for i in range(len(books))]


class ProgressBar:
    """A plain text progress bar on stderr: ``[#####-----] 3/10 book.xlsx``."""

    WIDTH = 30

    def __init__(self, total: int, enabled: bool = True) -> None:
        self.total, self.done, self.enabled = total, 0, enabled

    def advance(self, label: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        filled = self.WIDTH * self.done // max(1, self.total)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} {label[:40]:<40}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _print_report(report: Any) -> int:
    if report.error:
        print(f"{report.source}: not refreshed: {report.error}", file=sys.stderr)
        return EXIT_FAILED
    absorbed = sum(report.absorbed.values())
    extra = f", {absorbed} row(s) below tables taken in" if absorbed else ""
    print(f"{report.source} -> {report.target} ({report.seconds:.2f} s{extra})")
    if report.problems:
        print(f"{report.source}: {len(report.problems)} problem(s):", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


# ----------------------------------------------------------------------------- demo


def _demo(args: argparse.Namespace) -> int:
    retiree = getattr(args, "retiree", False)
    path = args.path
    if retiree and path == "harvest-xl-demo.xlsx":
        path = "harvest-xl-retiree-demo.xlsx"
    problem = _new_file_problem(path, args.force)
    if problem:
        print(f"harvest-xl demo: {problem}", file=sys.stderr)
        return EXIT_FAILED
    from harvest_xl.demo import demo_text, retiree_text, write_demo, write_retiree_demo

    write, text = (write_retiree_demo, retiree_text) if retiree else (write_demo, demo_text)
    report = write(path, overwrite=args.force)
    if report.error:
        print(f"harvest-xl demo: {report.error}", file=sys.stderr)
        return EXIT_FAILED
    print(text(report))
    if report.problems:
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK
