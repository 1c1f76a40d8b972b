"""System programs some Excel-side tests need (LibreOffice, poppler): skipped on a
developer's machine without them, a failure under CI, which installs them (.ci/run)."""

from __future__ import annotations

import os
import shutil

import pytest


def under_ci() -> bool:
    """CI=true, also inside tox (which hides CI unless pass_env lists it, but keeps a copy)."""
    value = os.environ.get("CI") or os.environ.get("__TOX_ENVIRONMENT_VARIABLE_ORIGINAL_CI")
    return (value or "").lower() == "true"


def require_tools(tools: tuple[str, ...], purpose: str, packages: str) -> None:
    """Fail under CI, else skip, when any of ``tools`` is not on PATH."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (apt-get install {packages})"
    if under_ci():
        pytest.fail(f"CI must {purpose}: {message}")
    pytest.skip(message)
