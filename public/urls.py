from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("kerja-sama/<str:register_number>/", views.agreement_detail, name="agreement_detail"),
    path("dokumen/<int:pk>/", views.document, name="document"),
    path("data/", views.open_data, name="open_data"),
    path("data/kerja-sama.csv", views.data_csv, name="data_csv"),
    path("data/kerja-sama.json", views.data_json, name="data_json"),
    path("data/datapackage.json", views.datapackage, name="datapackage"),
]
