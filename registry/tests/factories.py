import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from registry import services
from registry.models import (
    OPD,
    Agreement,
    Kind,
    KsddNature,
    KsdpkType,
    Partner,
    PartnerKind,
    PemdaProfile,
    Regency,
    Urusan,
    User,
    partner_name_key,
)


class OPDFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OPD
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    abbreviation = factory.Sequence(lambda n: f"DC{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.go.id")
    password = factory.django.Password("password")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get_or_create(name=role)[0] for role in extracted])


class PemdaProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PemdaProfile
        django_get_or_create = ["id"]

    id = 1
    regency = factory.LazyFunction(lambda: Regency.objects.get(code="34.04"))
    capital = "Sleman"
    head_name = "Harjono Prawiro"
    head_decree_name = "HARJONO PRAWIRO"
    # A stand-in for the Garuda Pancasila image the Admin uploads (decrees cannot be issued without it).
    garuda_emblem = factory.django.ImageField(filename="garuda.png", format="PNG", width=120, height=130, color="gold")
    secretary_name = "Bambang Wicaksono"
    secretary_nip = "196905171994031006"
    address = "Jalan Parasamya Nomor 1, Beran, Tridadi, Sleman"


def make_partner(name="PT Contoh Mitra Sejahtera", kind=PartnerKind.PRIVATE_COMPANY, **fields):
    partner, _created = Partner.objects.get_or_create(
        kind=kind, name_key=partner_name_key(name), defaults={"name": name, **fields}
    )
    return partner


def region_partner(code="34.71"):
    regency = Regency.objects.get(code=code)
    partner = Partner.objects.filter(regency=regency).first()
    if partner:
        return partner
    return Partner.objects.create(
        kind=PartnerKind.REGION, regency=regency, province=regency.province, name=f"Pemerintah {regency.name}"
    )


def make_agreement(actor, *, kind=Kind.KSDD, opd=None, partners=None, stage=None, **fields):
    """File an agreement through the service, at its first stage unless `stage` is given."""
    defaults = {
        "title": "Pengelolaan Sampah Regional",
        "object": "Pengelolaan sampah bersama di TPST regional.",
        "urusan": Urusan.objects.get(code="2.11"),
        "lead_opd": opd or OPDFactory(),
        "ksdd_nature": KsddNature.WAJIB if kind == Kind.KSDD else "",
        "ksdpk_type": KsdpkType.PELAYANAN_PUBLIK if kind == Kind.KSDPK else "",
        "rpjmd_reference": "RPJMD 2025-2029 Misi 4, Program Pengelolaan Persampahan",
    }
    defaults.update(fields)
    agreement = Agreement(kind=kind, **defaults)
    if partners is None:
        partners = [region_partner()] if kind in (Kind.KSDD,) else [make_partner()]
    return services.create_agreement(agreement, actor=actor, partners=partners, stage=stage)


def pdf_bytes(title="Dokumen") -> bytes:
    from registry.demo_agreements import demo_pdf

    return demo_pdf(title)


def pdf_upload(name="dokumen.pdf", title="Dokumen"):
    return SimpleUploadedFile(name, pdf_bytes(title), content_type="application/pdf")


def upload(agreement, actor, doc_type, *, signed=False, complete=True, numbers=True):
    return services.upload_document(
        agreement,
        actor=actor,
        upload=services.DocumentUpload(
            doc_type=doc_type,
            file=pdf_upload(f"{doc_type}.pdf"),
            is_signed=signed,
            # Each agreement's own numbers: the register refuses a number another one carries.
            number=f"100.3.3/{agreement.pk:03d}/KS/2026" if signed and numbers else "",
            partner_number=f"415.4/{agreement.pk}/2026" if signed and numbers else "",
            has_paraf=signed and complete,
            has_materai=signed and complete,
            has_stempel=signed and complete,
        ),
    )
