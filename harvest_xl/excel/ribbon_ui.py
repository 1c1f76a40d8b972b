"""The add-in's *Harvest* tab: one table of buttons, from which the build writes both the
ribbon XML (``customUI/customUI.xml``) and the VBA module that answers its clicks.

A button either runs a Python entry point of the ``harvest_xl`` package through xlwings'
``RunPython`` (``import harvest_xl; harvest_xl.<entry>()``, a fresh Python per click) or a
VBA procedure of the ribbon module itself (*Restart Python* and *About* must work when
Python does not). Adding a Python button is one :class:`RibbonButton` line here plus its
entry point in ``harvest_xl/__init__.py``. Buttons whose feature is not built are left out.

Feedback: while a Python button runs, the status bar says what is happening. The Python side
then reports success in the status bar and problems in a message box
(:mod:`harvest_xl.excel.ribbon`). On Windows ``RunPython`` waits for Python, so if Python never
reported (it could not start, or crashed), the VBA says so in the status bar; xlwings has
already shown its error box. On a Mac ``RunPython`` returns at once and xlwings resets the
status bar when Python ends, so the Python side uses a message box there.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

__all__ = [
    "CUSTOMUI_NAMESPACE_2006",
    "RIBBON_BUTTONS",
    "RIBBON_MODULE",
    "RibbonButton",
    "ribbon_module_source",
    "ribbon_xml",
]

RIBBON_MODULE = "RibbonHarvestXL"
"""The VBA module of the ribbon callbacks: unique, so no other add-in's callbacks clash."""
CUSTOMUI_NAMESPACE_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
STATUS_PREFIX = "harvest-xl: "
INSTALL_HINT = "run 'harvest-xl addin install' in a terminal"


@dataclass(frozen=True, slots=True)
class RibbonButton:
    """One button of the *Harvest* tab.

    ``callback`` is the VBA ``Sub`` in :data:`RIBBON_MODULE` the button calls. With
    ``python_entry`` the build writes that Sub to run ``harvest_xl.<python_entry>()`` and
    ``busy`` is the status bar text meanwhile; without it the Sub is one of the module's own
    VBA procedures (:data:`VBA_PROCEDURES`).
    """

    control_id: str
    label: str
    image_mso: str
    screentip: str
    supertip: str
    callback: str
    python_entry: str | None = None
    busy: str = ""

    def __post_init__(self) -> None:
        for name in (self.control_id, self.callback, self.python_entry or "x"):
            if not name.isidentifier():
                raise ValueError(f"{name!r} is not an identifier")
        if self.python_entry is not None and not self.busy:
            raise ValueError(f"{self.label}: a Python button needs its busy text")


RIBBON_BUTTONS: tuple[RibbonButton, ...] = (
    RibbonButton(
        "harvestXlImport", "Import", "ImportTextFile", "Import from the broker",
        "Choose the positions, lot and history files downloaded from your broker (CSV): their "
        "accounts, lots and trades are added to the Accounts, Holdings and Activity tables "
        "(rows already there are not added again), then the workbook is refreshed.",
        "HxImport", "import_files", "importing broker files",
    ),
    RibbonButton(
        "harvestXlRefresh", "Refresh", "Refresh", "Refresh harvest-xl",
        "Recalculate the HX_ functions and rewrite the Plan, Wash sales and Summary sheets of "
        "the active workbook.",
        "HxRefresh", "refresh", "refreshing the active workbook",
    ),
    RibbonButton(
        "harvestXlPlan", "Plan", "ListMacros", "Show the plan",
        "Refresh the active workbook and go to its Plan sheet: which lots to sell, and what "
        "each sale saves.",
        "HxPlan", "plan", "refreshing the plan",
    ),
    RibbonButton(
        "harvestXlForm8949", "Form 8949", "ExportTextFile", "Export Form 8949",
        "Refresh the active workbook, show its Form 8949 sheet and write the tax year's Form "
        "8949 rows beside the workbook as BOOK.form8949.csv and BOOK.form8949.txf (TXF for "
        "desktop tax software), wash-sale adjustments included.",
        "HxForm8949", "form8949", "exporting Form 8949",
    ),
    RibbonButton(
        "harvestXlRestart", "Restart Python", "RecurrenceEdit", "Restart Python",
        "Stop the Python that computes the HX_ functions and start a fresh one: use it after "
        "upgrading harvest-xl or changing its settings (Windows).",
        "HxRestartPython",
    ),
    RibbonButton(
        "harvestXlAbout", "About", "Info", "About harvest-xl",
        "The add-in's version, its settings file and Python; checks that this Python runs the "
        "same harvest-xl.",
        "HxAbout",
    ),
)

VBA_PROCEDURES = frozenset({"HxRestartPython", "HxAbout"})
"""Ribbon Subs written by hand in :func:`ribbon_module_source` (not run through Python)."""


def ribbon_xml(buttons: tuple[RibbonButton, ...] = RIBBON_BUTTONS) -> bytes:
    """``customUI.xml`` (Office 2007 schema): a *Harvest* tab, one group, one large button
    per entry of ``buttons``."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<customUI xmlns="{CUSTOMUI_NAMESPACE_2006}">',
        "  <ribbon>",
        "    <tabs>",
        '      <tab id="harvestXlTab" label="Harvest">',
        '        <group id="harvestXlGroup" label="harvest-xl">',
    ]
    for b in buttons:
        lines.append(
            f"          <button id={quoteattr(b.control_id)} label={quoteattr(b.label)}"
            f' size="large" onAction="{RIBBON_MODULE}.{b.callback}"'
            f" imageMso={quoteattr(b.image_mso)} screentip={quoteattr(b.screentip)}"
            f" supertip={quoteattr(b.supertip)}/>"
        )
    lines += ["        </group>", "      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines).encode()


def _vba_text(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def ribbon_module_source(
    harvest_xl_version: str, buttons: tuple[RibbonButton, ...] = RIBBON_BUTTONS
) -> str:
    """The VBA source (CRLF) of :data:`RIBBON_MODULE`: one Sub per button, and the helpers.

    It calls the custom add-in's public ``xlwings`` module procedures ``RunPython``,
    ``KillPy``, ``XLPy``, ``GetConfig``, ``GetConfigFilePath`` and ``FileExists``, and its
    ``XLWINGS_VERSION`` constant.
    """
    missing = {b.callback for b in buttons if b.python_entry is None} - VBA_PROCEDURES
    if missing:
        raise ValueError(f"no VBA procedure for the buttons {sorted(missing)}")
    lines = [
        f'Attribute VB_Name = "{RIBBON_MODULE}"',
        "' The Harvest tab of the harvest-xl add-in; written by 'harvest-xl addin build'.",
        "Option Explicit",
        "",
        f"Public Const HARVEST_XL_VERSION As String = {_vba_text(harvest_xl_version)}",
        f"Private Const STATUS As String = {_vba_text(STATUS_PREFIX)}",
        f"Private Const INSTALL As String = {_vba_text(INSTALL_HINT)}",
        "",
    ]
    for b in buttons:
        if b.python_entry is None:
            continue
        lines += [
            f"Sub {b.callback}(control As IRibbonControl)",
            f"    RunHarvestXL {_vba_text(b.python_entry)}, {_vba_text(b.busy)}",
            "End Sub",
            "",
        ]
    lines += _VBA_HELPERS
    return "\r\n".join(lines)


_VBA_HELPERS = [
    "' Runs harvest_xl.<entryPoint>() in Python. The Python side reports the outcome (status",
    "' bar or message box); on Windows RunPython waits, so an unchanged status bar means",
    "' Python never got to report.",
    "Private Sub RunHarvestXL(entryPoint As String, busy As String)",
    "    Dim waiting As String",
    "    If ActiveWorkbook Is Nothing Then",
    '        MsgBox "Open a harvest-xl workbook first.", vbInformation, "harvest-xl"',
    "        Exit Sub",
    "    End If",
    '    waiting = STATUS & busy & "..."',
    "    Application.StatusBar = waiting",
    "    On Error GoTo failed",
    '    RunPython "import harvest_xl; harvest_xl." & entryPoint & "()"',
    "#If Not Mac Then",
    "    If CStr(Application.StatusBar) = waiting Then",
    '        Application.StatusBar = STATUS & busy & " did not finish (see About)."',
    "    End If",
    "#End If",
    "    Exit Sub",
    "failed:",
    "    Application.StatusBar = False",
    '    MsgBox "harvest-xl could not run Python: " & Err.Description & vbLf & vbLf & _',
    '        SettingsText(), vbExclamation, "harvest-xl"',
    "End Sub",
    "",
    "Sub HxRestartPython(control As IRibbonControl)",
    "#If Mac Then",
    '    MsgBox "Excel for Mac starts a new Python for every button: there is no Python to " & _',
    '        "restart.", vbInformation, "harvest-xl"',
    "#Else",
    '    Application.StatusBar = STATUS & "restarting Python..."',
    "    On Error Resume Next",
    "    KillPy  ' fails harmlessly when no Python is running",
    "    On Error GoTo failed",
    '    XLPy.Exec ""',
    '    Application.StatusBar = STATUS & "Python restarted at " & Format(Now, "hh:nn:ss") & _',
    '        ". Refresh to recalculate."',
    "    Exit Sub",
    "failed:",
    "    Application.StatusBar = False",
    '    MsgBox "harvest-xl could not start Python: " & Err.Description & vbLf & vbLf & _',
    '        SettingsText(), vbExclamation, "harvest-xl"',
    "#End If",
    "End Sub",
    "",
    "Sub HxAbout(control As IRibbonControl)",
    "    Dim message As String",
    '    message = "harvest-xl " & HARVEST_XL_VERSION & " (xlwings " & XLWINGS_VERSION & ")" _',
    '        & vbLf & vbLf & SettingsText() & vbLf & vbLf & _',
    '        "Check now that this Python runs harvest-xl " & HARVEST_XL_VERSION & "?"',
    '    If MsgBox(message, vbYesNo + vbInformation, "About harvest-xl") = vbYes Then',
    '        RunHarvestXL "about", "checking Python"',
    "    End If",
    "End Sub",
    "",
    "' Where the add-in, its settings file and its Python are: what a user checks first.",
    "Private Function SettingsText() As String",
    "    Dim configFile As String, interpreter As String, summary As String",
    "    On Error Resume Next  ' a settings problem must not hide the rest of the text",
    "    configFile = GetConfigFilePath()",
    "#If Mac Then",
    '    interpreter = GetConfig("INTERPRETER_MAC", "")',
    "#Else",
    '    interpreter = GetConfig("INTERPRETER_WIN", "")',
    "#End If",
    '    If interpreter = "" Then interpreter = "(not set: " & INSTALL & ")"',
    '    summary = "Add-in: " & ThisWorkbook.FullName & vbLf & "Settings: " & configFile',
    '    If Not FileExists(configFile) Then summary = summary & " (missing: " & INSTALL & ")"',
    '    SettingsText = summary & vbLf & "Python: " & interpreter',
    "End Function",
    "",
]
