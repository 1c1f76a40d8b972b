"""harvest-xl: what each holding is worth harvesting, what a wash sale costs, and what an
early withdrawal from a 401(k) or IRA really costs, in Excel."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("harvest-xl")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__", "api", "main"]


def __getattr__(name: str) -> object:
    """``harvest_xl.api`` on first use: ``import harvest_xl`` stays cheap for the add-in,
    whose ribbon button imports the package to call :func:`main`."""
    if name == "api":
        import importlib

        return importlib.import_module("harvest_xl.api")
    raise AttributeError(f"module 'harvest_xl' has no attribute {name!r}")


def main() -> None:
    """Entry point of the ribbon's Refresh button (xlwings runs ``harvest_xl.main()``).

    Imported lazily so that ``import harvest_xl`` stays cheap for the add-in.
    """
    from harvest_xl.excel.ribbon import refresh_active_workbook

    refresh_active_workbook()
