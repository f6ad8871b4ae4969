"""Static file addresses: hashed by the manifest, looked up once per process."""

import json

from whitenoise.storage import CompressedManifestStaticFilesStorage

from kerjasama.storage import StaticFilesStorage


def test_each_address_is_worked_out_once_and_stays_the_hashed_one(tmp_path, monkeypatch):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps(
            {"version": "1.1", "paths": {"css/app.css": "css/app.0123abcd.css", "js/app.js": "js/app.4567ef.js"}}
        )
    )
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    calls = []
    original = CompressedManifestStaticFilesStorage.url

    def counted(self, name, force=False):
        calls.append(name)
        return original(self, name, force)

    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "url", counted)
    assert storage.url("css/app.css") == "/static/css/app.0123abcd.css"
    assert storage.url("css/app.css") == "/static/css/app.0123abcd.css"
    assert storage.url("js/app.js") == "/static/js/app.4567ef.js"
    assert calls == ["css/app.css", "js/app.js"]
