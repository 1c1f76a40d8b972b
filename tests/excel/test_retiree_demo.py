"""The second example household: a retired couple whose Plan harvests gains at 0% (issue 20).

Hand derivation (2026, joint, both 65+): deductions $35,500 standard (32,200 + 2 x 1,650)
+ $12,000 senior (MAGI under $150,000). Income: IRA $12,000, qualified dividends $2,000,
long-term gain $5,000 realized, Social Security $48,000. With G more gain, provisional
income is $43,000 + G, so from G = $1,000 taxable benefits are $6,000 + 85% x (G - $1,000)
and ordinary taxable income is 0.85 x (G - $1,000) - $29,500. The Tax Table charges $0
below $5: G < $1,000 + $29,505 / 0.85 = $35,711.76. VTI gains $220 a share: 162 shares =
$35,640 (ordinary income below $5, tax $0); the 163rd ($35,860) makes it $131, Table row $125-$150:
$14. State tax: 4% x $35,640 = $1,425.60. The bond fund's $3,900 loss would only cancel gain
taxed at 0% (and the benefits it would untax sit under the deductions): not sold.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from harvest_xl.cli import main
from harvest_xl.demo import write_retiree_demo
from harvest_xl.excel import layout as L


def _plan(path: Path) -> tuple[str, list[dict[str, object]]]:
    ws = openpyxl.load_workbook(path, data_only=True)[L.PLAN]
    header = [c.value for c in ws[L.OUTPUT_HEADER_ROW]]
    assert tuple(header[: len(L.PLAN_COLUMNS)]) == L.PLAN_COLUMNS
    rows = [
        dict(zip(L.PLAN_COLUMNS, row, strict=False))
        for row in ws.iter_rows(min_row=L.OUTPUT_HEADER_ROW + 1, values_only=True)
        if any(v is not None for v in row)
    ]
    return str(ws.cell(3, 1).value), rows


def test_the_retiree_plan_sells_and_buys_back_the_largest_untaxed_gain(tmp_path: Path) -> None:
    """162 VTI sold and bought back: $35,640 of gain, no federal tax, $1,425.60 state; the
    bond fund listed as not sold, with why."""
    report = write_retiree_demo(tmp_path / "retiree.xlsx")
    assert report.error is None and report.problems == []
    line, rows = _plan(report.target)
    gain, bond = rows
    assert (gain["Rank"], gain["Action"], gain["Ticker"], gain["Shares"]) == (
        1,
        "Sell and buy back",
        "VTI",
        162,
    )
    assert (gain["Gain realized"], gain["State tax on gain"], gain["Loss"]) == (
        35640,
        1425.6,
        None,
    )
    assert gain["Tax saving"] == -1425.6
    assert (bond["Rank"], bond["Action"], bond["Ticker"]) == (None, "Not sold", "BND")
    assert str(bond["Flag"]).startswith("Its loss would only cancel gains taxed at 0%")
    assert line.endswith(
        "Long-term gain of $35,640.00 realized at an unchanged federal tax of $0.00; "
        "one more share of VTI would add $14.00."
    )


def test_harvest_xl_demo_retiree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`harvest-xl demo --retiree PATH` writes the retiree workbook and prints its plan; the
    main demo is unchanged without the flag."""
    target = tmp_path / "retiree.xlsx"
    assert main(["demo", "--retiree", str(target)]) == 0
    out = capsys.readouterr().out
    assert "1. sell 162 VTI in Joint brokerage and buy them back today: long-term gain " in out
    assert "$35,640.00 at no federal tax (state tax $1,425.60)" in out
    assert "not sold: BND in Joint brokerage" in out
    assert target.exists()
