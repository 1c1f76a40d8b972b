"""Form 8949 rows, one per realized block of a sale in a taxable account in the tax year.

Input: the blocks of the share-by-share ledger (:class:`RealizedBlock`, one basis and one
holding period each) and, per account, whether its broker reports the basis to the IRS.
Output: the form's columns (a)-(h), its part and box, and notes the user needs (basis unknown,
lot relieved FIFO, a loss lost for good in an IRA, a row still provisional).

Conventions (product decisions, each from realized-year.md):
- Column (b) is the holding-start date: the purchase's trade date moved back by the days of
  every washed lot tacked onto the shares (the ``add_days`` convention, §1.6). One block has
  one holding period, so "VARIOUS" is never written.
- Box A/D column (e) is what the broker reports: the cost paid plus only the wash-sale
  adjustments of loss sales in the same account (which the broker applies itself); the rest
  of the adjustment is code B, negative, in (g). Boxes B/E and C/F carry the correct basis.
- Code T only on box A/D rows, where the 1099-B states the type of gain; for B/E the row
  notes what to add if the 1099-B shows a term.
- Amounts are rounded (half up, to cents or whole dollars) on (d) and both bases first; a
  fully washed loss's (g) is then (e) - (d) so that (h) is exactly 0 (§4 item 6), and
  (h) = (d) - (e) + (g) from the rounded figures on every row.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.holding import holding_term
from harvest_xl.engine.models import AccountType, Term, _normalise
from harvest_xl.engine.params import penalty_parameter
from harvest_xl.engine.realized_block import LotRelief, RealizedBlock

ZERO = Decimal(0)
CENT = Decimal("0.01")
DOLLAR = Decimal(1)

FORM_8949_HEADERS: tuple[str, ...] = (
    "Part",
    "Box",
    "Description",
    "Date acquired",
    "Date sold",
    "Proceeds",
    "Cost basis",
    "Code",
    "Adjustment",
    "Gain or loss",
    "Account",
)
"""The header row of the ``Form 8949`` sheet and of the CSV export (public names: never rename,
only add). They are the first fields of :class:`Form8949Row`, in this order."""

NOTE_BASIS_UNKNOWN = "basis unknown"
NOTE_FIFO = "lot relieved FIFO"
NOTE_LOST_FOR_GOOD = "replacement in an IRA: lost for good"
NOTE_SPOUSE = "spouse's account (joint return)"


class Part(enum.Enum):
    """Form 8949 part: I short-term, II long-term. Authority: Form 8949; IRC §1222."""

    SHORT_TERM = "I"
    LONG_TERM = "II"


class Box(enum.Enum):
    """Form 8949 check box (A-C in Part I, D-F in Part II). Authority: Form 8949 (2025)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class BasisReporting(enum.Enum):
    """What an account's broker reports for its sales: an input per account.

    Authority: Instructions for Form 8949 (2025), "Box A", "Box B", "Box C" and column (e).
    """

    BY_DATE = "1099-B"
    """A 1099-B that reports the basis of covered lots (the default): a lot acquired on or
    after the covered-security date is box A/D, an older one box B/E."""
    COVERED = "covered"
    """A 1099-B that reports every lot's basis to the IRS: box A/D."""
    NOT_REPORTED = "not reported"
    """A 1099-B whose basis is not reported to the IRS: box B/E."""
    NO_1099B = "no 1099-B"
    """No Form 1099-B at all: box C/F."""

    @classmethod
    def parse(cls, value: object, argument: str = "basis_reporting") -> BasisReporting:
        if isinstance(value, BasisReporting):
            return value
        if isinstance(value, str):
            found = _REPORTING_SYNONYMS.get(_normalise(value))
            if found is not None:
                return found
        choices = ", ".join(r.value for r in cls)
        raise HarvestInputError(argument, f"{value!r} is not one of {choices}")


_REPORTING_SYNONYMS: dict[str, BasisReporting] = {
    "1099 b": BasisReporting.BY_DATE,
    "by date": BasisReporting.BY_DATE,
    "default": BasisReporting.BY_DATE,
    "covered": BasisReporting.COVERED,
    "basis reported": BasisReporting.COVERED,
    "reported": BasisReporting.COVERED,
    "not reported": BasisReporting.NOT_REPORTED,
    "noncovered": BasisReporting.NOT_REPORTED,
    "non covered": BasisReporting.NOT_REPORTED,
    "basis not reported": BasisReporting.NOT_REPORTED,
    "no 1099 b": BasisReporting.NO_1099B,
    "no 1099b": BasisReporting.NO_1099B,
    "none": BasisReporting.NO_1099B,
}

_BOXES: dict[tuple[Part, BasisReporting], Box] = {
    (Part.SHORT_TERM, BasisReporting.COVERED): Box.A,
    (Part.SHORT_TERM, BasisReporting.NOT_REPORTED): Box.B,
    (Part.SHORT_TERM, BasisReporting.NO_1099B): Box.C,
    (Part.LONG_TERM, BasisReporting.COVERED): Box.D,
    (Part.LONG_TERM, BasisReporting.NOT_REPORTED): Box.E,
    (Part.LONG_TERM, BasisReporting.NO_1099B): Box.F,
}
_PARTS = {Term.SHORT: Part.SHORT_TERM, Term.LONG: Part.LONG_TERM}
_COVERED_STOCK_FROM = date.fromisoformat(penalty_parameter("covered_stock_first_acquisition_date"))
_COVERED_FUND_FROM = date.fromisoformat(penalty_parameter("covered_fund_first_acquisition_date"))
_WASH_WINDOW = timedelta(days=int(penalty_parameter("wash_sale_window_days_before_after")))


def is_covered_security(acquired: date, fund: bool = False) -> bool:
    """Whether a lot is a covered security, whose basis a broker must report to the IRS.

    ``fund``: regulated investment company (mutual fund) shares or shares bought through a
    dividend reinvestment plan, covered one year later than other stock.

    Authority: IRC §6045(g)(3)(C); Reg. §1.6045-1(a)(15); Instructions for Form 8949,
    column (e).
    """
    return acquired >= (_COVERED_FUND_FROM if fund else _COVERED_STOCK_FROM)


def lot_basis_reporting(
    account_reporting: BasisReporting, acquired: date | None, fund: bool = False
) -> BasisReporting:
    """The account's reporting resolved for one lot: ``BY_DATE`` becomes covered or not.

    A lot of unknown acquisition date under ``BY_DATE`` is taken as not reported.

    Authority: IRC §6045(g)(3); Instructions for Form 8949, "Box A" and "Box B".
    """
    if account_reporting is not BasisReporting.BY_DATE:
        return account_reporting
    if acquired is not None and is_covered_security(acquired, fund):
        return BasisReporting.COVERED
    return BasisReporting.NOT_REPORTED


def form8949_box(part: Part, reporting: BasisReporting) -> Box:
    """The check box of a row: A/B/C in Part I, D/E/F in Part II.

    Authority: Form 8949 (2025), Part I and Part II check boxes; Instructions, "Line 1".
    """
    if reporting is BasisReporting.BY_DATE:
        raise HarvestInputError("basis_reporting", "resolve BY_DATE per lot first")
    return _BOXES[(part, reporting)]


def form8949_codes(basis_correction: bool, term_correction: bool, wash: bool) -> str:
    """Column (f): the codes that apply, in alphabetical order, without separators.

    Authority: Instructions for Form 8949, column (f) ("enter all of them in alphabetical
    order with no space or comma"); codes B, T and W in the table of columns (f) and (g).
    """
    return (
        ("B" if basis_correction else "") + ("T" if term_correction else "") + ("W" if wash else "")
    )


class IssueKind(enum.Enum):
    """Why a row needs the user's attention."""

    BASIS_UNKNOWN = "basis unknown"
    PROVISIONAL = "provisional"
    SPOUSE_NOT_ON_RETURN = "spouse not on this return"
    TERM_ON_1099_UNCERTAIN = "term on the 1099-B uncertain"


class RowIssue(NamedTuple):
    """A problem of one sale, for the adapter's sheet/row/column report."""

    sale_row: int | None
    account: str
    ticker: str
    date_sold: date
    kind: IssueKind
    message: str


class Form8949Row(NamedTuple):
    """One Form 8949 row. The first eleven fields are the sheet's columns
    (:data:`FORM_8949_HEADERS`); the rest explain the row.

    ``part``/``box`` are None only when the basis is unknown (the term is unknown too);
    ``cost_basis`` and ``gain_or_loss`` are None exactly then. ``adjustment`` is None when
    ``code`` is empty. ``reported_basis`` is the basis a broker reports (cost paid plus
    same-account wash adjustments), ``correct_basis`` the basis of IRC §1012/§1091(d).
    ``wash_disallowed`` is the W part of (g), ``basis_correction`` the B part (<= 0).
    ``term_on_1099`` is the type of gain the broker reports (None when no 1099-B states one).
    """

    part: Part | None
    box: Box | None
    description: str
    date_acquired: date | None
    date_sold: date
    proceeds: Decimal
    cost_basis: Decimal | None
    code: str
    adjustment: Decimal | None
    gain_or_loss: Decimal | None
    account: str
    ticker: str
    shares: Decimal
    acquired: date | None
    term: Term | None
    term_on_1099: Term | None
    reported_basis: Decimal | None
    correct_basis: Decimal | None
    wash_disallowed: Decimal
    basis_correction: Decimal
    lost_for_good: Decimal
    provisional: bool
    relief: LotRelief
    sale_row: int | None
    notes: tuple[str, ...]

    def sheet_values(self) -> tuple[object, ...]:
        """The eleven values under :data:`FORM_8949_HEADERS`, typed (the adapter formats)."""
        return tuple(self[: len(FORM_8949_HEADERS)])


@dataclass(frozen=True, slots=True)
class Form8949Result:
    """The rows of a tax year (Part I then Part II, by box, in the blocks' order within a
    box; unknown-term rows last) and the issues the user must see."""

    year: int
    rows: tuple[Form8949Row, ...]
    issues: tuple[RowIssue, ...]


def check_block(block: RealizedBlock) -> None:
    """Reject a block that breaks the ledger's contract (a bug upstream, not user input).

    Raises:
        HarvestInputError: argument ``blocks``, naming the sale row.
    """
    problem = _block_problem(block)
    if problem is not None:
        where = "a block" if block.sale_row is None else f"the block of sale row {block.sale_row}"
        raise HarvestInputError("blocks", f"{where}: {problem}")


def _block_problem(b: RealizedBlock) -> str | None:
    if b.shares <= 0:
        return "shares must be positive"
    if b.proceeds < 0 or b.wash_adjustment < 0 or b.disallowed < 0 or b.lost_for_good < 0:
        return "amounts must not be negative"
    if not ZERO <= b.wash_adjustment_same_account <= b.wash_adjustment:
        return "the same-account wash adjustment must be part of the wash adjustment"
    if b.lost_for_good > b.disallowed:
        return "the loss lost for good must be part of the disallowed loss"
    if b.basis_paid is None:
        if b.wash_adjustment or b.disallowed:
            return "a block of unknown basis cannot carry or disallow a wash-sale loss"
        return None
    if b.basis_paid < 0:
        return "amounts must not be negative"
    if b.acquired is None or b.holding_start is None:
        return "a block of known basis needs its acquisition and holding-start dates"
    if not b.holding_start <= b.acquired <= b.sold:
        return "dates must run holding start <= acquired <= sold"
    if b.disallowed and b.disallowed > b.basis_paid + b.wash_adjustment - b.proceeds:
        return "the disallowed loss is more than the loss"
    return None


def form8949_rows(
    blocks: Iterable[RealizedBlock],
    year: int,
    *,
    activity_through: date,
    reporting: Mapping[str, BasisReporting] | None = None,
    fund_tickers: Collection[str] = (),
    joint_return: bool = True,
    whole_dollars: bool = False,
) -> Form8949Result:
    """The Form 8949 rows of ``year`` from the realized blocks of the ledger.

    Only blocks sold in ``year`` in a taxable account give rows (sales inside retirement
    accounts and HSAs have no tax effect). ``activity_through`` is the last date the
    Activity covers: a loss sold fewer than 31 days before it may still be washed by a
    purchase the Activity does not show, so its row is marked provisional. ``reporting``
    maps an account name to its :class:`BasisReporting` (absent: ``BY_DATE``);
    ``fund_tickers`` are mutual funds or DRIP shares (covered from the later date).
    A spouse's sales are rows on a joint return and an issue otherwise.

    Authority: IRC §1091(a), (d); §1223(3); §1222; Rev. Rul. 2008-5; Instructions for
    Form 8949 (2025), columns (a)-(h), codes B, T and W; tax-rules.md §4.1.
    """
    reporting = reporting or {}
    funds = frozenset(fund_tickers)
    unit = DOLLAR if whole_dollars else CENT
    last_final_sale = activity_through - _WASH_WINDOW
    boxed: dict[Box | None, list[Form8949Row]] = {box: [] for box in Box}
    boxed[None] = []
    issues: list[RowIssue] = []
    descriptions: dict[tuple[Decimal, str], str] = {}
    for block in blocks:
        if block.sold.year != year or block.account_type is not AccountType.TAXABLE:
            continue
        check_block(block)
        if block.spouse and not joint_return:
            issues.append(_issue(block, IssueKind.SPOUSE_NOT_ON_RETURN, _SPOUSE_MESSAGE))
            continue
        key = (block.shares, block.ticker)
        description = descriptions.get(key)
        if description is None:
            description = descriptions[key] = f"{_shares_text(block.shares)} sh {block.ticker}"
        account_reporting = reporting.get(block.account, BasisReporting.BY_DATE)
        lot_reporting = lot_basis_reporting(
            account_reporting, block.acquired, block.ticker in funds
        )
        if block.basis_paid is None:
            row = _unknown_basis_row(block, description, unit)
            issues.append(_issue(block, IssueKind.BASIS_UNKNOWN, _UNKNOWN_MESSAGE))
        else:
            row = _known_basis_row(block, description, lot_reporting, unit, last_final_sale)
            if row.provisional:
                issues.append(_issue(block, IssueKind.PROVISIONAL, _provisional_message(block)))
            if row.term_on_1099 is None and lot_reporting is BasisReporting.COVERED:
                issues.append(_issue(block, IssueKind.TERM_ON_1099_UNCERTAIN, _MIXED_MESSAGE))
        boxed[row.box].append(row)
    rows = tuple(row for box in (*Box, None) for row in boxed[box])
    return Form8949Result(year, rows, tuple(issues))


_SPOUSE_MESSAGE = "a sale in the spouse's account belongs on the spouse's separate return"
_UNKNOWN_MESSAGE = (
    "basis unknown: name the lot sold (acquired date and cost) or add its purchase; "
    "the row is left out of Schedule D's totals"
)
_MIXED_MESSAGE = (
    "the holding period tacks washed lots of this and of another account: check the type of "
    "gain on the 1099-B and add code T if it differs from this row's part"
)


def _issue(block: RealizedBlock, kind: IssueKind, message: str) -> RowIssue:
    return RowIssue(
        sale_row=block.sale_row,
        account=block.account,
        ticker=block.ticker,
        date_sold=block.sold,
        kind=kind,
        message=message,
    )


def _provisional_message(block: RealizedBlock) -> str:
    closes = block.sold + _WASH_WINDOW
    return (
        f"provisional: a purchase up to {closes.isoformat()} can still wash this loss, and "
        "Activity ends before then (IRC §1091(a))"
    )


def _shares_text(shares: Decimal) -> str:
    return format(shares.normalize(), "f")


def _known_basis_row(
    b: RealizedBlock,
    description: str,
    lot_reporting: BasisReporting,
    unit: Decimal,
    last_final_sale: date,
) -> Form8949Row:
    """Columns (a)-(h) of a block of known basis (see the module docstring's conventions)."""
    assert b.basis_paid is not None and b.acquired is not None and b.holding_start is not None
    term = holding_term(b.holding_start, b.sold)
    part = _PARTS[term]
    box = form8949_box(part, lot_reporting)
    correct = b.basis_paid + b.wash_adjustment
    reported = b.basis_paid + b.wash_adjustment_same_account
    proceeds = b.proceeds.quantize(unit, ROUND_HALF_UP)
    correct_e = correct.quantize(unit, ROUND_HALF_UP)
    reported_e = correct_e if reported == correct else reported.quantize(unit, ROUND_HALF_UP)
    covered = lot_reporting is BasisReporting.COVERED
    # Box A/D: the broker's basis in (e), the carried adjustment it missed as code B.
    cost_basis = reported_e if covered else correct_e
    correction = reported_e - correct_e if covered else ZERO
    # Code W: a full wash gives (h) = 0 exactly from the rounded figures (§4 item 6).
    if not b.disallowed:
        wash = ZERO
    elif b.proceeds - correct + b.disallowed == 0:
        wash = correct_e - proceeds
    else:
        wash = b.disallowed.quantize(unit, ROUND_HALF_UP)
    term_on_1099 = _term_on_1099(b, term) if lot_reporting is not BasisReporting.NO_1099B else None
    tacked_term = covered and term_on_1099 is not None and term_on_1099 is not term
    code = form8949_codes(correction != 0, tacked_term, wash != 0)
    adjustment = correction + wash if code else None
    gain_or_loss = proceeds - cost_basis + (adjustment or ZERO)
    provisional = b.sold > last_final_sale and b.proceeds - correct + b.disallowed < 0
    notes = _notes(b, lot_reporting, term, term_on_1099, correct_e, provisional)
    return Form8949Row(
        part=part,
        box=box,
        description=description,
        date_acquired=b.holding_start,
        date_sold=b.sold,
        proceeds=proceeds,
        cost_basis=cost_basis,
        code=code,
        adjustment=adjustment,
        gain_or_loss=gain_or_loss,
        account=b.account,
        ticker=b.ticker,
        shares=b.shares,
        acquired=b.acquired,
        term=term,
        term_on_1099=term_on_1099 if covered else None,
        reported_basis=reported_e,
        correct_basis=correct_e,
        wash_disallowed=wash,
        basis_correction=correction,
        lost_for_good=b.lost_for_good,
        provisional=provisional,
        relief=b.relief,
        sale_row=b.sale_row,
        notes=notes,
    )


def _term_on_1099(b: RealizedBlock, term: Term) -> Term | None:
    """The type of gain a broker reports: it tacks only washed lots of the same account.

    None when the holding period tacks lots of both kinds and the two readings differ.

    Authority: Instructions for Form 1099-DA (2026), box 6 (the broker applies §1223(3) to
    wash sales it reports); Reg. §1.6045-1(d)(6)(iii); realized-year.md §1.7.
    """
    if b.wash_adjustment == b.wash_adjustment_same_account or b.acquired == b.holding_start:
        return term
    assert b.acquired is not None
    untacked = holding_term(b.acquired, b.sold)
    if b.wash_adjustment_same_account == 0 or untacked is term:
        return untacked
    return None


def _notes(
    b: RealizedBlock,
    lot_reporting: BasisReporting,
    term: Term,
    term_on_1099: Term | None,
    correct_e: Decimal,
    provisional: bool,
) -> tuple[str, ...]:
    notes: list[str] = []
    if b.relief is LotRelief.FIFO:
        notes.append(NOTE_FIFO)
    if b.lost_for_good:
        notes.append(NOTE_LOST_FOR_GOOD)
    if b.spouse:
        notes.append(NOTE_SPOUSE)
    if provisional:
        notes.append("provisional: Activity ends inside this loss's wash-sale window")
    missed = b.wash_adjustment - b.wash_adjustment_same_account
    if lot_reporting is BasisReporting.COVERED:
        if missed:
            notes.append(f"code B: the broker's basis misses {_money(missed)} of wash-sale loss")
        if term_on_1099 is not None and term_on_1099 is not term:
            notes.append("code T: the holding period includes a washed lot's (IRC §1223(3))")
        return tuple(notes)
    if b.wash_adjustment:
        notes.append(
            f"attach an explanation: basis {_money(correct_e)} includes "
            f"{_money(b.wash_adjustment)} of wash-sale loss (IRC §1091(d))"
        )
    if lot_reporting is BasisReporting.NOT_REPORTED:
        if missed:
            notes.append("if the 1099-B shows a basis for this lot, add code B with 0 in (g)")
        if term_on_1099 is not term:
            other = Term.SHORT if term is Term.LONG else Term.LONG
            notes.append(f"if the 1099-B shows {other.value.lower()}, add code T (0 in (g))")
    return tuple(notes)


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _unknown_basis_row(b: RealizedBlock, description: str, unit: Decimal) -> Form8949Row:
    """A sale whose basis is unknown: proceeds only, flagged, never a zero basis."""
    notes = [NOTE_BASIS_UNKNOWN]
    if b.spouse:
        notes.append(NOTE_SPOUSE)
    return Form8949Row(
        part=None,
        box=None,
        description=description,
        date_acquired=b.acquired,
        date_sold=b.sold,
        proceeds=b.proceeds.quantize(unit, ROUND_HALF_UP),
        cost_basis=None,
        code="",
        adjustment=None,
        gain_or_loss=None,
        account=b.account,
        ticker=b.ticker,
        shares=b.shares,
        acquired=b.acquired,
        term=None,
        term_on_1099=None,
        reported_basis=None,
        correct_basis=None,
        wash_disallowed=ZERO,
        basis_correction=ZERO,
        lost_for_good=ZERO,
        provisional=False,
        relief=b.relief,
        sale_row=b.sale_row,
        notes=tuple(notes),
    )
