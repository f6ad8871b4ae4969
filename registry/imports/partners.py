"""Matching partner names as offices write them ("Pemkot Yogyakarta", "Kab. Bantul",
"PT. KAI (Persero)") to the region reference and the partner registry.

A name is expanded (Pemkot → Pemerintah Kota, Kab. → Kabupaten, an acronym of a registered
partner → its full name), then matched: a region by its exact name in the Kemendagri
reference (a kabupaten, kota or provinsi that is not there is refused, never created as a
region), any other partner by its normalised name, exactly or with rapidfuzz's score.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from registry.models import Kind, Partner, PartnerKind, Province, Regency, partner_name_key

from .values import folded

_EXPANSIONS = [
    (r"\bpemkot\b", "pemerintah kota"),
    (r"\bpemkab\b", "pemerintah kabupaten"),
    (r"\b(pemprov|pemprop)\b", "pemerintah provinsi"),
    (r"\bpemda\b", "pemerintah"),
    (r"\bkab\b", "kabupaten"),
    (r"\b(prov|prop|propinsi)\b", "provinsi"),
    (r"\bkec\b", "kecamatan"),
    (r"\bkel\b", "kelurahan"),
    (r"\bdiy\b", "daerah istimewa yogyakarta"),
    (r"\bdki\b", "daerah khusus ibukota"),
    (r"\bjateng\b", "jawa tengah"),
    (r"\bjatim\b", "jawa timur"),
    (r"\bjabar\b", "jawa barat"),
    (r"\bkalsel\b", "kalimantan selatan"),
    (r"\bsulsel\b", "sulawesi selatan"),
    (r"\bsumut\b", "sumatera utara"),
    (r"\buniv\b", "universitas"),
    (r"\bkemen\b", "kementerian"),
]
_SUBREGIONS = ("kecamatan ", "kelurahan ", "desa ", "kapanewon ", "distrik ")
_STOP_WORDS = {"dan", "di", "of", "the", "and", "untuk"}

# The kind of cooperation a partner implies (PP 28/2018 Pasal 1 and 46): confirmed by the user.
KIND_OF_PARTNER = {
    PartnerKind.REGION: Kind.KSDD,
    PartnerKind.COOPERATION_BODY: Kind.KSDD,
    PartnerKind.MINISTRY: Kind.SINERGI,
    PartnerKind.FOREIGN_GOVERNMENT: Kind.KSDPL,
    PartnerKind.FOREIGN_INSTITUTION: Kind.KSDLL,
}
_KIND_WORDS = [
    (r"\b(universitas|institut|politeknik|sekolah tinggi|akademi)\b", PartnerKind.UNIVERSITY),
    (r"\byayasan\b", PartnerKind.FOUNDATION),
    (r"\bkoperasi\b", PartnerKind.COOPERATIVE),
    (
        r"\b(kementerian|kementrian|badan|balai|direktorat|lembaga|kanwil|kantor wilayah|kepolisian|polres|polda|"
        r"kodim|korem|kejaksaan|pengadilan|bank indonesia|bpjs)\b",
        PartnerKind.MINISTRY,
    ),
    (r"\b(perumda|pdam|bpd|bumd|perusahaan daerah|perseroda)\b", PartnerKind.BUMD),
    (r"\b(persero|perum|bumn)\b", PartnerKind.BUMN),
    (r"\b(pt|cv|tbk|ud|firma)\b", PartnerKind.PRIVATE_COMPANY),
    (r"\b(city|municipality|prefecture|county|province of)\b", PartnerKind.FOREIGN_GOVERNMENT),
    (r"\b(gmbh|ltd|inc|corporation|university of|foundation)\b", PartnerKind.FOREIGN_INSTITUTION),
    (r"\b(perkumpulan|ikatan|forum|lsm|organisasi|asosiasi|himpunan)\b", PartnerKind.CIVIL_SOCIETY),
]


def split_names(cell) -> list[str]:
    """A partner cell may name several partners, one per line or separated by ";"."""
    parts = re.split(r"[;\n]+", str(cell))
    return [" ".join(part.split()).strip(" ,.-") for part in parts if part.strip(" ,.-")]


def expand(name: str) -> str:
    text = folded(name)
    for pattern, replacement in _EXPANSIONS:
        text = re.sub(pattern, replacement, text)
    return " ".join(text.split())


def guess_partner_kind(expanded: str) -> str:
    for pattern, kind in _KIND_WORDS:
        if re.search(pattern, expanded):
            return kind
    return PartnerKind.PRIVATE_COMPANY


def _acronym(key: str) -> str:
    words = [word for word in key.split() if word not in _STOP_WORDS]
    return "".join(word[0] for word in words) if len(words) >= 2 else ""


@dataclass
class Match:
    """What a name in the file is: a registered partner, a partner to register, or neither.
    `key` identifies the name within an import (names with one key are one partner)."""

    name: str
    key: str
    partner_id: int | None = None
    score: int = 0
    candidates: list[dict] = field(default_factory=list)
    # A partner to register: its kind and, for a region, its Kemendagri code.
    partner_kind: str = ""
    region_code: str = ""
    # Why the name cannot become a partner (a region not in the reference list).
    refusal: str = ""

    @property
    def confident(self) -> bool:
        return self.partner_id is not None and self.score >= settings.IMPORT_PARTNER_MATCH_SCORE

    @property
    def agreement_kind(self) -> str:
        return KIND_OF_PARTNER.get(self.partner_kind, Kind.KSDPK) if self.partner_kind else ""


class PartnerMatcher:
    """Everything matching needs, read once per import: partners, regions and acronyms."""

    def __init__(self):
        self.partners = {}
        self.by_key: dict[str, int] = {}
        self.by_regency: dict[str, int] = {}
        self.by_province: dict[str, int] = {}
        for pk, name, kind, key, regency_id, province_id in Partner.objects.values_list(
            "pk", "name", "kind", "name_key", "regency_id", "province_id"
        ):
            self.partners[pk] = (name, kind, key)
            if kind == PartnerKind.REGION:
                if regency_id:
                    self.by_regency[regency_id] = pk
                else:
                    self.by_province[province_id] = pk
            else:
                self.by_key.setdefault(key, pk)
        self.keys = list(self.by_key)
        acronyms: dict[str, set[str]] = {}
        for key in self.keys:
            acronym = _acronym(key)
            if len(acronym) >= 2:
                acronyms.setdefault(acronym, set()).add(key)
        self.acronyms = {acronym: keys.pop() for acronym, keys in acronyms.items() if len(keys) == 1}
        self.regencies = {folded(name): code for code, name in Regency.objects.values_list("code", "name")}
        self.provinces = {folded(name): code for code, name in Province.objects.values_list("code", "name")}

    def match(self, name: str) -> Match:
        expanded = expand(name)
        region = self._region(name, expanded)
        if region is not None:
            return region
        # As registered: a partner an earlier import registered under this very spelling.
        own_key = partner_name_key(name)
        if own_key in self.by_key:
            pk = self.by_key[own_key]
            return Match(
                name=name,
                key=own_key,
                partner_id=pk,
                score=100,
                partner_kind=self.partners[pk][1],
                candidates=[self._candidate(pk, 100)],
            )
        key = partner_name_key(expanded)
        words = key.split()
        if words and any(word in self.acronyms for word in words):
            key = " ".join(self.acronyms.get(word, word) for word in words)
        result = Match(name=name, key=key or expanded)
        if not key:
            result.refusal = _("The partner's name is empty.")
            return result
        kind = guess_partner_kind(expanded)
        if key in self.by_key:
            pk = self.by_key[key]
            result.partner_id, result.score = pk, 100
            result.partner_kind = self.partners[pk][1]
            result.candidates = [self._candidate(pk, 100)]
            return result
        found = process.extract(key, self.keys, scorer=fuzz.token_sort_ratio, limit=3, score_cutoff=60)
        result.candidates = [self._candidate(self.by_key[choice], round(score)) for choice, score, _i in found]
        if result.candidates and result.candidates[0]["score"] >= settings.IMPORT_PARTNER_MATCH_SCORE:
            best = result.candidates[0]
            result.partner_id, result.score = best["id"], best["score"]
            result.partner_kind = self.partners[best["id"]][1]
        else:
            result.partner_kind = kind
            result.score = result.candidates[0]["score"] if result.candidates else 0
        return result

    def stored_key(self, pk: int) -> str:
        """The key agreements with this partner are matched by (registry.imports.analysis)."""
        return self.partners[pk][2]

    def _candidate(self, pk: int, score: int) -> dict:
        return {"id": pk, "name": self.partners[pk][0], "score": score}

    def _region(self, name: str, expanded: str) -> Match | None:
        text = expanded.removeprefix("pemerintah ").strip()
        if text.startswith(_SUBREGIONS):
            return Match(
                name=name,
                key=f"region:{text}",
                refusal=_(
                    "“%(name)s” is a kecamatan, kelurahan or desa, not a region that can be a partner; choose the "
                    "partner it stands for."
                )
                % {"name": name},
            )
        if text.startswith(("kabupaten ", "kota ")):
            code = self.regencies.get(text)
            if code is None and text.startswith("kota "):
                # "Kota Yogyakarta" is in the reference as "Kota Yogyakarta"; "Kota Administrasi …" too.
                code = self.regencies.get(text.replace("kota ", "kota administrasi ", 1))
            if code is None:
                return Match(
                    name=name,
                    key=f"region:{text}",
                    refusal=_(
                        "“%(name)s” is not a regency or city in the Kemendagri reference list; check the name, or "
                        "choose the partner it stands for."
                    )
                    % {"name": name},
                )
            return self._region_match(name, code, self.by_regency.get(code))
        if text.startswith("provinsi "):
            code = self.provinces.get(text.removeprefix("provinsi ").strip())
            if code is None:
                return Match(
                    name=name,
                    key=f"region:{text}",
                    refusal=_("“%(name)s” is not a province in the Kemendagri reference list; check the name.")
                    % {"name": name},
                )
            return self._region_match(name, code, self.by_province.get(code))
        if expanded.startswith("pemerintah ") and text in self.provinces:
            return self._region_match(name, self.provinces[text], self.by_province.get(self.provinces[text]))
        return None

    def _region_match(self, name: str, code: str, pk: int | None) -> Match:
        match = Match(name=name, key=f"region:{code}", partner_kind=PartnerKind.REGION, region_code=code, score=100)
        if pk is not None:
            match.partner_id = pk
            match.candidates = [self._candidate(pk, 100)]
        return match
