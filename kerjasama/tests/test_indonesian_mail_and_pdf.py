"""Every e-mail (notifications, the daily digest, reminders, the document check, password resets)
and every printed PDF (its text and its metadata) is Indonesian: no string of the English
catalogue, whatever language the person whose action sent or printed it was using.

The English catalogue is the one of test_indonesian_only; messages with placeholders count too,
their placeholders matching any text ("Dear %(name)s," finds "Dear Rina Kusumawati,")."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from kerjasama.tests.test_indonesian_only import ROOT, catalogue, english_only_strings

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def english_patterns() -> list[re.Pattern]:
    """The English catalogue's phrases as patterns: whole words, placeholders matching any text."""
    indonesian = {e.msgid: e.msgstr for e in catalogue(ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po")}
    texts = set(english_only_strings())
    for entry in catalogue(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"):
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            text = " ".join(msgid.split())
            literal = PLACEHOLDER.sub(" ", text)
            # Two English words or more besides the placeholders, and not the same in Indonesian.
            if PLACEHOLDER.search(text) and len(literal.split()) >= 2 and indonesian.get(msgid) != msgid:
                texts.add(text)
    patterns = []
    for text in texts:
        parts = [re.escape(part) for part in PLACEHOLDER.split(text)]
        body = r".+?".join(parts).replace(r"\ ", r"\s+")
        patterns.append(re.compile(rf"(?<!\w){body}(?!\w)"))
    return patterns


def english_in(text: str, patterns) -> list[str]:
    text = " ".join(text.split())
    return [pattern.pattern for pattern in patterns if pattern.search(text)]


@pytest.fixture(scope="module")
def patterns():
    return english_patterns()


def test_the_check_finds_english_with_and_without_placeholders(patterns):
    assert english_in("Dear Rina Kusumawati,", patterns)
    assert english_in("Choose how you want to receive e-mail.", patterns)
    assert not english_in("Yth. Rina Kusumawati, laporan bulan Oktober 2026 telah diterima.", patterns)


@pytest.mark.django_db(transaction=True)
def test_every_email_is_indonesian_whatever_the_actors_language(client, patterns):
    from monitoring import documents, reminders, services
    from monitoring.models import Notification, NotificationPreference
    from registry.models import OfficialDocument, User

    mail.outbox = []
    # The demo Pemda is built by people using the English interface: their actions notify others.
    with translation.override("en"):
        call_command("seed_demo", verbosity=0)
        digest_user = User.objects.get(username="tkksd")
        services.set_email_preference(digest_user, NotificationPreference.Email.DIGEST)
        kept = Notification.objects.filter(recipient=digest_user).values_list("pk", flat=True)[:5]
        Notification.objects.filter(pk__in=list(kept)).update(email_state=Notification.EmailState.DIGEST)
        assert services.send_digests() == 1
        reminders.run_daily(timezone.localdate() + timedelta(days=45))
        issued = OfficialDocument.objects.exclude(sha256="").first()
        OfficialDocument.objects.filter(pk=issued.pk).update(sha256="0" * 64)
        assert documents.report_damaged_documents() >= 1
    user = User.objects.filter(is_active=True).exclude(email="").first()
    client.cookies["django_language"] = "en"
    # The middleware activates the page's language in this thread; the override puts it back after.
    with translation.override("id"):
        assert client.post(reverse("password_reset"), {"email": user.email}).status_code == 302

    subjects = [message.subject for message in mail.outbox]
    assert any(subject.startswith("[Kerja Sama]") for subject in subjects)
    assert any("Sandi baru" in subject or "sandi" in subject.lower() for subject in subjects), subjects
    assert any("Pemeriksaan dokumen" in subject for subject in subjects), subjects
    assert len(mail.outbox) >= 10
    problems = {
        (message.subject, found)
        for message in mail.outbox
        for found in english_in(f"{message.subject}\n{message.body}", patterns)
    }
    assert sorted(problems) == []


def pdf_kinds():
    """(name, bytes) of every kind of printed document, from the demo Pemda."""
    from monitoring import evaluations, periodic
    from monitoring.models import Evaluation
    from registry import official
    from registry.models import OfficialDocument, User

    for kind in ("keputusan", "berita_acara", "surat"):
        document = OfficialDocument.objects.filter(kind=kind).first()
        assert document is not None, kind
        yield kind, official.preview_pdf(document)
    for evaluation in (
        Evaluation.objects.filter(status="final").first(),
        Evaluation.objects.exclude(status="final").first(),
    ):
        if evaluation is not None:
            yield f"evaluation-{evaluation.status}", evaluations.report_pdf(evaluation)
    year = timezone.localdate().year
    tkksd = User.objects.get(username="tkksd")
    report = periodic.draft_letter(periodic.Period(year, periodic.Part.FIRST), actor=tkksd)
    yield "periodic", official.preview_pdf(report)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_printed_document_and_its_metadata_is_indonesian(language, patterns):
    call_command("seed_demo", verbosity=0)
    problems, kinds = [], []
    with translation.override(language):
        for kind, content in pdf_kinds():
            kinds.append(kind)
            reader = PdfReader(io.BytesIO(content))
            metadata = {key: str(value) for key, value in (reader.metadata or {}).items()}
            assert metadata.get("/Title") and metadata.get("/Author"), (kind, metadata)
            xmp = reader.xmp_metadata.stream.get_data().decode() if reader.xmp_metadata else ""
            text = " ".join(page.extract_text().replace("\u2010\n", "") for page in reader.pages)
            for where, value in [*metadata.items(), ("xmp", re.sub(r"<[^>]+>", " ", xmp)), ("text", text)]:
                problems += [(kind, where, found) for found in english_in(value, patterns)]
    assert {"keputusan", "berita_acara", "surat", "periodic"} <= set(kinds)
    assert any(kind.startswith("evaluation") for kind in kinds)
    assert problems == []
