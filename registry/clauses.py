"""The contents a PKS must have (docs/domain.md §4): the union of PP 50/2007 Pasal 7 huruf b
and PP 28/2018 Pasal 19(2), plus the recommended ones. Signing waits for every mandatory one."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Clause:
    code: str
    label: str
    mandatory: bool
    source: str


CLAUSES = (
    Clause("parties", _("subject and parties (para pihak)"), True, "PP 50/2007 Pasal 7b"),
    Clause("object", _("object (objek)"), True, "PP 50/2007 Pasal 7b"),
    Clause("scope", _("scope (ruang lingkup)"), True, "PP 50/2007 Pasal 7b"),
    Clause("rights_obligations", _("rights and obligations of the parties"), True, "PP 28/2018 Pasal 19(2)a"),
    Clause("term", _("term (jangka waktu)"), True, "PP 28/2018 Pasal 19(2)b"),
    Clause("termination", _("termination (pengakhiran)"), True, "PP 50/2007 Pasal 7b"),
    Clause("force_majeure", _("force majeure (keadaan memaksa)"), True, "PP 50/2007 Pasal 7b"),
    Clause("dispute_settlement", _("dispute settlement"), True, "PP 28/2018 Pasal 19(2)c"),
    Clause("sanctions", _("sanctions for a party that fails its obligations"), True, "PP 28/2018 Pasal 19(2)d"),
    Clause("legal_basis", _("legal basis and reference to the Kesepakatan Bersama"), False, "practice"),
    Clause("purpose", _("purpose and objectives (maksud dan tujuan)"), False, "practice"),
    Clause("implementation", _("implementation and the implementing OPD"), False, "practice"),
    Clause("financing", _("financing and APBD contribution"), False, "practice"),
    Clause(
        "results",
        _("results (money to the regional treasury, goods as assets)"),
        False,
        "PP 28/2018 Pasal 20",
    ),
    Clause("monitoring", _("monitoring, evaluation and reporting"), False, "practice"),
    Clause("amendment", _("amendment (addendum)"), False, "PP 50/2007 Pasal 17"),
    Clause("closing", _("closing (originals, meterai)"), False, "practice"),
)
CLAUSES_BY_CODE = {clause.code: clause for clause in CLAUSES}
MANDATORY = tuple(clause for clause in CLAUSES if clause.mandatory)


def missing_mandatory_clauses(agreement) -> list[Clause]:
    present = set(agreement.pks_clauses or ())
    return [clause for clause in MANDATORY if clause.code not in present]
