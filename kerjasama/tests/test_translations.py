"""Indonesian is the default language and its translation is complete."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_indonesian_translation_is_complete():
    catalogue = polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source():
    source = polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.mo"))
    compiled_ids = {entry.msgid: entry.msgstr for entry in compiled}
    for entry in source.translated_entries():
        if not entry.msgid_plural:
            assert compiled_ids.get(entry.msgid) == entry.msgstr, entry.msgid
