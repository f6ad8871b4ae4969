"""Choice labels looked up once per field instead of once per call."""

from django.utils.encoding import force_str


class ChoiceLabels:
    """A model mixin for get_FOO_display(): Django's own rebuilds a dictionary of every choice
    on each call, hashing (and so translating) every lazy label, which a page printing the
    labels of a few dozen rows pays for thousands of times. The labels stay lazy, so the one
    dictionary per field serves every language. Put it before models.Model in the bases."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        labels = field.__dict__.get("_choice_labels")
        if labels is None:
            labels = field.__dict__["_choice_labels"] = dict(field.flatchoices)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a list in a JSON field): shown as it is
            label = value
        return force_str(label, strings_only=True)
