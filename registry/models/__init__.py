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
from .numbering import Counter
from .official import (
    DEFAULT_OFFICE,
    Delegation,
    DocumentKind,
    NumberSeries,
    Office,
    OfficialDocument,
    Paper,
    RenderJob,
    TkksdMember,
)
from .partners import Partner, PartnerKind, partner_name_key
from .people import User
from .reference import OPD, PemdaProfile, Province, Regency, Urusan

__all__ = [
    "DEFAULT_OFFICE",
    "OPD",
    "Agreement",
    "AgreementDocument",
    "AgreementPartner",
    "CooperationForm",
    "CooperationModel",
    "Counter",
    "DayOff",
    "Delegation",
    "DocumentKind",
    "DocumentType",
    "DprdApproval",
    "DprdReviewNote",
    "EndReason",
    "Kind",
    "KsddNature",
    "KsdpkType",
    "NumberSeries",
    "Office",
    "OfficialDocument",
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
