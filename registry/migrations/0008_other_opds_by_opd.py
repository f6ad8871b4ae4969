from django.db import migrations


class Migration(migrations.Migration):
    """The agreements an OPD takes part in, read from the index alone: every page of a PPKSD asks
    for them (registry.selectors.agreements_visible_to). The table is Django's own for
    Agreement.other_opds, whose index on opd_id alone sends each lookup to the table's rows."""

    dependencies = [("registry", "0007_agreement_partner_names")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX agreement_other_opds_by_opd ON registry_agreement_other_opds (opd_id, agreement_id)",
            reverse_sql="DROP INDEX agreement_other_opds_by_opd",
        )
    ]
