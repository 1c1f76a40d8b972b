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
from harvest_xl.engine.holding import anniversary, holding_term
from harvest_xl.engine.models import AccountType, Term
from harvest_xl.engine.money import usd
from harvest_xl.engine.names import fold
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
            found = _REPORTING_SYNONYMS.get(fold(value))
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


def resolve_reporting(account_reporting: BasisReporting, covered: bool) -> BasisReporting:
    """The account's reporting for one lot: ``BY_DATE`` becomes covered or not reported by
    whether the lot is a covered security (:func:`is_covered_security`).

    Authority: IRC §6045(g)(3); Instructions for Form 8949, "Box A" and "Box B".
    """
    if account_reporting is not BasisReporting.BY_DATE:
        return account_reporting
    return BasisReporting.COVERED if covered else BasisReporting.NOT_REPORTED


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
    (:data:`FORM_8949_HEADERS`); the rest explain the row, and ``block`` is its source.

    ``part``/``box`` are None only when the basis is unknown (the term is unknown too);
    ``cost_basis`` and ``gain_or_loss`` are None exactly then. ``adjustment`` is None when
    ``code`` is empty. ``reported_basis`` is the basis a broker reports (cost paid plus
    same-account wash adjustments), ``correct_basis`` the basis of IRC §1012/§1091(d), both
    rounded as the row is. ``wash_disallowed`` is the W part of (g), ``basis_correction`` the
    B part (<= 0). ``term_on_1099`` is the type of gain the broker reports on a box A/D row
    (None elsewhere, or when it cannot be told: see :class:`IssueKind`).
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
    term_on_1099: Term | None
    reported_basis: Decimal | None
    correct_basis: Decimal | None
    wash_disallowed: Decimal
    basis_correction: Decimal
    provisional: bool
    notes: tuple[str, ...]
    block: RealizedBlock

    def sheet_values(self) -> tuple[object, ...]:
        """The eleven values under :data:`FORM_8949_HEADERS`, typed (the adapter formats)."""
        return tuple(self[: len(FORM_8949_HEADERS)])

    @property
    def term(self) -> Term | None:
        """The term of the row's part (None when the basis is unknown)."""
        if self.part is None:
            return None
        return Term.SHORT if self.part is Part.SHORT_TERM else Term.LONG

    @property
    def ticker(self) -> str:
        return self.block.ticker

    @property
    def shares(self) -> Decimal:
        return self.block.shares

    @property
    def acquired(self) -> date | None:
        """The trade date of the purchase (what a broker that saw no wash sale reports)."""
        return self.block.acquired

    @property
    def lost_for_good(self) -> Decimal:
        return self.block.lost_for_good

    @property
    def relief(self) -> LotRelief:
        return self.block.relief

    @property
    def sale_row(self) -> int | None:
        return self.block.sale_row


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
    wash = b.wash_adjustment
    disallowed = b.disallowed
    basis_paid = b.basis_paid
    if b.shares <= ZERO:
        return "shares must be positive"
    if min(b.proceeds, wash, disallowed, b.lost_for_good) < ZERO:
        return "amounts must not be negative"
    if not ZERO <= b.wash_adjustment_same_account <= wash:
        return "the same-account wash adjustment must be part of the wash adjustment"
    if b.lost_for_good > disallowed:
        return "the loss lost for good must be part of the disallowed loss"
    if basis_paid is None:
        if wash or disallowed:
            return "a block of unknown basis cannot carry or disallow a wash-sale loss"
        return None
    if basis_paid < ZERO:
        return "amounts must not be negative"
    start, acquired = b.holding_start, b.acquired
    if acquired is None or start is None:
        return "a block of known basis needs its acquisition and holding-start dates"
    if not start <= acquired <= b.sold:
        return "dates must run holding start <= acquired <= sold"
    if disallowed and disallowed > basis_paid + wash - b.proceeds:
        return "the disallowed loss is more than the loss"
    return None


class _Placement(NamedTuple):
    """Where the rows of one account (and one side of the covered date) go: its reporting,
    and the box and the list of rows of each part. Found once per account, not per row."""

    reporting: BasisReporting
    covered: bool
    """Whether the broker reports this lot's basis to the IRS (box A/D)."""
    short_box: Box
    short_rows: list[Form8949Row]
    long_box: Box
    long_rows: list[Form8949Row]


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

    One pass over the blocks; each distinct account, share description and holding-start
    date is worked out once.

    Authority: IRC §1091(a), (d); §1223(3); §1222; Rev. Rul. 2008-5; Instructions for
    Form 8949 (2025), columns (a)-(h), codes B, T and W; tax-rules.md §4.1.

    Raises:
        HarvestInputError: a block breaks the ledger's contract (:func:`check_block`).
    """
    reporting = reporting or {}
    funds = frozenset(fund_tickers)
    unit = DOLLAR if whole_dollars else CENT
    last_final_sale = activity_through - _WASH_WINDOW
    rows_by_box: dict[Box, list[Form8949Row]] = {box: [] for box in Box}
    unknown_rows: list[Form8949Row] = []
    issues: list[RowIssue] = []
    placements: dict[tuple[str, bool], _Placement] = {}
    shares_texts: dict[Decimal, str] = {}
    last_days: dict[date, date] = {}  # holding start -> last day of its first year
    for block in blocks:
        if block.sold.year != year or block.account_type is not _TAXABLE:
            continue
        check_block(block)
        if block.spouse and not joint_return:
            issues.append(_issue(block, IssueKind.SPOUSE_NOT_ON_RETURN, _SPOUSE_MESSAGE))
            continue
        shares = shares_texts.get(block.shares)
        if shares is None:
            shares = shares_texts[block.shares] = _shares_text(block.shares)
        description = f"{shares} sh {block.ticker}"  # column (a), e.g. "100 sh XYZ"
        start = block.holding_start
        if block.basis_paid is None or start is None:
            unknown_rows.append(_unknown_basis_row(block, description, unit))
            issues.append(_issue(block, IssueKind.BASIS_UNKNOWN, _UNKNOWN_MESSAGE))
            continue
        acquired = block.acquired
        covered = acquired is not None and is_covered_security(acquired, block.ticker in funds)
        place = placements.get((block.account, covered))
        if place is None:
            place = placements[(block.account, covered)] = _placement(
                reporting.get(block.account, BasisReporting.BY_DATE), covered, rows_by_box
            )
        last_day = last_days.get(start)
        if last_day is None:
            last_day = last_days[start] = anniversary(start)
        long_term = block.sold > last_day  # holding_term, one anniversary per start date
        on_1099: Term | None
        if start == acquired or block.wash_adjustment == block.wash_adjustment_same_account:
            on_1099 = _LONG if long_term else _SHORT  # the broker tacks what we tack
        else:
            on_1099 = _term_on_1099(block, long_term)
        row = _known_basis_row(block, description, place, long_term, on_1099, unit, last_final_sale)
        (place.long_rows if long_term else place.short_rows).append(row)
        if row.provisional:
            issues.append(_issue(block, IssueKind.PROVISIONAL, _provisional_message(block)))
        if on_1099 is None and place.covered:
            issues.append(_issue(block, IssueKind.TERM_ON_1099_UNCERTAIN, _MIXED_MESSAGE))
    rows = [row for box in Box for row in rows_by_box[box]]
    rows.extend(unknown_rows)
    return Form8949Result(year, tuple(rows), tuple(issues))


_TAXABLE = AccountType.TAXABLE
_PART_I = Part.SHORT_TERM
_PART_II = Part.LONG_TERM
_NAMED = LotRelief.NAMED
_LONG = Term.LONG
_SHORT = Term.SHORT
_SPOUSE_MESSAGE = "a sale in the spouse's account belongs on the spouse's separate return"
_UNKNOWN_MESSAGE = (
    "basis unknown: name the lot sold (acquired date and cost) or add its purchase; "
    "the row is left out of Schedule D's totals"
)
_MIXED_MESSAGE = (
    "the holding period tacks washed lots of this and of another account: check the type of "
    "gain on the 1099-B and add code T if it differs from this row's part"
)


def _placement(
    account_reporting: BasisReporting, covered: bool, rows_by_box: dict[Box, list[Form8949Row]]
) -> _Placement:
    """The reporting and boxes of an account's lots on one side of the covered date."""
    resolved = resolve_reporting(account_reporting, covered)
    short_box = form8949_box(Part.SHORT_TERM, resolved)
    long_box = form8949_box(Part.LONG_TERM, resolved)
    return _Placement(
        reporting=resolved,
        covered=resolved is BasisReporting.COVERED,
        short_box=short_box,
        short_rows=rows_by_box[short_box],
        long_box=long_box,
        long_rows=rows_by_box[long_box],
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


def _term_on_1099(b: RealizedBlock, long_term: bool) -> Term | None:
    """The type of gain a broker reports when the holding period tacks a washed lot of
    another account: it tacks only the same account's, so it judges from the purchase date
    when nothing came from this account; None when both kinds were tacked and the two
    readings differ (the broker's count cannot be known).

    Authority: Instructions for Form 1099-DA (2026), box 6 (the broker applies §1223(3) to
    the wash sales it reports); Reg. §1.6045-1(d)(6)(iii); realized-year.md §1.7.
    """
    assert b.acquired is not None
    untacked_long = holding_term(b.acquired, b.sold) is _LONG
    if b.wash_adjustment_same_account == 0 or untacked_long == long_term:
        return _LONG if untacked_long else _SHORT
    return None


def _known_basis_row(
    b: RealizedBlock,
    description: str,
    place: _Placement,
    long_term: bool,
    on_1099: Term | None,
    unit: Decimal,
    last_final_sale: date,
) -> Form8949Row:
    """Columns (a)-(h) of a block of known basis (see the module docstring's conventions)."""
    basis_paid = b.basis_paid
    assert basis_paid is not None
    carried = b.wash_adjustment
    disallowed = b.disallowed
    covered = place.covered
    proceeds = b.proceeds.quantize(unit, ROUND_HALF_UP)
    term = _LONG if long_term else _SHORT
    if not covered:
        on_1099 = None
    if not carried and not disallowed:  # most sales: no wash sale before, none now
        cost_basis = correct_e = reported_e = basis_paid.quantize(unit, ROUND_HALF_UP)
        code, adjustment, wash, correction = "", None, ZERO, ZERO
        gain_or_loss = proceeds - cost_basis
        provisional = b.proceeds < basis_paid and b.sold > last_final_sale
    else:
        correct = basis_paid + carried
        correct_e = correct.quantize(unit, ROUND_HALF_UP)
        if carried == b.wash_adjustment_same_account:
            reported_e = correct_e
        else:
            reported = basis_paid + b.wash_adjustment_same_account
            reported_e = reported.quantize(unit, ROUND_HALF_UP)
        # Box A/D: the broker's basis in (e), the carried adjustment it missed as code B.
        cost_basis = reported_e if covered else correct_e
        correction = reported_e - correct_e if covered else ZERO
        exact_result = b.proceeds - correct + disallowed  # column (h) before rounding
        if not disallowed:
            wash = ZERO
        elif exact_result == ZERO:  # a full wash: (h) is 0 from the rounded figures (§4 item 6)
            wash = correct_e - proceeds
        else:
            wash = disallowed.quantize(unit, ROUND_HALF_UP)
        term_differs = on_1099 is not None and on_1099 is not term
        code = form8949_codes(correction != ZERO, term_differs, wash != ZERO)
        adjustment = correction + wash if code else None
        gain_or_loss = proceeds - cost_basis + (adjustment or ZERO)
        provisional = exact_result < ZERO and b.sold > last_final_sale
    notes = _NO_NOTES
    if code or provisional or carried or b.spouse or b.relief is not _NAMED:
        notes = _notes(b, place.reporting, term, on_1099, correct_e, provisional)
    return Form8949Row(
        part=_PART_II if long_term else _PART_I,
        box=place.long_box if long_term else place.short_box,
        description=description,
        date_acquired=b.holding_start,
        date_sold=b.sold,
        proceeds=proceeds,
        cost_basis=cost_basis,
        code=code,
        adjustment=adjustment,
        gain_or_loss=gain_or_loss,
        account=b.account,
        term_on_1099=on_1099,
        reported_basis=reported_e,
        correct_basis=correct_e,
        wash_disallowed=wash,
        basis_correction=correction,
        provisional=provisional,
        notes=notes,
        block=b,
    )


_NO_NOTES: tuple[str, ...] = ()


def _notes(
    b: RealizedBlock,
    lot_reporting: BasisReporting,
    term: Term,
    on_1099: Term | None,
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
            notes.append(f"code B: the broker's basis misses {usd(missed)} of wash-sale loss")
        if on_1099 is not None and on_1099 is not term:
            notes.append("code T: the holding period includes a washed lot's (IRC §1223(3))")
        return tuple(notes)
    if b.wash_adjustment:
        notes.append(
            f"attach an explanation: basis {usd(correct_e)} includes "
            f"{usd(b.wash_adjustment)} of wash-sale loss (IRC §1091(d))"
        )
    if lot_reporting is BasisReporting.NOT_REPORTED:
        if missed:
            notes.append("if the 1099-B shows a basis for this lot, add code B with 0 in (g)")
        assert b.acquired is not None
        if (holding_term(b.acquired, b.sold) is not term) and missed:
            other = Term.SHORT if term is Term.LONG else Term.LONG
            notes.append(f"if the 1099-B shows {other.value.lower()}, add code T (0 in (g))")
    return tuple(notes)


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
        term_on_1099=None,
        reported_basis=None,
        correct_basis=None,
        wash_disallowed=ZERO,
        basis_correction=ZERO,
        provisional=False,
        notes=tuple(notes),
        block=b,
    )
