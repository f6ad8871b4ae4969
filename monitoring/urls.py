from django.urls import path

from .views import evaluations, notifications, opd_evaluations, overview, reports

app_name = "monitoring"

urlpatterns = [
    path("notifikasi/", notifications.notification_list, name="notification_list"),
    path("notifikasi/<int:pk>/buka/", notifications.notification_open, name="notification_open"),
    path("notifikasi/baca-semua/", notifications.notification_read_all, name="notification_read_all"),
    path("notifikasi/pengaturan/", notifications.notification_settings, name="notification_settings"),
    path("dasbor/", overview.dashboard, name="dashboard"),
    path("perlu-perhatian/", overview.dormant_list, name="dormant_list"),
    path("laporan-berkala/", overview.periodic_report, name="periodic_report"),
    path("kalender/", overview.calendar_settings, name="calendar_settings"),
    path("kalender/baru/", overview.calendar_regenerate, name="calendar_regenerate"),
    # Public with the secret token in the address: calendar programs cannot log in.
    path("kalender/<str:token>.ics", overview.calendar_feed, name="calendar_feed"),
    path("laporan/", reports.report_list, name="report_list"),
    path("laporan/<int:pk>/", reports.report_detail, name="report_detail"),
    path("laporan/<int:pk>/ubah/", reports.report_edit, name="report_edit"),
    path("laporan/<int:pk>/tinjau/", reports.report_review, name="report_review"),
    path("lampiran/<int:pk>/", reports.attachment_download, name="attachment_download"),
    path("kerja-sama/<int:pk>/laporan/", reports.agreement_reports, name="agreement_reports"),
    path("kerja-sama/<int:pk>/laporan/baru/", reports.report_create, name="report_create"),
    path("kerja-sama/<int:pk>/evaluasi/baru/", evaluations.evaluation_create, name="evaluation_create"),
    path(
        "kerja-sama/<int:pk>/evaluasi-opd/",
        opd_evaluations.agreement_opd_evaluations,
        name="agreement_opd_evaluations",
    ),
    path("kerja-sama/<int:pk>/evaluasi-opd/baru/", opd_evaluations.opd_evaluation_create, name="opd_evaluation_create"),
    path("evaluasi-opd/<int:pk>/", opd_evaluations.opd_evaluation_edit, name="opd_evaluation_edit"),
    path("evaluasi/", evaluations.evaluation_list, name="evaluation_list"),
    path("evaluasi/<int:pk>/", evaluations.evaluation_detail, name="evaluation_detail"),
    path("evaluasi/<int:pk>/ubah/", evaluations.evaluation_edit, name="evaluation_edit"),
    path("evaluasi/<int:pk>/final/", evaluations.evaluation_finalise, name="evaluation_finalise"),
    path("evaluasi/<int:pk>/pdf/", evaluations.evaluation_pdf, name="evaluation_pdf"),
]
