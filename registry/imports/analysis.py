"""What each row of a register would do: create an agreement, update one, change nothing, or
nothing at all because of an error (with the column, the value and the reason).

The analysis writes nothing. The preview shows it; the commit runs it again against the
database as it then is, and writes what it says (registry/imports/services.py).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from registry import lifecycle
from registry import numbers as registered_numbers
from registry.models import OPD, Agreement, AgreementPartner, EndReason, Kind, Stage, Urusan, partner_name_key

from . import columns
from .partners import Match, PartnerMatcher, split_names
from .values import folded, is_empty, parse_amount, parse_date, parse_duration, parse_text

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
_TEXT_LIMITS = {"title": 300, "object": 5000, "scope": 5000, "notes": 2000, "own_number": 100, "partner_number": 100}
_KIND_WORDS = [
    (
        (
            "ksdpl",
            "pemerintah daerah di luar negeri",
            "pemerintah daerah luar negeri",
            "sister city",
            "sister province",
        ),
        Kind.KSDPL,
    ),
    (("ksdll", "lembaga di luar negeri", "lembaga luar negeri"), Kind.KSDLL),
    (("ksdpk", "pihak ketiga", "swasta", "badan usaha"), Kind.KSDPK),
    (("ksdd", "daerah lain", "antar daerah", "antardaerah", "pemerintah daerah"), Kind.KSDD),
    (("sinergi", "pemerintah pusat", "kementerian", "lembaga pusat"), Kind.SINERGI),
]
# The fields an update may change: those of the agreement form (registry.services.AGREEMENT_EDIT_FIELDS).
_COMPARED = ("title", "object", "scope", "urusan", "lead_opd", "value", "start_date", "duration_months", "end_date")
# Which columns feed each compared field: a field is compared only when the file has it.
_SOURCES = {
    "title": ("title",),
    "object": ("object",),
    "scope": ("scope",),
    "urusan": ("urusan",),
    "lead_opd": ("lead_opd",),
    "value": ("value",),
    "start_date": ("start_date", "signed_date"),
    "duration_months": ("duration",),
    "end_date": ("end_date", "duration"),
}


@dataclass
class Options:
    """What the user chose beside the mapping: defaults for rows that do not say, and whether
    partners without a confident match are registered (the command line's --create-partners)."""

    lead_opd_id: int | None = None
    urusan_id: int | None = None
    create_partners: bool = False

    @classmethod
    def from_json(cls, data: dict) -> "Options":
        return cls(
            lead_opd_id=data.get("lead_opd_id"),
            urusan_id=data.get("urusan_id"),
            create_partners=bool(data.get("create_partners")),
        )

    def to_json(self) -> dict:
        return {"lead_opd_id": self.lead_opd_id, "urusan_id": self.urusan_id, "create_partners": self.create_partners}


@dataclass
class Decision:
    """How a partner name is resolved for this import: a partner, a partner to create, or not."""

    match: Match
    partner_id: int | None = None
    create: bool = False
    agreement_kind: str = ""

    @property
    def resolved(self) -> bool:
        return self.partner_id is not None or self.create


@dataclass
class RowResult:
    number: int
    cells: list
    outcome: str = NEW
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    agreement_id: int | None = None
    partner_keys: list[str] = field(default_factory=list)

    def error(self, column: str, value, reason) -> None:
        self.errors.append({"column": column, "value": _display(value), "reason": str(reason)})
        self.outcome = ERROR


@dataclass
class Analysis:
    labels: list[str]
    rows: list[RowResult]
    partners: dict[str, Decision]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)


def _display(value) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:300]


def parse_kind(value) -> str:
    text = folded(value)
    for words, kind in _KIND_WORDS:
        if any(word in text for word in words):
            return kind
    raise ValueError(
        _("The kind of cooperation “%(value)s” is not known; write KSDD, KSDPK, KSDPL, KSDLL or Sinergi.")
        % {"value": value}
    )


def number_key(own: str, partner: str) -> tuple[str, str] | None:
    own, partner = "".join(own.split()).upper(), "".join(partner.split()).upper()
    return (own, partner) if own and partner else None


class _Lookup:
    """Names of OPD and urusan as sheets write them, matched exactly, then by rapidfuzz."""

    def __init__(self, pairs):
        self.exact: dict[str, int] = {}
        for pk, *names in pairs:
            for name in names:
                if name:
                    self.exact.setdefault(folded(name), pk)
        self.keys = list(self.exact)

    def find(self, value) -> int | None:
        text = folded(value)
        if text in self.exact:
            return self.exact[text]
        found = process.extractOne(text, self.keys, scorer=fuzz.token_set_ratio, score_cutoff=88)
        return self.exact[found[0]] if found else None


class _Existing:
    """The registry's agreements as an import matches them: by both parties' numbers, or by
    normalised title, start date and partner."""

    def __init__(self):
        self.by_numbers: dict[tuple[str, str], int] = {}
        self.by_title: dict[tuple[str, str], list[int]] = {}
        for pk, title, start, own, partner in Agreement.objects.values_list(
            "pk", "title", "start_date", "own_number", "partner_number"
        ).iterator(chunk_size=5000):
            key = number_key(own, partner)
            if key:
                self.by_numbers.setdefault(key, pk)
            self.by_title.setdefault((folded(title), start.isoformat() if start else ""), []).append(pk)
        self.partner_keys: dict[int, set[str]] = {}
        self._loaded_keys = False

    def _load_partner_keys(self) -> None:
        if self._loaded_keys:
            return
        for agreement_id, key, regency_id, province_id, kind in AgreementPartner.objects.values_list(
            "agreement_id", "partner__name_key", "partner__regency_id", "partner__province_id", "partner__kind"
        ).iterator(chunk_size=5000):
            self.partner_keys.setdefault(agreement_id, set()).add(
                _stored_partner_key(key, regency_id, province_id, kind)
            )
        self._loaded_keys = True

    def find(self, values: dict, partner_keys: list[str]) -> int | None:
        key = number_key(values.get("own_number", ""), values.get("partner_number", ""))
        if key and key in self.by_numbers:
            return self.by_numbers[key]
        candidates = self.by_title.get((folded(values["title"]), values.get("start_date") or ""), [])
        if not candidates:
            return None
        self._load_partner_keys()
        wanted = set(partner_keys)
        for pk in candidates:
            if self.partner_keys.get(pk, set()) & wanted:
                return pk
        return None


def _stored_partner_key(name_key: str, regency_id, province_id, kind) -> str:
    if kind == "region":
        return f"region:{regency_id or province_id}"
    return name_key


def partner_key_of(decision: Decision, matcher: PartnerMatcher) -> str:
    """The key a resolved partner is known by in stable keys: its region code, the key of the
    registered partner, or the key the partner to register will have."""
    match = decision.match
    if match.region_code:
        return f"region:{match.region_code}"
    if decision.partner_id is not None and decision.partner_id in matcher.partners:
        return matcher.stored_key(decision.partner_id)
    return partner_name_key(match.name)


class Analyser:
    """Reads rows into agreement values and outcomes. Built once per preview or commit."""

    def __init__(self, labels: list[str], mapping: dict[str, str], options: Options, *, formulas=None, today=None):
        self.labels = labels
        self.formulas = formulas or {}
        self._name_keys: dict[str, str] = {}
        self.mapping = {int(index): name for index, name in mapping.items() if name}
        self.fields = set(self.mapping.values())
        self.options = options
        self.today = today or timezone.localdate()
        self.opds = _Lookup(OPD.objects.values_list("pk", "name", "abbreviation"))
        self.urusan = _Lookup(Urusan.objects.values_list("pk", "name", "code"))
        self.matcher = PartnerMatcher()
        self.existing = _Existing()

    def label(self, index: int) -> str:
        if index < len(self.labels) and self.labels[index]:
            return self.labels[index]
        return _("column %(number)s") % {"number": index + 1}

    def column_of(self, name: str) -> int | None:
        for index, field_name in self.mapping.items():
            if field_name == name:
                return index
        return None

    # -- partners ----------------------------------------------------------------------------------

    def partner_names(self, rows) -> dict[str, Decision]:
        """Every distinct partner name of the rows, matched once."""
        column = self.column_of("partner")
        decisions: dict[str, Decision] = {}
        if column is None:
            return decisions
        seen: dict[str, str] = {}
        for _number, cells in rows:
            value = cells[column] if column < len(cells) else ""
            if is_empty(value):
                continue
            for name in split_names(value):
                if name in seen:
                    continue
                match = self.matcher.match(name)
                seen[name] = match.key
                if match.key in decisions:
                    continue
                decision = Decision(match=match, agreement_kind=match.agreement_kind)
                if match.refusal:
                    pass
                elif match.confident:
                    decision.partner_id = match.partner_id
                elif match.region_code or self.options.create_partners:
                    decision.create = True
                decisions[match.key] = decision
        self._name_keys = seen
        return decisions

    # -- rows ----------------------------------------------------------------------------------------

    def data_rows(self, table_rows: list[list], data_start: int):
        """(sheet row number, cells) of the rows that hold data: not empty, not the column
        numbers, not a repeated header, not a heading such as "TAHUN 2021"."""
        mapped = list(self.mapping)
        for index in range(data_start, len(table_rows)):
            cells = table_rows[index]
            filled = [c for c in mapped if c < len(cells) and not is_empty(cells[c])]
            if len(filled) <= 1 or columns.is_column_numbers(cells):
                continue
            if all(columns.field_for(cells[c]) == self.mapping[c] for c in filled):
                continue
            yield index + 1, cells

    def analyse(self, rows, decisions: dict[str, Decision]) -> list[RowResult]:
        results = []
        seen_keys: dict[tuple, int] = {}
        seen_agreements: dict[int, int] = {}
        for number, cells in rows:
            result = self.row(number, cells, decisions)
            if result.outcome != ERROR:
                self._numbers_free(result)
            if result.outcome != ERROR:
                key = (
                    folded(result.values["title"]),
                    result.values.get("start_date") or "",
                    tuple(result.partner_keys),
                )
                numbers = number_key(result.values.get("own_number", ""), result.values.get("partner_number", ""))
                duplicate_of = seen_keys.get(key) or (seen_keys.get(numbers) if numbers else None)
                if result.agreement_id and result.agreement_id in seen_agreements:
                    duplicate_of = seen_agreements[result.agreement_id]
                if duplicate_of:
                    result.error(
                        self.label(self.column_of("title") or 0),
                        result.values["title"],
                        _("The same agreement as row %(row)s; it is imported once.") % {"row": duplicate_of},
                    )
                else:
                    seen_keys[key] = number
                    if numbers:
                        seen_keys[numbers] = number
                    if result.agreement_id:
                        seen_agreements[result.agreement_id] = number
            results.append(result)
        self._compare(results)
        return results

    def _numbers_free(self, result: RowResult) -> None:
        """Both parties' numbers must not already belong to another document or agreement of that
        year (registry/numbers.py): a row carrying one is an error, not an import."""
        # The year registry.services.numbers_year gives the imported agreement.
        start = result.values.get("start_date")
        year = dt.date.fromisoformat(start).year if start else timezone.localdate().year
        for name in ("own_number", "partner_number"):
            value = result.values.get(name, "")
            if not value:
                continue
            holder = registered_numbers.holder_of(value, year)
            if holder is not None and holder.agreement_id != result.agreement_id:
                result.error(
                    self.label(self.column_of(name) or 0),
                    value,
                    _("This number is already in use in %(year)s by %(owner)s.")
                    % {"year": year, "owner": registered_numbers.describe(holder)},
                )

    def _cell(self, cells, name):
        column = self.column_of(name)
        if column is None or column >= len(cells):
            return None, None
        return column, cells[column]

    def row(self, number: int, cells: list, decisions: dict[str, Decision]) -> RowResult:
        result = RowResult(number=number, cells=[_display(cell) if cell != "" else "" for cell in cells])
        values = result.values
        for column in self.mapping:
            formula = self.formulas.get((number - 1, column))
            if formula:
                result.warnings.append(
                    {
                        "column": self.label(column),
                        "value": formula,
                        "reason": _("The cell holds a formula; the value it last showed is imported."),
                    }
                )
        for name in ("title", "object", "scope", "notes", "own_number", "partner_number"):
            column, value = self._cell(cells, name)
            if column is None or is_empty(value):
                values[name] = ""
                continue
            try:
                values[name] = parse_text(value, limit=_TEXT_LIMITS[name])
            except ValueError as error:
                result.error(self.label(column), value, error.args[0])
                values[name] = ""
        title_label = self.label(self.column_of("title")) if "title" in self.fields else str(columns.FIELDS["title"])
        if not values["title"] and not any(error["column"] == title_label for error in result.errors):
            result.error(title_label, "", _("The title is empty."))
        self._dates(result, cells)
        self._money(result, cells)
        self._opd_and_urusan(result, cells)
        self._partners_and_kind(result, cells, decisions)
        if result.outcome == ERROR:
            return result
        values["object"] = values["object"] or values["title"]
        values["stage"], values["end_reason"] = self._stage(values)
        result.agreement_id = self.existing.find(values, result.partner_keys)
        result.outcome = UPDATE if result.agreement_id else NEW
        return result

    def _dates(self, result: RowResult, cells) -> None:
        values = result.values
        parsed = {}
        for name in ("signed_date", "start_date", "end_date"):
            column, value = self._cell(cells, name)
            if column is None or is_empty(value):
                continue
            try:
                parsed[name] = parse_date(value, end_of_month=name == "end_date")
            except ValueError as error:
                result.error(self.label(column), value, error.args[0])
        months, until = None, None
        column, value = self._cell(cells, "duration")
        if column is not None and not is_empty(value):
            try:
                months, until = parse_duration(value)
            except ValueError as error:
                result.error(self.label(column), value, error.args[0])
        start = parsed.get("start_date") or parsed.get("signed_date")
        end = parsed.get("end_date") or until
        if start and months and not end:
            end = _end_after(start, months)
        if start and end and end < start:
            column = self.column_of("end_date") if "end_date" in parsed else self.column_of("duration")
            result.error(self.label(column or 0), _display(end), _("The end date is before the start date."))
        if months is not None and months > 32767:
            result.error(self.label(self.column_of("duration") or 0), months, _("The term is too long."))
            months = None
        values["signed_date"] = parsed["signed_date"].isoformat() if "signed_date" in parsed else ""
        values["start_date"] = start.isoformat() if start else ""
        values["end_date"] = end.isoformat() if end else ""
        values["duration_months"] = months

    def _money(self, result: RowResult, cells) -> None:
        column, value = self._cell(cells, "value")
        result.values["value"] = None
        if column is None or is_empty(value):
            return
        try:
            amount = parse_amount(value)
        except ValueError as error:
            result.error(self.label(column), value, error.args[0])
            return
        result.values["value"] = str(amount) if amount is not None else None

    def _opd_and_urusan(self, result: RowResult, cells) -> None:
        for name, lookup, default, missing in (
            ("lead_opd", self.opds, self.options.lead_opd_id, _("No OPD of this name is registered.")),
            ("urusan", self.urusan, self.options.urusan_id, _("No urusan of this name is known.")),
        ):
            column, value = self._cell(cells, name)
            found = None
            if column is not None and not is_empty(value):
                found = lookup.find(value)
                if found is None and default is None:
                    result.error(self.label(column), value, missing)
                    continue
                if found is None:
                    result.warnings.append(
                        {"column": self.label(column), "value": _display(value), "reason": str(missing)}
                    )
            chosen = found or default
            if chosen is None:
                reason = (
                    _("The row names no OPD and no default OPD was chosen.")
                    if name == "lead_opd"
                    else _("The row names no urusan and no default urusan was chosen.")
                )
                result.error(self.label(column) if column is not None else str(columns.FIELDS[name]), "", reason)
            result.values[f"{name}_id"] = chosen

    def _partners_and_kind(self, result: RowResult, cells, decisions: dict[str, Decision]) -> None:
        column, value = self._cell(cells, "partner")
        label = self.label(column) if column is not None else str(columns.FIELDS["partner"])
        if column is None or is_empty(value):
            result.error(label, "", _("The partner is empty."))
            return
        kinds = []
        for name in split_names(value):
            decision = decisions.get(self._name_keys.get(name, ""))
            if decision is None:
                decision = decisions.get(self.matcher.match(name).key)
            if decision is None:
                continue
            if decision.match.refusal and not decision.partner_id:
                result.error(label, name, decision.match.refusal)
                continue
            if not decision.resolved:
                if decision.match.candidates:
                    best = decision.match.candidates[0]
                    reason = _(
                        "No registered partner matches surely (closest: %(name)s, score %(score)s); accept it, "
                        "choose another or register a new partner."
                    ) % {"name": best["name"], "score": best["score"]}
                else:
                    reason = _("The partner is not registered; choose one or register it as a new partner.")
                result.error(label, name, reason)
                continue
            result.partner_keys.append(partner_key_of(decision, self.matcher))
            kinds.append(decision.agreement_kind)
        result.partner_keys = sorted(set(result.partner_keys))
        kind_column, kind_value = self._cell(cells, "kind")
        kind = ""
        if kind_column is not None and not is_empty(kind_value):
            try:
                kind = parse_kind(kind_value)
            except ValueError as error:
                result.error(self.label(kind_column), kind_value, error.args[0])
                return
        elif kinds:
            kind = next((k for k in kinds if k), "")
            result.values["kind_inferred"] = True
        if not kind and result.outcome != ERROR:
            result.error(
                self.label(kind_column) if kind_column is not None else str(columns.FIELDS["kind"]),
                kind_value or "",
                _("The kind of cooperation cannot be told; name it in a column or confirm it for the partner."),
            )
        result.values["kind"] = kind

    def _stage(self, values: dict) -> tuple[str, str]:
        """Where a legacy agreement stands (PP 28/2018 Pasal 48): signed and running, ended, or
        at its first stage where nothing says it was signed."""
        signed = bool(values.get("own_number") or values.get("partner_number") or values.get("signed_date"))
        if not signed:
            return lifecycle.first_stage(values["kind"]), ""
        end = values.get("end_date")
        if end and dt.date.fromisoformat(end) < self.today:
            return Stage.BERAKHIR, EndReason.TERM_EXPIRED
        return Stage.PELAKSANAAN, ""

    def _compare(self, results: list[RowResult]) -> None:
        """Rows matching an agreement: the fields the file has that differ make an update."""
        matched = {row.agreement_id: row for row in results if row.outcome == UPDATE}
        if not matched:
            return
        compared = [name for name in _COMPARED if any(source in self.fields for source in _SOURCES[name])]
        ids = list(matched)
        current = {}
        for start in range(0, len(ids), 2000):
            chunk = ids[start : start + 2000]
            for item in Agreement.objects.filter(pk__in=chunk).values("pk", *[_column(name) for name in compared]):
                current[item["pk"]] = item
        self.existing._load_partner_keys()
        for pk, row in matched.items():
            stored = current.get(pk)
            if stored is None:
                row.outcome, row.agreement_id = NEW, None
                continue
            changes = []
            for name in compared:
                if _comparable(name, stored[_column(name)]) != _comparable(name, row.values.get(_value_key(name))):
                    changes.append(name)
            if set(row.partner_keys) != self.existing.partner_keys.get(pk, set()):
                changes.append("partners")
            row.changes = changes
            row.outcome = UPDATE if changes else UNCHANGED


def _column(name: str) -> str:
    return f"{name}_id" if name in ("urusan", "lead_opd") else name


def _value_key(name: str) -> str:
    return f"{name}_id" if name in ("urusan", "lead_opd") else name


def _comparable(name: str, value):
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if name == "value":
        from decimal import Decimal

        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    return str(value)


def _end_after(start: dt.date, months: int) -> dt.date:
    from .values import end_after

    return end_after(start, months)
