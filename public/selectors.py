"""Reads of the public register: only what registry/publication.py lets the public see."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from registry import publication
from registry.models import AgreementDocument, Partner, Stage
from registry.search import search

LIST_FIELDS = (
    "pk",
    "register_number",
    "title",
    "kind",
    "stage",
    "start_date",
    "end_date",
    "partner_names",
    "lead_opd__name",
    "urusan__name",
)


def public_list(data: dict):
    """The public register filtered by the search form's cleaned data, newest first."""
    queryset = publication.public_agreements()
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("opd"):
        queryset = queryset.filter(lead_opd=data["opd"])
    if data.get("year"):
        queryset = queryset.filter(start_date__year=data["year"])
    if data.get("status") == "berakhir":
        queryset = queryset.filter(stage=Stage.BERAKHIR)
    elif data.get("status") == "berjalan":
        queryset = queryset.exclude(stage=Stage.BERAKHIR)
    queryset = search(queryset, data.get("q", ""))
    return queryset.order_by("-start_date", "-pk").values(*LIST_FIELDS)


def get_public_agreement(register_number: str):
    return get_object_or_404(
        publication.public_agreements()
        .select_related("lead_opd", "urusan")
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.order_by("name"))),
        register_number=register_number,
    )


def documents_of(agreement):
    """The agreement's public documents, the latest signed version of each type first."""
    return publication.public_documents([agreement.pk]).order_by("doc_type", "-version")


def get_public_document(pk: int) -> AgreementDocument:
    return get_object_or_404(publication.public_documents().select_related("agreement"), pk=pk)
