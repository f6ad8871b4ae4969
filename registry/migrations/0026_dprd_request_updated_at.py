import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0025_user_history_and_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="dprdapproval",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name="updated at"),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="dprdapproval",
            index=models.Index(fields=["-updated_at"], name="dprd_changed"),
        ),
    ]
