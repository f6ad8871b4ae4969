from django.db import migrations

# PostgreSQL only: each agreement's search document as a stored tsvector, computed by the
# database on every insert and update (a generated column, unknown to the ORM, which never writes
# it), with the GIN index behind full-text search (registry/search.py) on that column instead of
# on the expression. Matching a row against a query then reads its vector instead of parsing its
# text again: the planner's walk down the newest-first index, filtering as it goes, costs a tenth
# of what it did, and it can weigh it fairly against the GIN index.
COLUMN = (
    "ALTER TABLE registry_agreement ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('indonesian'::regconfig, COALESCE(search_document, ''))) STORED"
)
CREATE = "CREATE INDEX IF NOT EXISTS agreement_search_gin ON registry_agreement USING gin (search_vector)"
DROP = "DROP INDEX IF EXISTS agreement_search_gin"
# Migration 0004's index, on the expression.
EXPRESSION_INDEX = (
    "CREATE INDEX IF NOT EXISTS agreement_search_gin ON registry_agreement "
    "USING gin (to_tsvector('indonesian'::regconfig, COALESCE(search_document, '')))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
        schema_editor.execute(COLUMN)
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
        schema_editor.execute("ALTER TABLE registry_agreement DROP COLUMN IF EXISTS search_vector")
        schema_editor.execute(EXPRESSION_INDEX)


class Migration(migrations.Migration):
    dependencies = [("registry", "0027_work_queue_and_attention_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
