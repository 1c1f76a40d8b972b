"""``harvest-xl addin build [PATH]`` and ``harvest-xl addin install [--addin PATH] [--python PY]``.

Exit status: 0 done; 1 installed, but the add-in's Python does not import this harvest-xl
and xlwings (the output says what to fix); 2 nothing could be done.

``harvest_xl.cli`` owns the argument parser; it calls :func:`register` with its subparsers.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``addin`` command (``build``, ``install``) to the CLI's subparsers."""
    addin = subparsers.add_parser(
        "addin",
        help="build or install the Excel add-in (HX_ functions, Harvest tab)",
        description="The Excel add-in harvest_xl.xlam, built from the installed xlwings: the "
        "HX_ worksheet functions and the Harvest tab.",
    )
    actions = addin.add_subparsers(dest="addin_command", required=True, metavar="{build,install}")
    build = actions.add_parser(
        "build",
        help="write harvest_xl.xlam",
        description="Build harvest_xl.xlam from the ribbon template inside the installed "
        "xlwings package. PATH is a folder or a file named harvest_xl.xlam "
        "(default: ./harvest_xl.xlam).",
    )
    build.add_argument("path", nargs="?", default=None, metavar="PATH")
    build.set_defaults(handler=_build)
    install = actions.add_parser(
        "install",
        help="install the add-in for this user (Windows, macOS)",
        description="Put harvest_xl.xlam where Excel loads add-ins at start-up, make sure "
        "its settings name a Python (an existing setting is kept) and check that this Python "
        "imports the same harvest-xl and xlwings. On a system without Excel, builds the file "
        "and says so.",
    )
    install.add_argument(
        "--addin", default=None, metavar="PATH", help="install this built file instead of building"
    )
    install.add_argument(
        "--python",
        default=None,
        metavar="PY",
        help="the Python the add-in runs (replaces the configured one; default: keep it, or "
        "this Python when none is configured)",
    )
    install.set_defaults(handler=_install)


def _build(args: argparse.Namespace) -> int:
    from harvest_xl.excel.addin import AddinTemplateError, build_addin

    try:
        path = build_addin(args.path)
    except (AddinTemplateError, ValueError) as exc:
        print(f"harvest-xl addin build: {exc}", file=sys.stderr)
        return 2
    print(f"Add-in built: {path}")
    return 0


def _install(args: argparse.Namespace) -> int:
    from harvest_xl.excel.addin import AddinTemplateError, InstallError, install_addin

    try:
        report = install_addin(args.addin, python=args.python)
    except (AddinTemplateError, InstallError, ValueError, OSError) as exc:
        print(f"harvest-xl addin install: {exc}", file=sys.stderr)
        return 2
    for line in report.lines:
        print(line)
    return 0 if report.ok else 1
