"""harvest-xl: what each holding is worth harvesting, what a wash sale costs, and what an
early withdrawal from a 401(k) or IRA really costs, in Excel."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("harvest-xl")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0"

__all__ = [
    "__version__", "about", "api", "form8949", "import_files", "main", "plan", "refresh"
]

# The add-in's Python buttons run ``import harvest_xl; harvest_xl.<entry>()`` (the table is
# harvest_xl.excel.ribbon_ui). Each imports its module lazily so that ``import harvest_xl``
# stays cheap for the add-in.


def __getattr__(name: str) -> object:
    """``harvest_xl.api`` on first use (the Python API, for people who script)."""
    if name == "api":
        import importlib

        return importlib.import_module("harvest_xl.api")
    raise AttributeError(f"module 'harvest_xl' has no attribute {name!r}")


def refresh() -> None:
    """*Refresh*: recompute the active workbook's outputs and HX_ formulas."""
    from harvest_xl.excel.ribbon import refresh_active_workbook

    refresh_active_workbook()


def import_files() -> None:
    """*Import*: ask for broker files and import them into the active workbook, refreshed."""
    from harvest_xl.excel.ribbon import import_into_active_workbook

    import_into_active_workbook()


def main() -> None:
    """What add-ins built before the button table ran (``harvest_xl.main()``): *Refresh*."""
    refresh()


def plan() -> None:
    """*Plan*: refresh the active workbook and show its Plan sheet."""
    from harvest_xl.excel.ribbon import show_plan

    show_plan()


def form8949() -> None:
    """*Form 8949*: refresh the active workbook and write its Form 8949 rows as CSV and TXF
    beside it."""
    from harvest_xl.excel.ribbon import export_form8949

    export_form8949()


def about() -> None:
    """*About* (its Python check): which Python, harvest-xl and xlwings run the buttons."""
    from harvest_xl.excel.ribbon import show_about

    show_about()
