from django.db import migrations

from registry import reference_data


def load(apps, schema_editor):
    reference_data.load_regions(apps.get_model("registry", "Province"), apps.get_model("registry", "Regency"))
    reference_data.load_urusan(apps.get_model("registry", "Urusan"))
    reference_data.ensure_role_groups(apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
