from django.urls import path

from .views import agreements, documents, official, partners, reference

app_name = "registry"

urlpatterns = [
    path("opd/", reference.opd_list, name="opd_list"),
    path("opd/<int:pk>/", reference.opd_detail, name="opd_detail"),
    path("profil-pemda/", reference.pemda_profile, name="pemda_profile"),
    path("profil-pemda/logo/", reference.pemda_logo, name="pemda_logo"),
    path("kerja-sama/", agreements.agreement_list, name="agreement_list"),
    path("kerja-sama/baru/", agreements.agreement_create, name="agreement_create"),
    path("kerja-sama/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("kerja-sama/<int:pk>/ubah/", agreements.agreement_edit, name="agreement_edit"),
    path("kerja-sama/<int:pk>/riwayat/", agreements.agreement_history, name="agreement_history"),
    path("kerja-sama/<int:pk>/tahap/", agreements.agreement_advance, name="agreement_advance"),
    path("kerja-sama/<int:pk>/isi-pks/", agreements.pks_contents, name="pks_contents"),
    path("kerja-sama/<int:pk>/tindak-lanjut/", agreements.follow_up_create, name="follow_up_create"),
    path("kerja-sama/<int:pk>/dokumen/", documents.document_upload, name="document_upload"),
    path("kerja-sama/<int:pk>/dprd/permohonan/", documents.dprd_request, name="dprd_request"),
    path("dprd/permohonan/<int:pk>/keputusan/", documents.dprd_decision, name="dprd_decision"),
    path("dokumen/<int:pk>/", documents.document_download, name="document_download"),
    path("dokumen-resmi/", official.official_list, name="official_list"),
    path("dokumen-resmi/<int:pk>/", official.official_detail, name="official_detail"),
    path("dokumen-resmi/<int:pk>/ubah/", official.official_edit, name="official_edit"),
    path("dokumen-resmi/<int:pk>/pratinjau/", official.official_preview, name="official_preview"),
    path("dokumen-resmi/<int:pk>/terbitkan/", official.official_issue, name="official_issue"),
    path("dokumen-resmi/<int:pk>/batalkan/", official.official_void, name="official_void"),
    path("dokumen-resmi/<int:pk>/koreksi/", official.official_correct, name="official_correct"),
    path("dokumen-resmi/<int:pk>/unduh/", official.official_download, name="official_download"),
    path("render/<int:pk>/", official.render_progress, name="render_progress"),
    path("render/<int:pk>/unduh/", official.render_download, name="render_download"),
    path("tkksd/", official.tkksd_members, name="tkksd_members"),
    path("tkksd/<int:pk>/ubah/", official.tkksd_member_edit, name="tkksd_member_edit"),
    path("tkksd/sk/", official.tkksd_decree, name="tkksd_decree"),
    path("mitra/", partners.partner_list, name="partner_list"),
    path("mitra/baru/", partners.partner_create, name="partner_create"),
    path("mitra/<int:pk>/", partners.partner_detail, name="partner_detail"),
    path("mitra/<int:pk>/ubah/", partners.partner_edit, name="partner_edit"),
]
