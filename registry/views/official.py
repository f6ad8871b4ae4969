"""Official documents: list, draft editing, preview, issuing, voiding, downloads; the TKKSD's
membership; and the public verification page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kerjasama.concurrency import StaleEdit
from kerjasama.ratelimits import too_many_requests, verification_limited
from kerjasama.validators import cleaned_or_problem
from registry.official.pdf import pdf_response

from .. import dprd, official
from ..errors import AlreadyDone
from ..forms import DraftForm, ElectronicSignatureForm, IssueForm, TkksdMemberForm, VerificationUploadForm
from ..models import OfficialDocument, RenderJob, TkksdMember
from ..official import signed
from ..pagination import page_of
from ..roles import Role, role_required

READERS = (Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.DPRD)


def _document_for(user, pk) -> OfficialDocument:
    return official.get_document_for(user, pk)


@role_required(*READERS)
def official_list(request):
    documents = official.documents_visible_to(request.user).order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status in OfficialDocument.Status.values:
        documents = documents.filter(status=status)
    page = page_of(documents, request.GET.get("page"))
    return render(
        request,
        "registry/official_list.html",
        {"page": page, "status": status, "statuses": OfficialDocument.Status.choices, "query": f"status={status}"},
    )


@role_required(*READERS)
def official_detail(request, pk):
    document = _document_for(request.user, pk)
    user = request.user
    job = document.render_jobs.first()
    file_problem = None
    if document.is_rendered:
        state = official.check_file(document)
        file_problem = None if state == official.FileState.INTACT else state
    return render(
        request,
        "registry/official_detail.html",
        {
            "document": document,
            "job": job,
            "render": None if document.is_draft else official.render_status(document),
            "file_problem": file_problem,
            "can_rerender": official.can_rerender(user, document),
            "issuers": official.issuers_of(document) if document.is_draft else None,
            "missing_emblem": official.missing_emblem(document) if document.is_draft else None,
            "issue_form": IssueForm(series=document.series) if official.can_issue(user, document) else None,
            "can_edit": official.can_edit(user, document),
            "can_issue": official.can_issue(user, document),
            "can_void": official.can_void(user, document),
            "waiting_request": dprd.waiting_on(document) if document.in_force else None,
            "can_correct": official.can_correct(user, document),
            "large": official.is_large(document),
            "corrections": document.corrections.all(),
            "verification_url": official.verification_url(document),
            "can_record_wet_signature": signed.can_record_wet_signature(user, document),
            "sign_form": ElectronicSignatureForm() if signed.can_sign_electronically(user, document) else None,
        },
    )


@role_required(Role.TKKSD, Role.ADMIN)
def official_edit(request, pk):
    document = _document_for(request.user, pk)
    if not official.can_edit(request.user, document):
        raise PermissionDenied
    form = DraftForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        try:
            official.update_draft(
                document,
                actor=request.user,
                title=form.cleaned_data["title"],
                data=form.draft_data(),
                paper=form.cleaned_data["paper"],
                edition=form.edition,
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except official.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect(document)
    return render(request, "registry/official_form.html", {"document": document, "form": form})


@role_required(*READERS)
def official_preview(request, pk):
    document = _document_for(request.user, pk)
    if not document.is_draft:
        return redirect("registry:official_download", pk=document.pk)
    if official.is_large(document):
        official.request_preview(document)
        messages.info(request, _("The preview is being prepared; this page shows its progress."))
        return redirect(document)
    try:
        content = official.preview_pdf(document)
    except official.ServiceError as error:
        messages.error(request, error.message)
        return redirect(document)
    return pdf_response(f"DRAF {document.title}.pdf", content)


@require_POST
@role_required(Role.TKKSD, Role.PIMPINAN)
def official_issue(request, pk):
    document = _document_for(request.user, pk)
    form = IssueForm(request.POST, series=document.series)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(document)
    try:
        issued = official.issue_document(document, actor=request.user, **form.issue_arguments())
    except AlreadyDone as done:
        messages.info(request, done.message)
    except official.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Issued as number %(number)s.") % {"number": issued.number})
    return redirect(document)


@require_POST
@role_required(Role.TKKSD, Role.ADMIN)
def official_rerender(request, pk):
    document = _document_for(request.user, pk)
    try:
        official.rerender(document, actor=request.user)
    except official.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The document is being rendered again."))
    return redirect(document)


class VoidForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


@require_POST
@role_required(Role.TKKSD, Role.PIMPINAN)
def official_void(request, pk):
    document = _document_for(request.user, pk)
    values, problem = cleaned_or_problem(VoidForm(request.POST))
    if problem:
        messages.error(request, problem)
        return redirect(document)
    try:
        official.void_document(document, actor=request.user, reason=values["reason"])
    except AlreadyDone as done:
        messages.info(request, done.message)
    except official.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The document has been voided; its number stays recorded."))
    return redirect(document)


@require_POST
@role_required(Role.TKKSD, Role.ADMIN)
def official_correct(request, pk):
    document = _document_for(request.user, pk)
    try:
        correction = official.create_correction(document, actor=request.user)
    except official.ServiceError as error:
        messages.error(request, error.message)
        return redirect(document)
    messages.success(request, _("A correcting draft has been created."))
    return redirect(correction)


@role_required(*READERS)
def official_download(request, pk):
    document = _document_for(request.user, pk)
    if not document.is_rendered:
        messages.info(request, _("The PDF is still being rendered."))
        return redirect(document)
    return serve_stored(request, document, official.read_issued, f"{document.number} {document.title}.pdf")


def serve_stored(request, document, read, filename: str):
    """A stored file of `document` read by `read` (checked against its SHA-256), as a download; a
    missing or damaged file gives its own page (`_file_error`)."""
    try:
        content = read(document)
    except official.DocumentFileError as error:
        return _file_error(request, document, error)
    return pdf_response(filename.replace("/", "-"), content)


def _file_error(request, document, error):
    """A clear page for a stored file that is missing or damaged (never a 500)."""
    status = 404 if error.state == official.FileState.MISSING else 409
    return render(
        request, "registry/official_file_error.html", {"document": document, "error": error.message}, status=status
    )


@role_required(*READERS)
def render_progress(request, pk):
    """The progress bar of a render job (polled by htmx while it runs)."""
    job = get_object_or_404(
        RenderJob.objects.select_related("document"), pk=pk, document__in=official.documents_visible_to(request.user)
    )
    return render(request, "registry/_render_progress.html", {"job": job, "document": job.document})


@role_required(*READERS)
def render_download(request, pk):
    job = get_object_or_404(
        RenderJob.objects.select_related("document"),
        pk=pk,
        purpose=RenderJob.Purpose.PREVIEW,
        state=RenderJob.State.DONE,
        document__in=official.documents_visible_to(request.user),
    )
    try:
        stored = job.file.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(stored, filename=f"DRAF {job.document.title}.pdf", content_type="application/pdf")


# --- TKKSD membership ----------------------------------------------------------------------------------


@role_required(Role.TKKSD, Role.PIMPINAN, Role.ADMIN)
def tkksd_members(request):
    can_manage = official.can_draft(request.user)
    form = TkksdMemberForm(request.POST or None, actor=request.user) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            official.add_tkksd_member(form.save(commit=False), actor=request.user)
            messages.success(request, _("The member has been added."))
            return redirect("registry:tkksd_members")
    members = TkksdMember.objects.select_related("opd").order_by("order", "pk")
    return render(request, "registry/tkksd_members.html", {"members": members, "form": form, "can_manage": can_manage})


@role_required(Role.TKKSD, Role.ADMIN)
def tkksd_member_edit(request, pk):
    member = get_object_or_404(TkksdMember, pk=pk)
    form = TkksdMemberForm(request.POST or None, instance=member, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            official.update_tkksd_member(member, actor=request.user, changes=form.model_changes(), edition=form.edition)
        except StaleEdit as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, _("The member has been saved."))
            return redirect("registry:tkksd_members")
    return render(request, "registry/tkksd_member_form.html", {"form": form, "member": member})


@require_POST
@role_required(Role.TKKSD, Role.ADMIN)
def tkksd_decree(request):
    try:
        document = official.draft_tkksd_decree(actor=request.user)
    except official.ServiceError as error:
        messages.error(request, error.message)
        return redirect("registry:tkksd_members")
    messages.success(request, _("The draft decree on the TKKSD has been prepared."))
    return redirect(document)


# --- public verification -------------------------------------------------------------------------------


def verify_lookup(request):
    """Public: type the code printed beside the QR code."""
    code = request.GET.get("kode", "")
    if code and verification_limited(request):
        return too_many_requests(request)
    if code:
        document = official.find_by_code(code)
        if document:
            return redirect("verify_document", code=document.verification_code)
    return render(
        request, "registry/verify_lookup.html", {"code": code, "not_found": bool(code)}, status=404 if code else 200
    )


def verify_document(request, code):
    """Public: what an issued document is, and whether an uploaded PDF is byte-identical to it."""
    if request.method == "POST" and verification_limited(request):
        return too_many_requests(request)
    document = official.find_by_code(code)
    if document is None:
        return render(request, "registry/verify_lookup.html", {"code": code, "not_found": True}, status=404)
    form = VerificationUploadForm(request.POST or None, request.FILES or None)
    result = report = None
    facts = official.public_facts(document)
    if request.method == "POST" and form.is_valid() and facts["rendered"]:
        result, report = signed.compare_copy(document, form.cleaned_data["file"].read())
    return render(
        request,
        "registry/verify_document.html",
        {"facts": facts, "form": form, "result": result, "report": report, "code": document.verification_code},
    )
