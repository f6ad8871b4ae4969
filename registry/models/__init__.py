from .agreements import (
    Agreement,
    AgreementPartner,
    CooperationForm,
    CooperationModel,
    EndReason,
    Kind,
    KsddNature,
    KsdpkType,
    Relation,
    Stage,
    Transition,
)
from .documents import AgreementDocument, DocumentType, DprdApproval
from .dprd import DayOff, DprdReviewNote
from .imports import ImportJob, ImportMapping, ImportPartner, ImportRow
from .numbering import Counter
from .official import DocumentKind, NumberSeries, OfficialDocument, Paper, RenderJob, TkksdMember
from .partners import Partner, PartnerKind, partner_name_key
from .people import User
from .reference import OPD, OpenDataLicence, PemdaProfile, Province, Regency, Urusan

__all__ = [
    "OPD",
    "Agreement",
    "AgreementDocument",
    "AgreementPartner",
    "CooperationForm",
    "CooperationModel",
    "Counter",
    "DayOff",
    "DocumentKind",
    "DocumentType",
    "DprdApproval",
    "DprdReviewNote",
    "EndReason",
    "ImportJob",
    "ImportMapping",
    "ImportPartner",
    "ImportRow",
    "Kind",
    "KsddNature",
    "KsdpkType",
    "NumberSeries",
    "OfficialDocument",
    "OpenDataLicence",
    "Paper",
    "Partner",
    "PartnerKind",
    "PemdaProfile",
    "Province",
    "Regency",
    "Relation",
    "RenderJob",
    "Stage",
    "TkksdMember",
    "Transition",
    "Urusan",
    "User",
    "partner_name_key",
]
