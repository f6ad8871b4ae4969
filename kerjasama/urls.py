from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from registry.views import official

from . import accounts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("antrian/jumlah/", views.work_queue_nav, name="work_queue_nav"),
    path("masuk/", accounts.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "akun/kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("akun/lupa-sandi/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("akun/lupa-sandi/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "akun/sandi-baru/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("akun/sandi-baru/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("registri/", include("registry.urls")),
    # Public: anyone holding a printed copy checks it here, without logging in.
    path("verifikasi/", official.verify_lookup, name="verify_lookup"),
    path("verifikasi/<str:code>/", official.verify_document, name="verify_document"),
    # Public: the register of signed agreements and its open data, without logging in.
    path("publik/", include("public.urls")),
    path("perencanaan/", include("planning.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns.append(path("_bench/", include("kerjasama.yardsticks")))

handler400 = "kerjasama.views.bad_request"
