"""Registration metadata of every HX_ function, as Windows Excel would receive it.

tests/conftest.py makes the classic xlwings decorators run on Linux, so each UDF carries
the ``__xlfunc__`` dict that "Import Functions" reads (excel-integration.md §2).
"""

from __future__ import annotations

import inspect
import re
import sys
import types
from datetime import date

import pytest

from harvest_xl import udfs

from .udf_spec import SPECS, UdfSpec

VBA_KEYWORDS = frozenset(
    {
        "and", "as", "boolean", "byref", "byte", "byval", "call", "case", "const", "currency",
        "date", "debug", "dim", "do", "double", "each", "else", "elseif", "empty", "end",
        "enum", "eqv", "erase", "error", "event", "exit", "false", "for", "friend", "function",
        "get", "global", "gosub", "goto", "if", "imp", "implements", "in", "integer", "is",
        "let", "lib", "like", "long", "loop", "lset", "me", "mod", "new", "next", "not",
        "nothing", "null", "on", "option", "optional", "or", "paramarray", "preserve",
        "private", "property", "public", "raiseevent", "redim", "rem", "resume", "return",
        "rset", "select", "set", "single", "static", "step", "stop", "string", "sub", "then",
        "to", "true", "type", "typeof", "until", "variant", "wend", "while", "with", "xor",
        "caller",
    }
)  # fmt: skip
CELL_REFERENCE = re.compile(r"^[A-Za-z]{1,3}[0-9]+$")
IDS = [spec.name for spec in SPECS]


def xlfunc(spec: UdfSpec) -> dict:
    return getattr(udfs, spec.name).__xlfunc__


def test_classic_decorators_are_active():
    """The pywin32 stub is in place, so these tests check real Windows metadata."""
    assert "xlwings.udfs" in sys.modules
    assert hasattr(udfs.HX_TAX, "__xlfunc__")


def test_every_hx_function_is_in_the_contract():
    """No registered UDF is missing from the contract list, and none is unregistered."""
    registered = {
        name
        for name, value in vars(udfs).items()
        if isinstance(value, types.FunctionType) and hasattr(value, "__xlfunc__")
    }
    public = {name for name in vars(udfs) if name.startswith("HX_")}
    assert registered == public
    assert registered == {spec.name for spec in SPECS}


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_signature_matches_the_contract(spec):
    """Argument names and order, defaults, and no keyword-only or *args parameters."""
    func = getattr(udfs, spec.name)
    params = list(inspect.signature(func).parameters.values())
    assert tuple(p.name for p in params) == spec.args
    for p in params:
        assert p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        if p.name in spec.defaults:
            assert p.default == spec.defaults[p.name]
        else:
            assert p.default is inspect.Parameter.empty
    meta = xlfunc(spec)
    assert [a["name"] for a in meta["args"]] == list(spec.args)
    for arg in meta["args"]:
        if arg["name"] in spec.defaults:
            assert arg["optional"] == spec.defaults[arg["name"]]
        else:
            assert "optional" not in arg
        assert arg["vararg"] is False
        assert arg["vba"] is None


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_category_and_flags(spec):
    """Category harvest-xl (so xw.func is outermost), not volatile, callable in the wizard."""
    meta = xlfunc(spec)
    assert meta["name"] == spec.name
    assert meta["sub"] is False
    assert meta["category"] == "harvest-xl"
    assert meta["volatile"] is False
    assert meta["call_in_wizard"] is True
    assert meta["async_mode"] is None


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_converter_options(spec):
    """Ranges arrive 2-D, dates as dates, error cells as their text; no legacy expand."""
    meta = xlfunc(spec)
    for arg in meta["args"]:
        options = arg["options"]
        assert options.get("err_to_str") is True, arg["name"]
        assert "convert" not in options, arg["name"]  # no annotation-driven converters
        if arg["name"] in spec.ranges:
            assert options.get("ndim") == 2, arg["name"]
        else:
            assert "ndim" not in options, arg["name"]
        if arg["name"] in spec.dates or arg["name"] in spec.ranges:
            assert options.get("dates") is date, arg["name"]
        else:
            assert "dates" not in options, arg["name"]
    assert "expand" not in meta["ret"]["options"]
    assert meta["ret"]["options"] == {}


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_names_are_safe_in_excel_and_vba(spec):
    """Function and argument names are VBA identifiers, not keywords or cell addresses."""
    assert spec.name.startswith("HX_")
    assert not CELL_REFERENCE.match(spec.name)
    for name in (spec.name, *spec.args):
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name), name
        assert name.lower() not in VBA_KEYWORDS, name
        assert not CELL_REFERENCE.match(name), name


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_help_text(spec):
    """One-line description and a written doc per argument, each at most 255 characters."""
    meta = xlfunc(spec)
    description = meta["ret"]["doc"]
    assert description == getattr(udfs, spec.name).__doc__
    assert "\n" not in description
    assert 20 <= len(description) <= 255
    assert description.endswith(".")
    for arg in meta["args"]:
        doc = arg["doc"]
        assert not doc.startswith("Positional argument"), arg["name"]
        assert 5 <= len(doc) <= 255, arg["name"]
        assert "\n" not in doc
        assert doc.endswith((".", ")")), arg["name"]
        if arg["name"] in spec.defaults:
            assert doc.startswith("Optional") or "optional" in doc, arg["name"]


def test_module_has_no_future_annotations_trap():
    """UDFs carry no annotations, so get_type_hints on Windows cannot fail (§2.4 item 2)."""
    for spec in SPECS:
        assert getattr(udfs, spec.name).__annotations__ == {}
