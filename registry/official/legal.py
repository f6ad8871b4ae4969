"""Mengingat from the legal-basis catalogue: the printed citation of each regulation, with its
promulgation and its last amendment, and the default list of each kind of document.

A citation reads as the Bagian Hukum writes it (Permendagri 80/2015 Lampiran):

    Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (Lembaran Negara Republik
    Indonesia Tahun 2014 Nomor 244, Tambahan Lembaran Negara Republik Indonesia Nomor 5587)
    sebagaimana telah diubah beberapa kali terakhir dengan Undang-Undang Nomor 6 Tahun 2023 …;
"""

from ..models import LegalBasis, PemdaProfile, RegulationKind
from ..models.legal import PRINTED_KIND


def _promulgation(basis: LegalBasis) -> str:
    _name, gazette, supplement = PRINTED_KIND[basis.kind]
    if not gazette or not basis.gazette_number:
        return ""
    region = f" {basis.region}" if basis.region and basis.kind in _REGIONAL else ""
    parts = [f"{gazette}{region} Tahun {basis.gazette_year or basis.year} Nomor {basis.gazette_number}"]
    if supplement and basis.supplement_number:
        parts.append(f"{supplement}{region} Nomor {basis.supplement_number}")
    return f" ({', '.join(parts)})"


_REGIONAL = {RegulationKind.PERDA_PROVINSI, RegulationKind.PERDA, RegulationKind.PERBUP}


def _name(basis: LegalBasis) -> str:
    name = PRINTED_KIND[basis.kind][0]
    if basis.kind == RegulationKind.UUD:
        return " ".join(filter(None, [basis.provision, f"{name} Tahun {basis.year}"]))
    region = f" {basis.region}" if basis.region and basis.kind in _REGIONAL else ""
    title = f" tentang {basis.title}" if basis.title else ""
    return f"{name}{region} Nomor {basis.number} Tahun {basis.year}{title}"


def citation(basis: LegalBasis) -> str:
    """The line printed under Mengingat, ending with ";"."""
    text = _name(basis) + _promulgation(basis)
    amendment = basis.amended_by
    if amendment is not None:
        verb = "diubah beberapa kali terakhir dengan" if basis.amended_several_times else "diubah dengan"
        text += f" sebagaimana telah {verb} {_name(amendment)}{_promulgation(amendment)}"
    return f"{text};"


def catalogue():
    """The active entries, in the order they are cited."""
    return LegalBasis.objects.filter(is_active=True).select_related("amended_by").order_by("order", "year", "pk")


def default_mengingat(kind: str) -> list[str]:
    """The Mengingat of a new draft of `kind`: the constitution's provision first, then the law that
    formed the regency (Pemda profile), then the catalogue's defaults for the kind, in order."""
    entries = [basis for basis in catalogue() if kind in (basis.default_for or [])]
    lines = [citation(basis) for basis in entries if basis.kind == RegulationKind.UUD]
    profile = PemdaProfile.current()
    formation = " ".join((profile.formation_law if profile else "").split()).rstrip(";")
    if formation:
        lines.append(f"{formation};")
    lines.extend(citation(basis) for basis in entries if basis.kind != RegulationKind.UUD)
    return lines
