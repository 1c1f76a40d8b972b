"""``harvest-xl``: the command line (console script ``harvest-xl = harvest_xl.cli:main``).

Subcommands are registered from :data:`COMMAND_MODULES`: each module has a
``register(subparsers)`` function that adds its parser and sets ``handler`` (a function
``(args) -> int`` exit code) with ``set_defaults``. Adding a command is a one-line edit
to that tuple. Registration only builds parsers; the work (openpyxl, the engine) is
imported inside the handlers, so ``harvest-xl --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES: tuple[str, ...] = (
    "harvest_xl.excel.workbook_cli",  # demo, refresh, template
    "harvest_xl.excel.addin_cli",  # addin build, addin install
    "harvest_xl.excel.import_cli",  # import
    "harvest_xl.excel.realized_cli",  # form8949, reconcile
)


def build_parser() -> argparse.ArgumentParser:
    from harvest_xl import __version__

    parser = argparse.ArgumentParser(
        prog="harvest-xl",
        description="Tax-loss harvesting, wash sales and early-withdrawal costs, per holding "
        "and per account, in an Excel workbook.",
    )
    parser.add_argument("--version", action="version", version=f"harvest-xl {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 = no problems)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("harvest-xl: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
