"""Pages loaded from the database built by Django's model constructor alone.

A listing builds a page instance for each row, a calendar a hundred. Each went through three
constructors besides Django's: modelcluster's `ClusterableModel.__init__` looks through all
the model's fields for child relations (to take child objects given as keyword arguments),
and Wagtail's `AbstractPage` and `ShowInMenusMixin` give a new page its content type and menu
default. A row from the database has neither keyword arguments nor anything new to set up:
for it they did nothing, in about 10 µs, two thirds of the instance's cost.
"""

from django.db.models import DEFERRED, Model


class BuiltFromRows:
    """For page models: `from_db` as Django's, without the constructors above it that a
    row from the database does not need (tests/test_rows.py compares the two). Django loads
    a model's primary key with every row, so every row is of a page that exists."""

    @classmethod
    def from_db(cls, db, field_names, values):
        fields = cls._meta.concrete_fields
        if len(values) != len(fields):
            loaded = iter(values)
            values = [next(loaded) if f.attname in field_names else DEFERRED for f in fields]
        new = cls.__new__(cls)
        Model.__init__(new, *values)
        # As AbstractPage.__init__ did in asking whether the page is new: a page of a
        # subclass has its `id` (Page's key) from its own key, without a query.
        new.id  # noqa: B018
        new._state.adding = False
        new._state.db = db
        return new
