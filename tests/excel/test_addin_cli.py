"""The ``harvest-xl addin`` subcommands, through a parser built the way the CLI builds it."""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

import pytest

from harvest_xl.excel import addin_cli


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="harvest-xl")
    addin_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_build_into_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'addin build DIR' writes DIR/harvest_xl.xlam and prints its path."""
    assert _run(["addin", "build", str(tmp_path)]) == 0
    built = tmp_path / "harvest_xl.xlam"
    assert zipfile.ZipFile(built).testzip() is None
    assert capsys.readouterr().out == f"Add-in built: {built}\n"


def test_build_default_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'addin build' without PATH writes ./harvest_xl.xlam."""
    monkeypatch.chdir(tmp_path)
    assert _run(["addin", "build"]) == 0
    assert (tmp_path / "harvest_xl.xlam").is_file()


def test_build_refuses_a_wrong_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file name other than harvest_xl.xlam exits 2 with the reason on stderr."""
    assert _run(["addin", "build", str(tmp_path / "my.xlam")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "must be named harvest_xl.xlam" in captured.err


def test_install_on_this_linux_machine_says_what_it_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On Linux 'addin install' builds ./harvest_xl.xlam and says Excel is not available."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.platform", "linux")
    assert _run(["addin", "install"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Add-in built: {tmp_path / 'harvest_xl.xlam'}"
    assert out[1] == "Excel does not run on this platform, so nothing was installed."


def test_install_missing_addin_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'addin install --addin MISSING' exits 2 and tells how to build it."""
    assert _run(["addin", "install", "--addin", str(tmp_path / "x.xlam")]) == 2
    assert "build it first with 'harvest-xl addin build'" in capsys.readouterr().err


def test_addin_needs_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    """'addin' alone is a usage error."""
    with pytest.raises(SystemExit) as exited:
        _run(["addin"])
    assert exited.value.code == 2


def test_build_prints_an_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A relative PATH is reported as the absolute file it became."""
    monkeypatch.chdir(tmp_path)
    assert _run(["addin", "build", "sub"]) == 0
    assert capsys.readouterr().out == f"Add-in built: {tmp_path / 'sub' / 'harvest_xl.xlam'}\n"
