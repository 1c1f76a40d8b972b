"""A naive, share-by-share reference for realized wash sales (tests only).

Written from the regulation, independently of ``harvest_xl.engine.ledger``: every share is
one object that knows its account, where it came from, its basis, its carried adjustment,
its holding start and whether it replaced a loss; every rule is applied to shares one at a
time by scanning lists, with no bisection, no skip pointers, no runs of shares. Whole
shares only (the generators in the tests draw whole shares); no splits.

The rules, as transcribed here (tax-rules.md §3; realized-year.md §1.6):

1. Rows are split by identical group: a ticker's group in the user's table, else the ticker
   alone (§3.3); groups are reported in the order of their keys ("group:NAME" or
   "ticker:SYMBOL").
2. Trade order: by date, then as the table lists the rows (``row``, else input position),
   then input position.
3. Every purchase's shares are numbered 0..n-1 in the order bought. Money by place: share k
   of a whole of n shares carrying T dollars carries cents(T(k+1)/n) - cents(Tk/n), half-up
   (a purchase's cost, a sale's proceeds or named basis, a loss over its block's shares).
4. A SELL or TRANSFER OUT naming its lot takes the held shares of its account and ticker
   acquired on the named date, by (arrival of their purchase or transfer, number); the rest
   were bought before the table (basis from the row, held from the named date). With no lot
   named it takes the held shares oldest first (acquired date, arrival, number); the rest
   are unknown (no basis). Reg. §1.1012-1(c)(1).
5. The shares of one sale, in the order taken, form blocks: consecutive shares from the same
   purchase carrying the same adjustment event. Gain or loss per block =
   proceeds - (basis + carried adjustment).
6. At the end of each day, the day's loss blocks in taxable accounts are taken in order of
   their original acquisition date (then as they were made), Reg. §1.1091-1(b). For each,
   the replacement candidates are shares of BUY rows the policy counts (taxable, IRA, and
   under "conservative" employer plans and HSAs), bought 30 days before to 30 days after
   the sale (§1091(a)), not from the loss block's own purchase, not already used (Reg.
   §1.1091-1(e)), and not sold or transferred out by the end of the day; earliest purchase
   first, then by number (Reg. §1.1091-1(c), (d)). The j-th candidate replaces the j-th
   share of the block and takes its share of the loss by place.
7. A taxable candidate takes that amount into its basis and a holding start of its
   purchase date minus the days the sold share was held (its holding start to the sale
   date): §1091(d), §1223(3), the add_days convention. Any other counted candidate loses it
   for good (Rev. Rul. 2008-5). Either way it is used.
8. A purchase the policy does not count (employer plan or HSA under "ignore") is reported
   next to each loss block whose window holds it, when shares of it are not sold by the end
   of the day and it is not the block's own purchase: min(those shares, block's shares).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from harvest_xl.engine.lots import Action, Activity, IdenticalGroups, Owner
from harvest_xl.engine.models import AccountType, WashSalePolicy

ZERO = Decimal(0)
WINDOW = timedelta(days=30)  # IRC §1091(a): 30 days before and after the sale
RETIREMENT_IRAS = {
    AccountType.TRADITIONAL_IRA,
    AccountType.ROTH_IRA,
    AccountType.SEP_IRA,
    AccountType.SIMPLE_IRA,
}


def cents(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def by_place(total: Decimal, count: int, k: int) -> Decimal:
    """Cents of share k (0-based) of ``count`` shares carrying ``total``."""
    n = Decimal(count)
    return cents(total * Decimal(k + 1) / n) - cents(total * Decimal(k) / n)


@dataclass(eq=False)
class Share:
    source: int  # trade position of the purchase or transfer in (within its group)
    number: int
    account: str
    account_type: AccountType
    ticker: str
    owner: Owner
    acquired: date
    holding_start: date
    basis: Decimal
    purchase: Activity | None  # None for a transfer in
    arrived: bool = False
    gone: bool = False
    used: bool = False
    adjustment: Decimal = ZERO
    event: int | None = None
    same_account: bool = False


@dataclass
class RefBlock:
    """A realized block: the fields of RealizedBlock, in its order."""

    sale_row: int | None
    account: str
    account_type: AccountType
    ticker: str
    shares: Decimal
    acquired: date | None
    holding_start: date | None
    sold: date
    proceeds: Decimal
    basis_paid: Decimal | None
    wash_adjustment: Decimal
    wash_adjustment_same_account: Decimal
    disallowed: Decimal
    lost_for_good: Decimal
    relief: str
    spouse: bool
    # not compared: the block's facts for matching
    source: int | None = None
    order: int = 0


@dataclass
class RefMatch:
    sale: Activity
    shares: Decimal
    disallowed: Decimal
    permanently_lost: bool
    purchase: Activity
    basis_increase: Decimal
    tacked: tuple[date, date, date, date] | None
    counted: bool


@dataclass
class RefHeld:
    account: str
    ticker: str
    shares: Decimal
    acquired: date
    holding_start: date
    basis_paid: Decimal
    wash_adjustment: Decimal
    replaced_a_loss: bool


@dataclass
class RefResult:
    matches: list[RefMatch] = field(default_factory=list)
    blocks: list[RefBlock] = field(default_factory=list)
    held: list[RefHeld] = field(default_factory=list)
    transferred_out: list[RefHeld] = field(default_factory=list)
    deferred: Decimal = ZERO
    lost_for_good: Decimal = ZERO


def counted(kind: AccountType, policy: WashSalePolicy) -> bool:
    if kind is AccountType.TAXABLE or kind in RETIREMENT_IRAS:
        return True
    return policy is WashSalePolicy.CONSERVATIVE


def group_key(ticker: str, identical: IdenticalGroups) -> str:
    group = identical.groups.get(ticker)
    return f"group:{group}" if group is not None else f"ticker:{ticker}"


def reference_analysis(
    activity: list[Activity], identical: IdenticalGroups, policy: WashSalePolicy
) -> RefResult:
    out = RefResult()
    groups: dict[str, list[tuple[date, int, int, Activity]]] = {}
    for position, act in enumerate(activity):
        listed = position if act.row is None else act.row
        groups.setdefault(group_key(act.ticker, identical), []).append(
            (act.date, listed, position, act)
        )
    for key in sorted(groups):
        rows = [entry[3] for entry in sorted(groups[key], key=lambda e: e[:3])]
        _run_group(rows, policy, out)
    return out


def _shares_of(act: Activity) -> int:
    assert act.shares == int(act.shares), "the reference takes whole shares only"
    return int(act.shares)


def _run_group(rows: list[Activity], policy: WashSalePolicy, out: RefResult) -> None:
    shares: list[Share] = []
    for position, act in enumerate(rows):
        if act.action is Action.BUY:
            count = _shares_of(act)
            cost = cents(act.shares * act.price)
            for k in range(count):
                shares.append(
                    Share(
                        position,
                        k,
                        act.account,
                        act.account_type,
                        act.ticker,
                        act.owner,
                        act.date,
                        act.date,
                        by_place(cost, count, k),
                        act,
                    )
                )
    events = 0
    day_losses: list[RefBlock] = []
    day_sales: list[tuple[RefBlock, Activity]] = []
    day: date | None = None
    for position, act in enumerate(rows):
        if act.date != day:
            if day is not None:
                events = _end_of_day(day, day_losses, day_sales, shares, rows, policy, out, events)
            day, day_losses, day_sales = act.date, [], []
        if act.action is Action.BUY:
            for s in shares:
                if s.source == position:
                    s.arrived = True
        elif act.action is Action.TRANSFER_IN:
            count = _shares_of(act)
            assert act.cost_basis is not None and act.acquired is not None
            for k in range(count):
                shares.append(
                    Share(
                        position,
                        k,
                        act.account,
                        act.account_type,
                        act.ticker,
                        act.owner,
                        act.acquired,
                        act.acquired,
                        by_place(cents(act.cost_basis), count, k),
                        None,
                        arrived=True,
                    )
                )
        elif act.action in (Action.SELL, Action.TRANSFER_OUT):
            taken, rest = _relieve(act, shares, rows)
            if act.action is Action.TRANSFER_OUT:
                _transfer_out(act, taken, out)
            else:
                for block in _sale_blocks(act, position, taken, rest):
                    day_sales.append((block, act))
                    if act.account_type is AccountType.TAXABLE and _loss(block) > ZERO:
                        day_losses.append(block)
        else:
            raise AssertionError("the reference has no splits")
    if day is not None:
        _end_of_day(day, day_losses, day_sales, shares, rows, policy, out, events)
    _held(shares, out)


def _relieve(act: Activity, shares: list[Share], rows: list[Activity]) -> tuple[list[Share], int]:
    held = [
        s
        for s in shares
        if s.arrived and not s.gone and s.account == act.account and s.ticker == act.ticker
    ]
    if act.acquired is not None:
        held = [s for s in held if s.acquired == act.acquired]
        held.sort(key=lambda s: (s.source, s.number))
    else:
        held.sort(key=lambda s: (s.acquired, s.source, s.number))
    count = _shares_of(act)
    taken = held[:count]
    for s in taken:
        s.gone = True
    return taken, count - len(taken)


def _consecutive(taken: list[Share]) -> list[list[Share]]:
    """Shares in the order taken, cut where the purchase or the adjustment event changes."""
    runs: list[list[Share]] = []
    for s in taken:
        if runs and (runs[-1][-1].source, runs[-1][-1].event) == (s.source, s.event):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def _sale_blocks(act: Activity, position: int, taken: list[Share], rest: int) -> list[RefBlock]:
    count = _shares_of(act)
    proceeds = cents(act.shares * act.price)
    named = None if act.cost_basis is None else cents(act.cost_basis)
    relief = "named" if act.acquired is not None else "fifo"
    blocks = []
    place = 0
    for run in _consecutive(taken):
        n = len(run)
        got = sum((by_place(proceeds, count, place + i) for i in range(n)), ZERO)
        if named is None:
            basis = sum((s.basis for s in run), ZERO)
        else:
            basis = sum((by_place(named, count, place + i) for i in range(n)), ZERO)
        adjustment = sum((s.adjustment for s in run), ZERO)
        same = sum((s.adjustment for s in run if s.same_account), ZERO)
        first = run[0]
        blocks.append(
            RefBlock(
                act.row,
                act.account,
                act.account_type,
                act.ticker,
                Decimal(n),
                first.acquired,
                first.holding_start,
                act.date,
                got,
                basis,
                adjustment,
                same,
                ZERO,
                ZERO,
                relief,
                act.owner is Owner.SPOUSE,
                first.source,
                position,
            )
        )
        place += n
    if rest:
        got = sum((by_place(proceeds, count, place + i) for i in range(rest)), ZERO)
        basis_rest = None
        if named is not None:
            basis_rest = sum((by_place(named, count, place + i) for i in range(rest)), ZERO)
        blocks.append(
            RefBlock(
                act.row,
                act.account,
                act.account_type,
                act.ticker,
                Decimal(rest),
                act.acquired,
                act.acquired,
                act.date,
                got,
                basis_rest,
                ZERO,
                ZERO,
                ZERO,
                ZERO,
                relief if act.acquired is not None else "unknown",
                act.owner is Owner.SPOUSE,
                None,
                position,
            )
        )
    return blocks


def _loss(block: RefBlock) -> Decimal:
    if block.basis_paid is None:
        return ZERO
    return max(ZERO, block.basis_paid + block.wash_adjustment - block.proceeds)


def _end_of_day(
    day: date,
    losses: list[RefBlock],
    sales: list[tuple[RefBlock, Activity]],
    shares: list[Share],
    rows: list[Activity],
    policy: WashSalePolicy,
    out: RefResult,
    events: int,
) -> int:
    for block in sorted(losses, key=lambda b: b.acquired or date.min):  # stable
        sale = next(a for b, a in sales if b is block)
        loss = _loss(block)
        size = int(block.shares)
        candidates = [
            s
            for s in shares
            if s.purchase is not None
            and counted(s.purchase.account_type, policy)
            and day - WINDOW <= s.purchase.date <= day + WINDOW
            and s.source != block.source
            and not s.used
            and not s.gone
        ]
        candidates.sort(key=lambda s: (s.source, s.number))
        chosen = candidates[:size]
        j = 0
        while j < len(chosen):
            run = [chosen[j]]
            while j + len(run) < len(chosen) and chosen[j + len(run)].source == run[0].source:
                run.append(chosen[j + len(run)])
            purchase = run[0].purchase
            assert purchase is not None
            amount = ZERO
            events += 1
            taxable = purchase.account_type is AccountType.TAXABLE
            assert block.holding_start is not None
            start = purchase.date - (day - block.holding_start)
            for i, s in enumerate(run):
                part = by_place(loss, size, j + i)
                amount += part
                s.used = True
                if taxable:
                    s.adjustment = part
                    s.event = events
                    s.holding_start = start
                    s.same_account = (s.account, s.ticker) == (sale.account, sale.ticker)
            block.disallowed += amount
            tacked = (block.holding_start, day, purchase.date, start) if taxable else None
            if taxable:
                out.deferred += amount
            else:
                block.lost_for_good += amount
                out.lost_for_good += amount
            out.matches.append(
                RefMatch(
                    sale,
                    Decimal(len(run)),
                    amount,
                    not taxable,
                    purchase,
                    amount if taxable else ZERO,
                    tacked,
                    True,
                )
            )
            j += len(run)
        for position, act in enumerate(rows):
            if (
                act.action is Action.BUY
                and not counted(act.account_type, policy)
                and day - WINDOW <= act.date <= day + WINDOW
                and position != block.source
            ):
                left = sum(1 for s in shares if s.source == position and not s.gone)
                if left:
                    out.matches.append(
                        RefMatch(
                            sale, Decimal(min(left, size)), ZERO, False, act, ZERO, None, False
                        )
                    )
    out.blocks += [block for block, _ in sales]
    return events


def _runs_with_use(shares: list[Share]) -> list[list[Share]]:
    runs: list[list[Share]] = []
    for s in shares:
        key = (s.source, s.event, s.used)
        if runs and (runs[-1][-1].source, runs[-1][-1].event, runs[-1][-1].used) == key:
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def _as_held(run: list[Share], basis: Decimal | None = None) -> RefHeld:
    first = run[0]
    return RefHeld(
        first.account,
        first.ticker,
        Decimal(len(run)),
        first.acquired,
        first.holding_start,
        sum((s.basis for s in run), ZERO) if basis is None else basis,
        sum((s.adjustment for s in run), ZERO),
        first.used,
    )


def _transfer_out(act: Activity, taken: list[Share], out: RefResult) -> None:
    count = _shares_of(act)
    named = None if act.cost_basis is None else cents(act.cost_basis)
    place = 0
    for run in _runs_with_use(taken):
        basis = None
        if named is not None:
            basis = sum((by_place(named, count, place + i) for i in range(len(run))), ZERO)
        held = _as_held(run, basis)
        held.account = act.account
        out.transferred_out.append(held)
        place += len(run)


def _held(shares: list[Share], out: RefResult) -> None:
    held = [s for s in shares if s.arrived and not s.gone]
    held.sort(key=lambda s: (s.source, s.number))
    out.held += [_as_held(run) for run in _runs_with_use(held)]
