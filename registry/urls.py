from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("opd/", views.opd_list, name="opd_list"),
    path("opd/<int:pk>/", views.opd_detail, name="opd_detail"),
    path("profil-pemda/", views.pemda_profile, name="pemda_profile"),
    path("profil-pemda/logo/", views.pemda_logo, name="pemda_logo"),
]
