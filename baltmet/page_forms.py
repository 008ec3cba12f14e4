"""The base form of every portal page type (`BasePage.base_form_class`).

- It refuses a save from an out-of-date form (`ConflictCheckingPageForm`, edit_conflicts.py).
- Its choices of related pages (the news item's events, partners, work packages; an event's
  metropolis and organisers) offer only the pages the editor may see in the admin
  (baltmet/roles/visibility.py), plus those already chosen: a partner editor's form does not
  list another partner's draft event by its title.
"""

from django import forms
from django.db.models import Q
from wagtail.models import Page

from baltmet.edit_conflicts import ConflictCheckingPageForm
from baltmet.roles.visibility import only_visible


class PortalPageForm(ConflictCheckingPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and issubclass(field.queryset.model, Page):
                field.queryset = self.visible_choices(name, field.queryset)

    def visible_choices(self, name, pages):
        chosen = getattr(self.instance, name, None)
        if hasattr(chosen, "all"):  # a many-to-many relation
            chosen_pks = [page.pk for page in chosen.all()]
        else:
            chosen_pks = [chosen.pk] if isinstance(chosen, Page) else []
        visible = only_visible(pages, self.for_user).values("pk")
        return pages.filter(Q(pk__in=visible) | Q(pk__in=chosen_pks))
