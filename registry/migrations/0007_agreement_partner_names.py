from django.db import migrations, models

SEPARATOR = " · "


def fill_partner_names(apps, schema_editor):
    """Fill the new column from the partners already linked (in one statement on PostgreSQL)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            """
            UPDATE registry_agreement AS agreement SET partner_names = linked.names
            FROM (
                SELECT link.agreement_id, string_agg(partner.name, %s ORDER BY partner.name, partner.id) AS names
                FROM registry_agreementpartner AS link
                JOIN registry_partner AS partner ON partner.id = link.partner_id
                GROUP BY link.agreement_id
            ) AS linked
            WHERE linked.agreement_id = agreement.id
            """,
            [SEPARATOR],
        )
        return
    Agreement = apps.get_model("registry", "Agreement")
    for agreement in Agreement.objects.prefetch_related("partners").iterator(chunk_size=2000):
        names = sorted((partner.name, partner.pk) for partner in agreement.partners.all())
        Agreement.objects.filter(pk=agreement.pk).update(partner_names=SEPARATOR.join(name for name, _ in names))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_dprd_queue"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreement",
            name="partner_names",
            field=models.TextField(blank=True, editable=False, verbose_name="partners"),
        ),
        migrations.RunPython(fill_partner_names, migrations.RunPython.noop, elidable=True),
    ]
