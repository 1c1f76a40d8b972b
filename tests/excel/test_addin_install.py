"""`harvest-xl addin install`: where the add-in and its config go on each platform, and the
check that the configured Python imports this harvest-xl and xlwings (run with ``-c``)."""

from __future__ import annotations

import os
import stat
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import harvest_xl
from harvest_xl.excel import addin as addin_module
from harvest_xl.excel.addin import (
    ADDIN_FILE_NAME,
    InstallError,
    build_addin,
    check_addin,
    check_interpreter,
    execute_plan,
    plan_install,
    read_config,
    resolve_interpreter,
    template_path,
    write_config_value,
)
from harvest_xl.excel.udf_vba import UdfModule, generate_udf_module

XLW = Path("/fake/site-packages/xlwings")
HX, XW = harvest_xl.__version__, version("xlwings")


@pytest.fixture(scope="module")
def functions() -> UdfModule:
    return generate_udf_module()


@pytest.fixture(autouse=True)
def quick_builds(monkeypatch: pytest.MonkeyPatch, functions: UdfModule) -> None:
    """Install builds with the functions generated once for this module (same text)."""
    real = addin_module.build_addin
    monkeypatch.setattr(
        addin_module, "build_addin", lambda out=None, **kw: real(out, functions=functions, **kw)
    )


def _plan(platform: str, env: dict[str, str] | None = None, home: Path = Path("/home/u")):
    return plan_install(
        platform=platform,
        env=env or {},
        home=home,
        python="/opt/py/bin/python",
        xlwings_dir=XLW,
        xlwings_version="0.37.8",
    )


def _fake_python(folder: Path, output: str, code: int = 0) -> Path:
    """An executable that answers the version probe like a Python with other versions."""
    script = folder / "fake-python"
    script.write_text(f"#!/bin/sh\nprintf '{output}'\nexit {code}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


# --- the plan ---------------------------------------------------------------------------------


def test_windows_plan_uses_xlstart_and_the_harvest_xl_config_file() -> None:
    """Windows: %APPDATA%/Microsoft/Excel/XLSTART and %USERPROFILE%/.harvest_xl/harvest_xl.conf
    with INTERPRETER_WIN; no Trust Center step any more."""
    plan = _plan("win32", {"APPDATA": "/u/AppData/Roaming", "USERPROFILE": "/u"})
    assert plan.addin_dir == Path("/u/AppData/Roaming/Microsoft/Excel/XLSTART")
    assert plan.config == Path("/u/.harvest_xl/harvest_xl.conf")
    assert plan.interpreter_key == "INTERPRETER_WIN"
    assert plan.copies == ()
    assert not any("Trust" in n for n in plan.notes)


def test_windows_plan_without_appdata_installs_nothing() -> None:
    """Without APPDATA there is no XLSTART to find: nothing is installed, and the note says why."""
    plan = _plan("win32", {"USERPROFILE": "/u"})
    assert plan.addin_dir is None and plan.config is None
    assert "APPDATA" in plan.notes[0]


def test_macos_plan_uses_the_sandboxed_startup_folder_and_applescript() -> None:
    """macOS: Excel's Group Containers start-up folder, harvest_xl.conf in Excel's container
    with INTERPRETER_MAC, and the AppleScript."""
    plan = _plan("darwin", home=Path("/Users/u"))
    assert plan.addin_dir == Path(
        "/Users/u/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel"
    )
    container = Path("/Users/u/Library/Containers/com.microsoft.Excel/Data")
    assert plan.config == container / "harvest_xl.conf"
    assert plan.interpreter_key == "INTERPRETER_MAC"
    assert plan.copies == (
        (
            XLW / "xlwings-0.37.8.applescript",
            Path("/Users/u/Library/Application Scripts/com.microsoft.Excel")
            / "xlwings-0.37.8.applescript",
        ),
    )
    assert any("no Python worksheet functions" in n for n in plan.notes)


@pytest.mark.parametrize("platform", ["linux", "freebsd13", "cygwin"])
def test_plan_without_excel_installs_nothing(platform: str) -> None:
    """Where Excel does not run, the plan has no target and says so."""
    plan = _plan(platform)
    assert plan.addin_dir is None and plan.config is None and plan.copies == ()
    assert "Excel does not run on this platform" in plan.notes[0]


# --- the interpreter check --------------------------------------------------------------------


def test_this_python_passes_the_check() -> None:
    """The Python running the tests imports this harvest-xl and xlwings: the check says so."""
    check = check_interpreter(sys.executable, harvest_xl_version=HX, xlwings_version=XW)
    assert check.ok
    assert check.message == (
        f"Checked: {sys.executable} imports harvest-xl {HX} and xlwings {XW}, the versions of "
        "this add-in."
    )


def test_other_versions_fail_the_check_with_the_fix(tmp_path: Path) -> None:
    """A Python with another harvest-xl is named with both versions and the two fixes:
    install the right versions there, or point the add-in at this Python."""
    fake = _fake_python(tmp_path, "0.0.9\\n0.37.8\\n")
    check = check_interpreter(str(fake), harvest_xl_version=HX, xlwings_version=XW)
    assert not check.ok
    assert f"has harvest-xl 0.0.9 and xlwings 0.37.8; this add-in is harvest-xl {HX}" in (
        check.message
    )
    assert f'"{fake}" -m pip install "xlwings=={XW}"' in check.message
    assert f'harvest-xl addin install --python "{sys.executable}"' in check.message


def test_python_without_harvest_xl_fails_the_check(tmp_path: Path) -> None:
    """A Python that cannot import harvest_xl: its last error line is quoted."""
    fake = tmp_path / "py"
    fake.write_text("#!/bin/sh\necho \"ModuleNotFoundError: No module named 'harvest_xl'\" >&2\n"
                    "exit 1\n")
    fake.chmod(0o755)
    check = check_interpreter(str(fake), harvest_xl_version=HX, xlwings_version=XW)
    assert not check.ok
    assert "cannot import harvest-xl (ModuleNotFoundError: No module named 'harvest_xl')" in (
        check.message
    )


def test_missing_python_fails_the_check(tmp_path: Path) -> None:
    """A configured Python that does not exist cannot be run, and the message says so."""
    check = check_interpreter(str(tmp_path / "nope"), harvest_xl_version=HX, xlwings_version=XW)
    assert not check.ok
    assert check.message.startswith(f"The add-in's Python {tmp_path / 'nope'} cannot be run (")


def test_conda_settings_resolve_like_the_addin_does() -> None:
    """Windows: 'python' with CONDA PATH and CONDA ENV is that environment's Python (base:
    the Conda folder itself), as the add-in's VBA resolves it."""
    settings = {"CONDA PATH": r"C:\conda", "CONDA ENV": "tax"}
    assert resolve_interpreter("python", settings, "win32") == r"C:\conda\envs\tax\python"
    base = {"CONDA PATH": r"C:\conda", "CONDA ENV": "base"}
    assert resolve_interpreter("pythonw", base, "win32") == r"C:\conda\pythonw"
    assert resolve_interpreter(r"D:\py\python.exe", settings, "win32") == r"D:\py\python.exe"


def test_config_file_round_trip_keeps_other_settings(tmp_path: Path) -> None:
    """Setting one key rewrites it in place of the old one and keeps the others, in the
    '"KEY","VALUE"' form VBA's Write # produces."""
    path = tmp_path / "harvest_xl.conf"
    path.write_bytes(b'"INTERPRETER_WIN","C:\\old\\python.exe"\r\n"PYTHONPATH","D:\\lib"\r\n')
    write_config_value(path, "Interpreter_Win", r"C:\new\python.exe")
    assert read_config(path) == {"PYTHONPATH": r"D:\lib", "Interpreter_Win": r"C:\new\python.exe"}
    assert path.read_bytes().endswith(b'"Interpreter_Win","C:\\new\\python.exe"\r\n')


# --- install end to end -----------------------------------------------------------------------


def _win_env(tmp_path: Path) -> dict[str, str]:
    return {"APPDATA": str(tmp_path / "Roaming"), "USERPROFILE": str(tmp_path / "u")}


def test_install_on_windows_builds_into_xlstart_writes_and_checks_config(tmp_path: Path) -> None:
    """A fresh install builds the add-in into XLSTART, writes the config naming this Python,
    checks it and reports each step."""
    report = addin_module.install_addin(platform="win32", env=_win_env(tmp_path))
    target = tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / ADDIN_FILE_NAME
    assert check_addin(target.read_bytes()) == []
    config = tmp_path / "u" / ".harvest_xl" / "harvest_xl.conf"
    assert read_config(config) == {"INTERPRETER_WIN": sys.executable}
    assert report.ok
    assert report.lines[:3] == (
        f"Built the add-in into Excel's start-up folder: {target}",
        f"Wrote {config}: INTERPRETER_WIN = {sys.executable}",
        f"Checked: {sys.executable} imports harvest-xl {HX} and xlwings {XW}, the versions of "
        "this add-in.",
    )


def test_install_keeps_and_checks_an_existing_config(tmp_path: Path) -> None:
    """An existing setting naming another Python is kept (not overwritten) but checked: a
    wrong version makes the report not ok and tells how to fix it."""
    fake = _fake_python(tmp_path, "0.0.9\\n0.37.8\\n")
    config = tmp_path / "u" / ".harvest_xl" / "harvest_xl.conf"
    config.parent.mkdir(parents=True)
    config.write_text(f'"INTERPRETER_WIN","{fake}"\n')
    report = addin_module.install_addin(platform="win32", env=_win_env(tmp_path))
    assert read_config(config) == {"INTERPRETER_WIN": str(fake)}
    assert f"Kept the existing setting in {config}: INTERPRETER_WIN = {fake}" in report.lines
    assert not report.ok
    assert any("has harvest-xl 0.0.9" in line for line in report.lines)


def test_install_with_python_replaces_the_setting(tmp_path: Path) -> None:
    """--python replaces the configured interpreter (other settings stay) and checks it."""
    config = tmp_path / "u" / ".harvest_xl" / "harvest_xl.conf"
    config.parent.mkdir(parents=True)
    config.write_text('"INTERPRETER_WIN","C:/old.exe"\n"PYTHONPATH","D:/lib"\n')
    report = addin_module.install_addin(
        platform="win32", env=_win_env(tmp_path), python=sys.executable
    )
    assert read_config(config) == {"PYTHONPATH": "D:/lib", "INTERPRETER_WIN": sys.executable}
    assert f"Set in {config}: INTERPRETER_WIN = {sys.executable}" in report.lines
    assert report.ok


def test_install_fills_a_config_without_an_interpreter(tmp_path: Path) -> None:
    """A config file that names no Python gets this one added, keeping its other settings."""
    config = tmp_path / "u" / ".harvest_xl" / "harvest_xl.conf"
    config.parent.mkdir(parents=True)
    config.write_text('"SHOW CONSOLE","True"\n')
    report = addin_module.install_addin(platform="win32", env=_win_env(tmp_path))
    assert read_config(config) == {"SHOW CONSOLE": "True", "INTERPRETER_WIN": sys.executable}
    assert report.ok


def test_install_copies_a_given_addin(tmp_path: Path, functions: UdfModule) -> None:
    """An add-in path given to install is copied, not rebuilt."""
    built = build_addin(tmp_path / "b", functions=functions)
    report = addin_module.install_addin(built, platform="win32", env=_win_env(tmp_path))
    target = tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / ADDIN_FILE_NAME
    assert target.read_bytes() == built.read_bytes()
    assert report.lines[0] == f"Copied {built} to {target}"


def test_install_on_macos_copies_the_applescript(tmp_path: Path) -> None:
    """macOS install puts the add-in, the config and xlwings' AppleScript in their folders."""
    report = addin_module.install_addin(platform="darwin", home=tmp_path)
    startup = tmp_path / "Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel"
    assert (startup / ADDIN_FILE_NAME).is_file()
    config = tmp_path / "Library/Containers/com.microsoft.Excel/Data/harvest_xl.conf"
    assert read_config(config) == {"INTERPRETER_MAC": sys.executable}
    script = f"xlwings-{XW}.applescript"
    copied = tmp_path / "Library/Application Scripts/com.microsoft.Excel" / script
    assert copied.read_bytes() == (template_path().parent / script).read_bytes()
    assert any(line.startswith(f"Copied {script}") for line in report.lines)
    assert report.ok


def test_install_on_linux_builds_locally_and_says_excel_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Linux install builds ./harvest_xl.xlam, installs nothing, and says where the file is."""
    monkeypatch.chdir(tmp_path)
    report = addin_module.install_addin(platform="linux", home=tmp_path / "home")
    assert report.lines[0] == f"Add-in built: {tmp_path / ADDIN_FILE_NAME}"
    assert "Excel does not run on this platform" in report.lines[1]
    assert report.ok
    assert not (tmp_path / "home").exists()


def test_install_reports_a_missing_addin_file(tmp_path: Path) -> None:
    """A wrong --addin path is refused with one line telling how to build it."""
    plan = _plan("win32", {"APPDATA": str(tmp_path), "USERPROFILE": str(tmp_path)})
    with pytest.raises(InstallError) as raised:
        execute_plan(plan, tmp_path / "nope.xlam")
    assert str(raised.value) == (
        f"No add-in at {tmp_path / 'nope.xlam'}: build it first with 'harvest-xl addin build'."
    )


def test_install_reports_excel_holding_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If Excel locks the add-in (PermissionError), the report says to quit Excel and retry."""
    def locked(_target: object) -> Path:
        raise PermissionError(13, "in use")

    monkeypatch.setattr(addin_module, "build_addin", locked)
    plan = _plan("win32", {"APPDATA": str(tmp_path), "USERPROFILE": str(tmp_path)})
    with pytest.raises(InstallError, match="quit Excel"):
        execute_plan(plan, None)
    assert not (tmp_path / ".harvest_xl").exists()


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a fake Python")
def test_cli_install_exits_1_when_the_configured_python_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'addin install' prints what it did and exits 1 when the add-in's Python has another
    harvest-xl: installed, but not working until fixed."""
    import argparse

    from harvest_xl.excel import addin_cli

    fake = _fake_python(tmp_path, "0.0.9\\n0.37.8\\n")
    monkeypatch.setattr("sys.platform", "win32")
    for key, value in _win_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    parser = argparse.ArgumentParser(prog="harvest-xl")
    addin_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["addin", "install", "--python", str(fake)])
    assert args.handler(args) == 1
    assert "has harvest-xl 0.0.9" in capsys.readouterr().out
