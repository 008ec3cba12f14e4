from django.apps import AppConfig


class ActionPlanConfig(AppConfig):
    """The BaltMet Action Plan 2008-2010 as structured data: focus areas, numbered actions and
    the innovation priorities, which news and events are linked to."""

    name = "baltmet.actionplan"
    label = "actionplan"
    verbose_name = "Action Plan"

    def ready(self):
        from baltmet.actionplan import signal_handlers  # noqa: F401
