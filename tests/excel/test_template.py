"""The bundled template: the committed file is what the generator builds, and it is well formed."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from harvest_xl.engine.lots import Action
from harvest_xl.engine.models import AccountType, FilingStatus
from harvest_xl.engine.params import raw_parameters
from harvest_xl.engine.profile import PROFILE_KEYS
from harvest_xl.excel import layout as L
from harvest_xl.excel.formulas import (
    EVALUATION_FORMULA,
    HOLDINGS_FORMULAS,
    PENALTY_FORMULA,
    WITHDRAWAL_COST_FORMULA,
    WITHDRAWAL_COST_REF,
    WITHDRAWAL_OUTPUT_ROW,
)
from harvest_xl.excel.template import TEMPLATE_NAME, save_template
from harvest_xl.excel.template_outputs import sources_rows

COMMITTED = Path(__file__).resolve().parents[2] / "workbook" / TEMPLATE_NAME

# The public contract, written out by hand from issue 6 (not read from the code).
SHEETS = [
    "Start",
    "Profile",
    "Accounts",
    "Holdings",
    "Activity",
    "Recurring",
    "Securities",
    "Plan",
    "Wash sales",
    "Form 8949",
    "Withdrawal",
    "Summary",
    "Sources",
    "Evaluation",
]
PROFILE = [
    "Tax year",
    "Filing status",
    "Birth date",
    "Ordinary income",
    "Qualified dividends",
    "Realized short-term gains",
    "Realized long-term gains",
    "Short-term carryover",
    "Long-term carryover",
    "State tax rate",
    "Minimum loss ($)",
    "Minimum loss (%)",
    "Employer plan wash-sale policy",
    "As-of date",
    "Spouse birth date",
    "Blind (people)",
    "Social Security benefits",
    "Tax-exempt interest",
    "State and local taxes",
    "Mortgage interest",
    "Charitable gifts",
    "Other itemized deductions",
    "Count Activity sales",
]
INPUT_COLUMNS = {
    "Accounts": [
        "Account",
        "Type",
        "Owner",
        "Separation date",
        "SIMPLE start date",
        "Roth first contribution year",
        "Basis reported",
    ],
    "Holdings": ["Account", "Ticker", "Shares", "Acquired", "Cost basis", "Price"],
    "Activity": [
        "Date",
        "Account",
        "Action",
        "Ticker",
        "Shares",
        "Price",
        "Cost basis",
        "Acquired",
    ],
    "Recurring": ["Account", "Ticker", "Amount", "Frequency", "Next date"],
    "Securities": ["Ticker", "Identical group", "Substitute"],
}
HOLDINGS_COMPUTED = [
    "Market value",
    "Gain/Loss",
    "Term",
    "Harvest",
    "Wash-sale risk",
    "Safe rebuy",
    "Tax saving",
    "Withdrawal penalty",
    "Withdrawal cost",
]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_template(tmp_path_factory.mktemp("template") / TEMPLATE_NAME)


@pytest.fixture(scope="module")
def wb(fresh: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(fresh)


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_committed_template_equals_the_generator(fresh: Path) -> None:
    """workbook/harvest-xl-template.xlsx has exactly the parts the generator writes now
    (regenerate with `harvest-xl template workbook/harvest-xl-template.xlsx`)."""
    committed, built = _entries(COMMITTED), _entries(fresh)
    assert sorted(committed) == sorted(built)
    changed = [name for name in built if committed[name] != built[name]]
    assert changed == []


def test_generator_is_byte_deterministic(fresh: Path, tmp_path: Path) -> None:
    """Two builds are byte-identical (fixed timestamps), so the committed file diffs cleanly."""
    again = save_template(tmp_path / "again.xlsx")
    assert again.read_bytes() == fresh.read_bytes()


def test_sheet_names_and_order(wb: openpyxl.Workbook) -> None:
    """The public sheet names, Start first."""
    assert wb.sheetnames == SHEETS


def test_profile_keys_in_column_a(wb: openpyxl.Workbook) -> None:
    """Profile keys are in A2:A15 exactly as issue 6 lists them; values go in column B."""
    ws = wb["Profile"]
    assert [ws.cell(r, 1).value for r in range(2, 2 + len(PROFILE))] == PROFILE
    assert list(PROFILE_KEYS) == PROFILE


def test_defined_names_point_at_profile_values(wb: openpyxl.Workbook) -> None:
    """Each workbook-scoped name the formulas use refers to its key's value cell."""
    expected = {
        "AsOfDate": "As-of date",
        "BirthDate": "Birth date",
        "MinLoss": "Minimum loss ($)",
        "MinPct": "Minimum loss (%)",
        "WashPolicy": "Employer plan wash-sale policy",
        "TaxYear": "Tax year",
        "FilingStatus": "Filing status",
        "StateRate": "State tax rate",
    }
    ws = wb["Profile"]
    for name, key in expected.items():
        sheet, ref = next(wb.defined_names[name].destinations)
        assert sheet == "Profile"
        row = int(re.sub(r"\D", "", ref))
        assert ref.startswith("$B$") and ws.cell(row, 1).value == key
    sheet, ref = next(wb.defined_names["ProfileRange"].destinations)
    assert (sheet, ref) == ("Profile", "$A$2:$B$24")


@pytest.mark.parametrize("name", list(INPUT_COLUMNS))
def test_tables_have_the_public_headers(wb: openpyxl.Workbook, name: str) -> None:
    """Each input sheet holds one Excel Table of that name, header in row 1, whose column
    names equal the header cells (otherwise Excel repairs the file)."""
    ws = wb[name]
    table = ws.tables[name]
    headers = [c.value for c in ws[1] if c.value is not None]
    assert headers[: len(INPUT_COLUMNS[name])] == INPUT_COLUMNS[name]
    assert [c.name for c in table.tableColumns] == headers
    assert table.ref.startswith("A1:")
    assert all(isinstance(h, str) and "\n" not in h for h in headers)


def test_holdings_computed_columns(wb: openpyxl.Workbook) -> None:
    """Holdings has every computed column issue 6 requires, after the inputs."""
    headers = [c.value for c in wb["Holdings"][1]]
    assert headers[:6] == INPUT_COLUMNS["Holdings"]
    assert set(HOLDINGS_COMPUTED) <= set(headers[6:])


def test_calculated_columns_carry_their_formula_in_every_row(wb: openpyxl.Workbook) -> None:
    """A formula column is a table calculated column and every table row holds that formula,
    so Excel fills it into new rows."""
    ws = wb["Holdings"]
    table = ws.tables["Holdings"]
    last = int(re.sub(r"^.*?(\d+)$", r"\1", table.ref))
    by_name = {c.name: c for c in table.tableColumns}
    formulas = list(HOLDINGS_FORMULAS)
    assert set(HOLDINGS_COMPUTED) <= {f.column for f in formulas}
    for f in formulas:
        column = by_name[f.column]
        assert column.calculatedColumnFormula.attr_text == f.formula
        c = [h.value for h in ws[1]].index(f.column) + 1
        for r in range(2, last + 1):
            assert ws.cell(r, c).value == "=" + f.formula


def test_formulas_use_the_canonical_structured_reference_form(fresh: Path) -> None:
    """No `[@` shorthand and no post-2010 function on disk: Excel stores [#This Row], and
    LibreOffice/pycel/formulas cannot read `@` (excel-integration.md §7.3, §9.1)."""
    text = "".join(
        v.decode("utf-8", "replace") for k, v in _entries(fresh).items() if k.endswith(".xml")
    )
    formulas = re.findall(r"<(?:f|calculatedColumnFormula)[^>]*>([^<]*)<", text)
    assert formulas
    for formula in formulas:
        assert "[@" not in formula
        assert "_xlfn." not in formula
        for name in re.findall(r"\b([A-Z][A-Z0-9_.]*)\(", formula):
            assert name in {
                "IF",
                "LEFT",
                "OR",
                "AND",
                "ISNUMBER",
                "IFERROR",
                "VLOOKUP",
                "INDEX",
                "ROW",
                "MOD",
                "ROUND",
            } or name.startswith("HX_"), name


def test_every_hx_function_in_a_formula_exists() -> None:
    """Formulas call only HX_ functions the UDF module defines (no #NAME? in Excel), and
    the Holdings columns call none: they look up the one evaluation."""
    from harvest_xl import udfs

    called = set()
    for formula in [EVALUATION_FORMULA, PENALTY_FORMULA, WITHDRAWAL_COST_FORMULA]:
        called |= set(re.findall(r"\b(HX_[A-Z_]+)\(", formula))
    assert called == {"HX_HOLDINGS", "HX_PENALTY", "HX_WITHDRAWAL_COST"}
    assert all(callable(getattr(udfs, name, None)) for name in called)
    for f in HOLDINGS_FORMULAS:
        assert "HX_" not in f.formula and "INDEX(Evaluation!" in f.formula


def test_evaluation_is_one_dynamic_array_call(fresh: Path, wb: openpyxl.Workbook) -> None:
    """Evaluation!A3 holds the one HX_HOLDINGS call as an array formula, marked dynamic
    (cm="1" and the XLDAPR metadata part, excel-integration.md §9.1), so Excel 365 spills it
    to the Holdings table's size."""
    from openpyxl.worksheet.formula import ArrayFormula

    anchor = wb["Evaluation"]["A3"].value
    assert isinstance(anchor, ArrayFormula) and anchor.text == "=" + EVALUATION_FORMULA
    entries = _entries(fresh)
    assert b'fDynamic="1"' in entries["xl/metadata.xml"]
    sheets = [v for k, v in entries.items() if k.startswith("xl/worksheets/sheet")]
    assert sum(b'<c r="A3" cm="1"><f t="array"' in v for v in sheets) == 1
    assert b"sheetMetadata" in entries["[Content_Types].xml"]
    assert b"relationships/sheetMetadata" in entries["xl/_rels/workbook.xml.rels"]


def test_files_open_with_their_values(fresh: Path) -> None:
    """A current calcId and no full calculation on load (excel-integration.md R2.8)."""
    workbook = _entries(fresh)["xl/workbook.xml"].decode()
    (calc,) = re.findall(r"<calcPr[^>]*>", workbook)
    assert 'calcId="191029"' in calc and "fullCalcOnLoad" not in calc


def test_withdrawal_calculator_formulas(wb: openpyxl.Workbook) -> None:
    """The Withdrawal sheet calls HX_PENALTY once; HX_WITHDRAWAL_COST is called once, as a
    six-row array on the Evaluation sheet naming the Withdrawal inputs, and the six visible
    cells are plain lookups of it (one Python call for the six results)."""
    from openpyxl.worksheet.formula import ArrayFormula

    ws = wb["Withdrawal"]
    assert ws.cell(WITHDRAWAL_OUTPUT_ROW, 2).value == "=" + PENALTY_FORMULA
    looked_up = [ws.cell(WITHDRAWAL_OUTPUT_ROW + i, 2).value for i in range(1, 7)]
    assert looked_up == [f"=INDEX(Evaluation!$M$3:$M$8,{i})" for i in range(1, 7)]
    cost = wb["Evaluation"]["M3"].value
    assert isinstance(cost, ArrayFormula) and cost.ref == WITHDRAWAL_COST_REF == "M3:M8"
    assert cost.text == "=" + WITHDRAWAL_COST_FORMULA
    inputs = re.findall(r"(\w*!?)\$B\$(\d+)", WITHDRAWAL_COST_FORMULA)  # all five, by sheet
    assert {sheet for sheet, _row in inputs} == {"Withdrawal!"}
    assert sorted({int(row) for _sheet, row in inputs}) == [4, 5, 6, 7, 8]


def test_the_evaluation_sheet_is_hidden(wb: openpyxl.Workbook) -> None:
    """The two arrays sit on the hidden Evaluation sheet; every other sheet is visible."""
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    assert states.pop("Evaluation") == "hidden"
    assert set(states.values()) == {"visible"}


def _validation_lists(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, list[str]]:
    found = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list" and len(dv.formula1) <= 255
        found[str(dv.sqref)] = dv.formula1.strip('"').split(",")
    return found


def test_dropdowns(wb: openpyxl.Workbook) -> None:
    """Dropdowns for account types, filing status, actions and policy; every listed
    spelling is one the engine accepts."""
    types = _validation_lists(wb["Accounts"])["B2:B1001"]
    assert [AccountType.parse(t) for t in types] == list(AccountType)
    profile = _validation_lists(wb["Profile"])
    statuses = profile[f"B{L.PROFILE_ROWS['Filing status']}"]
    assert {FilingStatus.parse(s) for s in statuses} == set(FilingStatus)
    assert profile[f"B{L.PROFILE_ROWS['Employer plan wash-sale policy']}"] == [
        "conservative",
        "ignore",
    ]
    actions = _validation_lists(wb["Activity"])["C2:C1001"]
    assert actions == ["BUY", "SELL", "TRANSFER IN", "TRANSFER OUT", "SPLIT"]
    assert [Action.parse(a) for a in actions] == list(Action)


def test_formats_frozen_headers_and_input_colours(wb: openpyxl.Workbook) -> None:
    """Dates and money have formats, headers are frozen, inputs and computed cells differ."""
    ws = wb["Holdings"]
    assert ws.freeze_panes == "C2"
    assert ws["D2"].number_format == "yyyy-mm-dd"
    assert "$" in ws["E2"].number_format and "$" in ws["G2"].number_format
    assert ws["A2"].fill.fgColor.rgb != ws["G2"].fill.fgColor.rgb
    for name in INPUT_COLUMNS:
        assert wb[name].freeze_panes is not None


def test_conditional_formatting_marks_harvest_no_tax_effect_and_risk(
    wb: openpyxl.Workbook,
) -> None:
    """Rules key on 'Harvest', 'No tax effect', a non-empty wash-sale risk, and a Harvest
    cell reading 'Blocked' or 'At risk' (in the risk colours)."""
    rules = [rule.formula[0] for cf in wb["Holdings"].conditional_formatting for rule in cf.rules]
    assert any('="Harvest"' in r for r in rules)
    assert any('="No tax effect"' in r for r in rules)
    assert any('<>""' in r for r in rules)
    harvest = get_column_letter(L.HOLDINGS_COLUMNS.index("Harvest") + 1)
    blocked = [
        (str(cf.sqref), rule)
        for cf in wb["Holdings"].conditional_formatting
        for rule in cf.rules
        if '="Blocked"' in rule.formula[0] and '="At risk"' in rule.formula[0]
    ]
    assert len(blocked) == 1
    sqref, rule = blocked[0]
    assert sqref.startswith(f"{harvest}2:{harvest}") and f"LEFT(${harvest}2,7)" in rule.formula[0]
    assert rule.dxf.fill.fgColor.rgb.endswith("FFC7CE")  # the risk colour, as on Start
    assert rule.dxf.font.b and rule.dxf.font.color.rgb.endswith("9C0006")


def test_sources_sheet_lists_every_parameter_with_its_source(wb: openpyxl.Workbook) -> None:
    """Every statutory, penalty and yearly parameter in the data file is on Sources, each
    with a non-empty citation."""
    rows = sources_rows()
    data = raw_parameters()
    names = {r[0] for r in rows}
    assert set(data["statutory"]) <= names
    assert set(data["penalties_and_limits"]) <= names
    assert {r[1] for r in rows if r[1] != "all"} == set(data["years"])
    assert all(r[3].strip() for r in rows)
    ws = wb["Sources"]
    written = [
        tuple(ws.cell(r, c).value for c in range(1, 5))
        for r in range(L.OUTPUT_HEADER_ROW + 1, L.OUTPUT_HEADER_ROW + 1 + len(rows))
    ]
    assert written == rows


def test_every_font_is_named(fresh: Path) -> None:
    """Every font has a face (Calibri): an unnamed font renders in a random face elsewhere."""
    styles = _entries(fresh)["xl/styles.xml"].decode()
    fonts = re.findall(r"<font>(.*?)</font>", styles, re.S)
    assert fonts and all("<name " in f for f in fonts)


def test_template_command_writes_the_template(tmp_path: Path) -> None:
    """`harvest-xl template PATH` writes the same file the generator builds."""
    from harvest_xl.cli import main

    target = tmp_path / "t.xlsx"
    assert main(["template", str(target)]) == 0
    assert _entries(target) == _entries(COMMITTED)


def test_template_loads_in_openpyxl_without_warnings() -> None:
    """The committed template loads cleanly (no openpyxl repair warnings)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        openpyxl.load_workbook(io.BytesIO(COMMITTED.read_bytes()))
