from django.db import migrations
from django.db.models import DateField, OuterRef, Subquery


def backfill_last_report_period(apps, schema_editor):
    """The month of each agreement's latest accepted report, as monitoring.services.refresh_last_report keeps it."""
    Agreement = apps.get_model("registry", "Agreement")
    ImplementationReport = apps.get_model("monitoring", "ImplementationReport")
    latest = (
        ImplementationReport.objects.filter(agreement=OuterRef("pk"), status="accepted")
        .order_by("-period")
        .values("period")[:1]
    )
    Agreement.objects.update(last_report_period=Subquery(latest, output_field=DateField()))


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0009_signature_waiting_reminder"),
        ("registry", "0024_attention_dates"),
    ]

    operations = [migrations.RunPython(backfill_last_report_period, migrations.RunPython.noop)]
