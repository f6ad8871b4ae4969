from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kerjasama.concurrency import StaleEdit

from .. import selectors, services
from ..forms import PemdaProfileForm
from ..models import PemdaProfile
from ..roles import Role, role_required
from ..rows import opd_rows


@login_required
def opd_list(request):
    opds = selectors.opd_list(request.user)
    return render(request, "registry/opd_list.html", {"opds": opds, "rows_html": opd_rows(opds)})


@login_required
def opd_detail(request, pk):
    opd = selectors.get_opd_for(request.user, pk)
    return render(
        request,
        "registry/opd_detail.html",
        {"opd": opd, "liaison_officers": selectors.ppksd_of(opd)},
    )


@role_required(Role.ADMIN)
def pemda_profile(request):
    profile = PemdaProfile.current()
    form = PemdaProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_pemda_profile(actor=request.user, changes=form.model_changes(), edition=form.edition)
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The Pemda profile has been saved."))
            return redirect("registry:pemda_profile")
    return render(request, "registry/pemda_profile.html", {"form": form})


def pemda_logo(request):
    """The Pemda's logo, for the letterhead in the page header (public, like any letterhead)."""
    profile = PemdaProfile.current()
    if profile is None or not profile.logo:
        raise Http404
    return FileResponse(profile.logo.open("rb"))
