"""Monitoring data: notifications, monthly implementation reports, annual evaluations,
reminders and the state of the daily scan.

The rules (which period is owed, when a report is overdue, what counts as dormant) live in
monitoring/periods.py and monitoring/selectors.py; the writes in monitoring/services.py,
monitoring/evaluations.py and monitoring/reminders.py.
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kerjasama.choices import ChoiceLabels
from kerjasama.validators import validate_plausible_date


class Notification(ChoiceLabels, models.Model):
    class EmailState(models.TextChoices):
        NONE = "none", _("No e-mail")
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Waiting for the recipient's daily digest (NotificationPreference.Email.DIGEST).
        DIGEST = "digest", _("In the daily digest")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    # A path inside the app ("/registry/agreements/12/"), shown as a link.
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(_("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.NONE)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    # The reminder this notification delivers, if it is one (monitoring/reminders.py).
    reminder = models.OneToOneField(
        "Reminder", on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )
    # The handoff this notification tells of ("proposal_submitted:12:…", monitoring/handoffs.py):
    # with the recipient, unique, so that a retried action never notifies twice.
    event_key = models.CharField(max_length=120, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"],
                condition=~models.Q(event_key=""),
                name="notification_event_once",
            ),
        ]
        indexes = [
            # The navigation badge and the notification list: a user's unread ones, newest first.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
            # A user's latest notifications, read or not (the home page's card and the list), in order.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recent"),
            # The sweeper that re-queues e-mails never confirmed sent.
            models.Index(
                fields=["email_state", "created_at"],
                name="notification_email_due",
                condition=models.Q(email_state__in=["pending", "sending"]),
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(ChoiceLabels, models.Model):
    """How a user wants their notifications e-mailed; without a row, each one at once."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("Each notification at once")
        DIGEST = "digest", _("One daily digest at 07.00")
        OFF = "off", _("No e-mail (in the application only)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(_("e-mail"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user} · {self.get_email_display()}"


# --- monthly implementation reports -------------------------------------------------------------


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


# A period counts as reported while its report waits for review or has been accepted; a
# returned report must be filed again and the period is owed until then.
FILED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class ImplementationReport(ChoiceLabels, models.Model):
    """The monthly implementation report of one agreement (laporan pelaksanaan, seed 003)."""

    agreement = models.ForeignKey(
        "registry.Agreement",
        on_delete=models.PROTECT,
        related_name="implementation_reports",
        verbose_name=_("agreement"),
    )
    # The first day of the month reported on.
    period = models.DateField(_("period"), validators=[validate_plausible_date])
    activities = models.TextField(_("activities carried out"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    budget_realised = models.DecimalField(
        _("budget realised (Rp)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    outputs = models.TextField(_("outputs and benefits"))
    obstacles = models.TextField(_("obstacles"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED, editable=False
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    review_note = models.TextField(_("review notes"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "period"], name="report_once_per_period"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_at_most_100"),
        ]
        indexes = [
            # The TKKSD's review queue (reports waiting, oldest period first) and the status filter.
            models.Index(fields=["status", "period"], name="report_review_queue"),
            # The report list's order: newest month first, then the latest filed.
            models.Index(fields=["-period", "-submitted_at", "-id"], name="report_recent"),
            # The latest change to any report: whether the dashboard's stored figures still hold.
            models.Index(fields=["-updated_at"], name="report_changed"),
        ]
        ordering = ["-period", "-pk"]
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")

    def __str__(self):
        return f"{self.agreement_id} · {self.period:%Y-%m}"

    def get_absolute_url(self):
        return reverse("monitoring:report_detail", args=[self.pk])

    @property
    def is_filed(self) -> bool:
        return self.status in FILED_STATUSES


class ReportEvent(ChoiceLabels, models.Model):
    """An append-only line of a report's history: filed, revised, accepted, returned."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Filed")
        REVISED = "revised", _("Revised and filed again")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for revision")

    report = models.ForeignKey(ImplementationReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self):
        return f"{self.report_id} {self.action}"


def evidence_upload_to(instance, filename):
    # Never the user's file name on disk; the extension follows the detected content type.
    extension = EVIDENCE_EXTENSIONS.get(instance.content_type, "bin")
    return f"monitoring/reports/{instance.report_id}/{uuid.uuid4().hex}.{extension}"


EVIDENCE_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class ReportAttachment(models.Model):
    """Evidence filed with a report: a PDF or a photo, checked by its content."""

    report = models.ForeignKey(ImplementationReport, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=evidence_upload_to)
    content_type = models.CharField(_("content type"), max_length=30, editable=False)
    original_name = models.CharField(_("original file name"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("monitoring:attachment_download", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


# --- annual evaluation (monev) ---------------------------------------------------------------------


class Score(models.IntegerChoices):
    """The scale of every criterion of the annual evaluation (seeds 002 and 004)."""

    VERY_POOR = 1, _("Very poor")
    POOR = 2, _("Poor")
    FAIR = 3, _("Fair")
    GOOD = 4, _("Good")
    VERY_GOOD = 5, _("Very good")


class Recommendation(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    EXTEND = "extend", _("Extend (perpanjangan)")
    REVISE = "revise", _("Revise (addendum)")
    STOP = "stop", _("Stop")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class EvaluationQuerySet(models.QuerySet):
    def final(self):
        return self.filter(status=EvaluationStatus.FINAL)

    def latest_final(self):
        """The most recent final evaluation, or None (the agreement page shows its recommendation:
        only the fields it prints are read)."""
        return self.final().only("pk", "agreement_id", "year", "recommendation").order_by("-year", "-pk").first()


class Evaluation(ChoiceLabels, models.Model):
    """The TKKSD's annual evaluation of one agreement: four scores, a SWOT and a recommendation."""

    agreement = models.ForeignKey(
        "registry.Agreement", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("agreement")
    )
    year = models.PositiveSmallIntegerField(_("year evaluated"))
    effectiveness = models.PositiveSmallIntegerField(_("effectiveness"), choices=Score.choices)
    efficiency = models.PositiveSmallIntegerField(_("efficiency"), choices=Score.choices)
    benefit = models.PositiveSmallIntegerField(_("benefit"), choices=Score.choices)
    compliance = models.PositiveSmallIntegerField(_("compliance with the PKS"), choices=Score.choices)
    strengths = models.TextField(_("strengths"))
    weaknesses = models.TextField(_("weaknesses"))
    opportunities = models.TextField(_("opportunities"))
    threats = models.TextField(_("threats"))
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices)
    conclusion = models.TextField(_("conclusion and reasons"))
    status = models.CharField(
        _("status"),
        max_length=5,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
        editable=False,
    )
    # Every printed value of the evaluation report, frozen when the evaluation is made final.
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    finalised_at = models.DateTimeField(_("made final at"), null=True, blank=True, editable=False)
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="evaluation_once_per_year"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                    name=f"evaluation_{field}_on_scale",
                )
                for field in ("effectiveness", "efficiency", "benefit", "compliance")
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(snapshot__isnull=False),
                name="evaluation_final_has_snapshot",
            ),
        ]
        indexes = [
            # The evaluation list of a year and the "not yet evaluated" anti-join.
            models.Index(fields=["year", "status"], name="evaluation_year"),
        ]
        ordering = ["-year", "-pk"]
        verbose_name = _("annual evaluation")
        verbose_name_plural = _("annual evaluations")

    def __str__(self):
        return f"{self.agreement_id} · {self.year}"

    def get_absolute_url(self):
        return reverse("monitoring:evaluation_detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status == EvaluationStatus.FINAL

    @property
    def scores(self) -> list[int]:
        return [self.effectiveness, self.efficiency, self.benefit, self.compliance]

    @property
    def average(self) -> Decimal:
        return average_of(self.scores)

    @property
    def rating(self) -> Score:
        return rating_of(self.average)


def average_of(scores) -> Decimal:
    """The mean of the scores, to two decimals."""
    return (Decimal(sum(scores)) / Decimal(len(scores))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rating_of(average: Decimal) -> Score:
    """The word on the scale nearest to an average (3.50 reads "Good", 3.49 "Fair")."""
    return Score(int(average.quantize(Decimal("1"), rounding=ROUND_HALF_UP)))


# --- the OPD's own evaluations ---------------------------------------------------------------------------


class OpdEvaluation(models.Model):
    """The lead OPD's own evaluation of a running agreement, EVALUATIONS_PER_YEAR times a year
    (domain.md §7, Kota Yogyakarta practice): progress against the PKS, obstacles, follow-up. It
    feeds the TKKSD's annual evaluation (monitoring/opd_evaluations.py)."""

    agreement = models.ForeignKey(
        "registry.Agreement", on_delete=models.PROTECT, related_name="opd_evaluations", verbose_name=_("agreement")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # 1..EVALUATIONS_PER_YEAR: the part of the year evaluated (1 and 2 are the semesters by default).
    part = models.PositiveSmallIntegerField(_("part of the year"))
    progress = models.TextField(_("progress against the PKS"))
    obstacles = models.TextField(_("obstacles"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year", "part"], name="opd_evaluation_once_per_part"),
        ]
        indexes = [
            # The OPD's list and the TKKSD's annual evaluation: an agreement's evaluations of a year.
            models.Index(fields=["agreement", "year", "part"], name="opd_evaluation_of_year"),
        ]
        ordering = ["-year", "-part", "-pk"]
        verbose_name = _("OPD evaluation")
        verbose_name_plural = _("OPD evaluations")

    def __str__(self):
        return f"{self.agreement_id} · {self.year}/{self.part}"

    def get_absolute_url(self):
        return reverse("monitoring:opd_evaluation_edit", args=[self.pk])


# --- reminders ----------------------------------------------------------------------------------------


class ReminderKind(models.TextChoices):
    EXPIRY = "expiry", _("Agreement expiring")
    REPORT_DUE = "report_due", _("Implementation report due")
    REPORT_OVERDUE = "report_overdue", _("Implementation report overdue")
    KB_WITHOUT_PKS = "kb_without_pks", _("Kesepakatan Bersama without a PKS")
    DPRD_DEADLINE = "dprd_deadline", _("DPRD deadline approaching")
    DPRD_OVERDUE = "dprd_overdue", _("DPRD deadline passed")
    DPRD_RECEIPT = "dprd_receipt", _("DPRD receipt not recorded")
    OPD_EVALUATION_DUE = "opd_eval_due", _("OPD evaluation due")
    OPD_EVALUATION_OVERDUE = "opd_eval_overdue", _("OPD evaluation overdue")
    PLENARY = "plenary", _("TKKSD plenary upcoming")
    SIGNATURE_WAITING = "signature_waiting", _("Issued document not yet signed")


class Reminder(ChoiceLabels, models.Model):
    """One reminder for one recipient about one subject, for one threshold and due date.

    The row is written by the daily scan before anything is sent; the uniqueness constraint
    makes a re-run, a retry or a caught-up day insert nothing new, and `sent_at`, set in the
    transaction that creates the notification, makes the sending happen once.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    # Days before the due date at which it goes out; negative once the date has passed.
    threshold = models.SmallIntegerField(_("days before the due date"))
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField(_("due date"))
    # The text, written in the scan so that sending needs nothing but this row.
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set in the transaction that creates its notification (Notification.reminder).
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "threshold", "subject_type", "subject_id", "recipient", "due_date"],
                name="reminder_once",
            ),
        ]
        indexes = [
            # The sender: reminders written but not yet sent, oldest first.
            models.Index(fields=["created_at"], name="reminder_unsent", condition=models.Q(sent_at__isnull=True)),
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.kind} {self.threshold} {self.due_date} → {self.recipient_id}"


class ScanState(models.Model):
    """The last day a scan has covered, so that the next run starts the day after."""

    name = models.CharField(max_length=50, unique=True)
    last_scanned_on = models.DateField()
    last_run_at = models.DateTimeField()

    class Meta:
        verbose_name = _("scan state")
        verbose_name_plural = _("scan states")

    def __str__(self):
        return f"{self.name}: {self.last_scanned_on}"


class CalendarFeed(models.Model):
    """The secret address of a user's iCal feed; a new token makes the old address useless."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user_id}"


class DashboardSnapshot(models.Model):
    """The dashboard's figures for one scope ("all", or "opd-<pk>" for an OPD's PPKSD), so that
    opening the dashboard reads one row instead of aggregating every agreement. Read only while
    no agreement, report or DPRD request has changed since it was computed (its `basis`);
    overwritten on each refresh."""

    scope = models.CharField(max_length=30, unique=True)
    day = models.DateField()
    computed_at = models.DateTimeField()
    data = models.JSONField(encoder=DjangoJSONEncoder)
    # The latest change to the data the figures were computed from, read before computing them
    # (monitoring.dashboard.changes): the snapshot holds while the data's latest change is the same.
    basis = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self):
        return f"{self.scope} ({self.computed_at:%Y-%m-%d %H:%M})"
