from django.db import migrations

# PostgreSQL only: the GIN index behind full-text search (registry/search.py), on the expression
# search.py filtered on then. Migration 0028 moved it to a stored vector.
CREATE = (
    "CREATE INDEX IF NOT EXISTS agreement_search_gin ON registry_agreement "
    "USING gin (to_tsvector('indonesian'::regconfig, COALESCE(search_document, '')))"
)
DROP = "DROP INDEX IF EXISTS agreement_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_agreements")]

    operations = [migrations.RunPython(create, drop)]
