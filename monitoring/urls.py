from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("notifikasi/", views.notification_list, name="notification_list"),
    path("notifikasi/<int:pk>/buka/", views.notification_open, name="notification_open"),
    path("notifikasi/baca-semua/", views.notification_read_all, name="notification_read_all"),
]
