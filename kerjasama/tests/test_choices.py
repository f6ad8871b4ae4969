"""get_FOO_display() reads each field's labels from one dictionary (kerjasama/choices.py)."""

from django.apps import apps
from django.utils import translation

from kerjasama.choices import ChoiceLabels
from registry.models import Agreement, EndReason, Stage


def test_every_model_with_choices_looks_its_labels_up_once():
    # The change history's own models (django-simple-history) are left as the library makes them.
    slow = [
        model.__name__
        for model in apps.get_models()
        if model._meta.app_label in {"registry", "monitoring", "planning", "public"}
        and any(field.choices for field in model._meta.concrete_fields)
        and not issubclass(model, ChoiceLabels)
        and not model.__name__.startswith("Historical")
    ]
    assert slow == []


def test_the_label_follows_the_language_and_an_unknown_value_shows_as_stored():
    agreement = Agreement(stage=Stage.PELAKSANAAN, end_reason="")
    with translation.override("id"):
        indonesian = agreement.get_stage_display()
    with translation.override("en"):
        english = agreement.get_stage_display()
    assert indonesian == "Pelaksanaan"
    assert english == "Implementation"
    assert isinstance(indonesian, str) and not hasattr(indonesian, "_proxy____cast")
    agreement.stage = "tidak-dikenal"
    assert agreement.get_stage_display() == "tidak-dikenal"
    agreement.end_reason = EndReason.TERM_EXPIRED
    with translation.override("id"):
        assert agreement.get_end_reason_display() == str(EndReason.TERM_EXPIRED.label)
