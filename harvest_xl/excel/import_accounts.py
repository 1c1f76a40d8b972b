"""The Accounts row each account named in the broker files stands for: a row already there
(matched by number or name, compared with :func:`~harvest_xl.engine.names.fold`; the user's
type is kept), or a new row named as the file shows it, typed as its name suggests, with a
note for the user to check the type."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from harvest_xl.engine.models import AccountType
from harvest_xl.engine.names import fold
from harvest_xl.excel import layout as L
from harvest_xl.excel.import_records import (
    MATCHED,
    AccountOutcome,
    LedgerEntry,
    PlannedRow,
    PlannedRows,
    TableRows,
)
from harvest_xl.excel.import_values import canonical
from harvest_xl.importers import Broker, ImportedAccount, infer_account_type

NOTE_ACCOUNT_TYPE = "{why} ({source}). Check the type and change it if it is wrong."
NOTE_NO_ACCOUNT_TYPE = "{why} ({source})."


class AccountRows:
    """The Accounts row each imported account stands for (see the module docstring)."""

    def __init__(
        self,
        rows: TableRows,
        ledger: Sequence[LedgerEntry],
        accounts: Sequence[ImportedAccount],
        given: str | None,
    ) -> None:
        self.names: dict[str, str] = {}  # folded name -> the name in the table
        for _, values in rows:
            shown = canonical(values.get("Account"))
            if shown:
                self.names.setdefault(fold(shown), shown)
        self.linked: dict[str, str] = {}  # account key -> the row name it was given
        self.claimed: dict[str, str] = {}  # folded row name -> the account key it stands for
        for entry in ledger:
            if entry.table == L.ACCOUNTS and entry.account:
                self.linked[entry.key] = entry.account
                self.claimed[fold(entry.account)] = entry.key
        self.shared = Counter(fold(a.name) for a in accounts if a.name)
        self.given = given
        self.resolved: dict[str, str] = {}  # account key -> name
        self.added: set[str] = set()  # keys of the accounts given a new row
        self.new_rows = PlannedRows(L.ACCOUNTS)
        self.links: list[LedgerEntry] = []
        self.outcomes: list[AccountOutcome] = []
        self._by_identity = {(a.broker, a.account): a for a in accounts}

    def name_of(self, broker: Broker, identity: str | None) -> str | None:
        """The Accounts row name for a record's account (None: no account known)."""
        if identity is None:
            return self._given()
        account = self._by_identity[(broker, identity)]
        name = self.resolved.get(account.key)
        if name is None:
            name = self.resolved[account.key] = self._resolve(account)
        return name

    def _free(self, folded: str, key: str) -> bool:
        return self.claimed.get(folded) in (None, key)

    def _resolve(self, account: ImportedAccount) -> str:
        key = account.key
        linked = self.linked.get(key)
        if linked is not None and fold(linked) in self.names:
            name = self.names[fold(linked)]
            self._outcome(account, name, "already in the Accounts table")
            return name
        candidates = [account.number] if account.number else []
        if account.name and self.shared[fold(account.name)] == 1:
            candidates.append(account.name)
        for candidate in candidates:
            folded = fold(candidate)
            if folded in self.names and self._free(folded, key):
                name = self.names[folded]
                self.claimed[folded] = key
                self.links.append(
                    LedgerEntry(
                        key,
                        L.ACCOUNTS,
                        None,
                        str(account.source),
                        account=name,
                        note=MATCHED,
                    )
                )
                self._outcome(account, name, "matched your row (your type is kept)")
                return name
        name = self._new_name(account)
        self._add(key, name, account.account_type, account.inferred_from, str(account.source))
        self._outcome(account, name, "added: check the type")
        return name

    def _new_name(self, account: ImportedAccount) -> str:
        """The name as shown, or the number when there is none; with the number too when
        the name is taken or two of the accounts imported share it."""
        base = account.name or account.account
        if account.name and account.number:
            folded = fold(account.name)
            if self.shared[folded] > 1 or folded in self.names:
                base = f"{account.name} {account.number}"
        name, n = base, 1
        while fold(name) in self.names:
            n += 1
            name = f"{base} ({account.broker.value}{'' if n == 2 else f' {n - 1}'})"
        return name

    def _add(self, key: str, name: str, kind: AccountType | None, why: str, source: str) -> None:
        self.names[fold(name)] = name
        self.claimed[fold(name)] = key
        self.added.add(key)
        template = NOTE_ACCOUNT_TYPE if kind is not None else NOTE_NO_ACCOUNT_TYPE
        self.new_rows.append(
            PlannedRow(
                L.ACCOUNTS,
                {"Account": name, "Type": None if kind is None else kind.value},
                LedgerEntry(key, L.ACCOUNTS, None, source, account=name),
                note=template.format(why=why, source=source),
                note_column="Type",
            )
        )

    def _given(self) -> str | None:
        """The account named by the user for records whose file names none."""
        if self.given is None:
            return None
        key = f"given-account-{fold(self.given)}"
        name = self.resolved.get(key)
        if name is not None:
            return name
        folded = fold(self.given)
        kind, why = infer_account_type(self.given)
        if folded in self.names:
            name = self.names[folded]
            status = "already in the Accounts table (your type is kept)"
        else:
            name = self.given.strip()
            self._add(key, name, kind, why, "the account you named")
            status = "added: check the type"
        self.resolved[key] = name
        self.outcomes.append(AccountOutcome(name, None, None, kind, why, status))
        return name

    def _outcome(self, account: ImportedAccount, name: str, status: str) -> None:
        self.outcomes.append(
            AccountOutcome(
                name,
                account.broker,
                account.account,
                account.account_type,
                account.inferred_from,
                status,
            )
        )
