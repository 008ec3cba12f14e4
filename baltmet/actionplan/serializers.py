from rest_framework import serializers


class ActionsField(serializers.Field):
    """A page's Action Plan actions in the API: each with its id and its number ("1.1")."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, actions):
        return [
            {"id": action.pk, "number": action.number}
            for action in actions.select_related("focus_area")
        ]
