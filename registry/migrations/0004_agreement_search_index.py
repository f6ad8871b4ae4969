from django.db import migrations

# PostgreSQL only: the GIN index behind full-text search (registry/search.py), since moved to a
# stored vector (migration 0028). The expression
# must stay identical to the one search.py filters on, or the planner will not use the index.
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
