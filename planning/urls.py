from django.urls import path

from .views import cycles, plenary, proposals

app_name = "planning"

urlpatterns = [
    path("", cycles.cycle_list, name="cycle_list"),
    path("siklus/baru/", cycles.cycle_create, name="cycle_create"),
    path("siklus/<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("siklus/<int:pk>/ubah/", cycles.cycle_edit, name="cycle_edit"),
    path("siklus/<int:pk>/sk/", cycles.programme_draft, name="programme_draft"),
    path("siklus/<int:pk>/sk/terbitkan/", cycles.programme_issue, name="programme_issue"),
    path("siklus/<int:pk>/pleno/baru/", plenary.plenary_create, name="plenary_create"),
    path("ppksd/", cycles.appointments, name="appointments"),
    path("ppksd/<int:pk>/akhiri/", cycles.appointment_end, name="appointment_end"),
    path("potensi/", proposals.potential_list, name="potential_list"),
    path("potensi/baru/", proposals.potential_create, name="potential_create"),
    path("potensi/<int:pk>/", proposals.potential_detail, name="potential_detail"),
    path("potensi/<int:pk>/ubah/", proposals.potential_edit, name="potential_edit"),
    path("usulan/", proposals.proposal_list, name="proposal_list"),
    path("usulan/baru/", proposals.proposal_create, name="proposal_create"),
    path("usulan/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("usulan/<int:pk>/ubah/", proposals.proposal_edit, name="proposal_edit"),
    path("usulan/<int:pk>/ajukan/", proposals.proposal_submit, name="proposal_submit"),
    path("usulan/<int:pk>/kembalikan/", proposals.proposal_return, name="proposal_return"),
    path("pleno/<int:pk>/", plenary.plenary_detail, name="plenary_detail"),
    path("pleno/<int:pk>/ubah/", plenary.plenary_edit, name="plenary_edit"),
    path("pleno/<int:pk>/agenda/", plenary.agenda_add, name="agenda_add"),
    path("pleno/<int:pk>/agenda/<int:item_pk>/hapus/", plenary.agenda_remove, name="agenda_remove"),
    path("pleno/<int:pk>/keputusan/", plenary.decision_record, name="decision_record"),
    path("pleno/<int:pk>/kehadiran/", plenary.attendance_record, name="attendance_record"),
    path("pleno/<int:pk>/tamu/", plenary.guest_add, name="guest_add"),
    path("pleno/<int:pk>/tamu/<int:attendee_pk>/hapus/", plenary.guest_remove, name="guest_remove"),
    path("pleno/<int:pk>/tutup/", plenary.plenary_close, name="plenary_close"),
]
