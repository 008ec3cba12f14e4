"""No lost update: a page is saved only from the version its editor opened.

Wagtail's edit form posts back which revision it was loaded from (the hidden inputs
`loaded_revision_id` and `loaded_revision_created_at`), but Wagtail itself compares them with
the page's latest revision only for autosave (JSON) requests; an ordinary save, publish,
submission or workflow action from an out-of-date form silently replaces the newer version.
Its warning dialog in the browser can be dismissed with "Continue", and needs JavaScript.

Here the server refuses such a post when someone else has saved the page since the form was
loaded:

- `check_edit_conflict`, a `before_edit_page` hook, looks for the newest revision that another
  user saved after the loaded one. If there is one, it says so in a message with a link to
  Wagtail's comparison of the two versions, and marks the page being edited with it.
- `ConflictCheckingPageForm`, the base form of every page type of the portal
  (`BasePage.base_form_class`), is then invalid: Wagtail shows the edit view again with the
  editor's changes still in the form, and nothing is saved. That form now carries the latest
  revision, so saving it again knowingly replaces the other version; reloading starts from it.
- A page type whose form does not check (one that is not a `BasePage`) is refused by the hook
  itself, with a redirect to the editor.

The editor's own revisions never count (autosave keeps writing one while the form is open, and
the final save still posts the revision the form was loaded from); nor does a post that does
not say which revision it was loaded from (a page without revisions when it was opened).
Previews validate the same form but are not edit views, so they are never refused. The check
and the save are not one transaction: two posts within the same few milliseconds could still
both pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.utils import get_user_display_name
from wagtail.models import Page, Revision


@dataclass(frozen=True)
class EditConflict:
    """Someone else saved `newer` after the editor opened the page at `loaded` (None if that
    revision no longer exists)."""

    page: Page
    loaded: Revision | None
    newer: Revision

    @property
    def saved_by(self) -> str:
        return get_user_display_name(self.newer.user) if self.newer.user else "Someone else"

    @property
    def saved_when(self) -> str:
        saved = timezone.localtime(self.newer.created_at)
        if saved.date() == timezone.localdate():
            return f"at {saved:%H:%M}"
        return f"on {date_format(saved, 'j F Y')} at {saved:%H:%M}"

    @property
    def compare_url(self) -> str:
        if self.loaded is None:
            return reverse("wagtailadmin_pages:history", args=[self.page.pk])
        return reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[self.page.pk, self.loaded.pk, self.newer.pk],
        )

    @property
    def summary(self) -> str:
        return f"{self.saved_by} saved this page {self.saved_when}, after you opened it."

    def message(self, form_kept: bool) -> str:
        if form_kept:
            choices = (
                "Compare the versions to see what changed. To start from the newer version, "
                "reload the page (what you typed here is then lost). Saving again replaces "
                "the newer version with what is in this form."
            )
        else:
            choices = (
                "Compare the versions to see what changed, then make your changes again in "
                "the newer version shown below."
            )
        return f"{self.summary} Your changes were not saved, so that theirs are not lost. {choices}"


def loaded_at(value: str | None, loaded: Revision | None) -> datetime | None:
    """When the form's revision was written, as the form says, or else as the database says.

    An autosave may rewrite the latest revision in place (same id, new time), so the time the
    form posts counts, but never a time later than the revision's own."""
    try:
        posted = datetime.fromisoformat(value or "")
    except ValueError:
        posted = None
    if posted is not None and timezone.is_naive(posted):
        posted = None
    if loaded is None:
        return posted
    return min(posted, loaded.created_at) if posted else loaded.created_at


def find_conflict(page: Page, user, data) -> EditConflict | None:
    """The newest revision of `page` saved by someone other than `user` after the revision the
    posted edit form `data` was loaded from, or None."""
    loaded_id = data.get("loaded_revision_id", "")
    if not loaded_id:
        return None
    revisions = page.revisions.select_related("user")
    loaded = revisions.filter(pk=loaded_id).first() if loaded_id.isdigit() else None
    since = loaded_at(data.get("loaded_revision_created_at"), loaded)
    # A form that names no revision of this page and no valid time proves nothing: every
    # revision is newer than what it shows.
    newer = revisions.filter(created_at__gt=since) if since else revisions
    newer = newer.exclude(user=user).order_by("-created_at", "-pk").first()
    return EditConflict(page, loaded, newer) if newer else None


def checks_conflicts(page: Page) -> bool:
    """Whether the page type's edit form refuses a marked conflict itself."""
    return issubclass(page.get_edit_handler().get_form_class(), ConflictCheckingPageForm)


def check_edit_conflict(request, page):
    """`before_edit_page` hook: refuse a save from a form older than someone else's save."""
    if request.method != "POST":
        return None
    conflict = find_conflict(page, request.user, request.POST)
    if conflict is None:
        return None
    # Autosave posts ask for JSON; Wagtail answers them itself (a message here would be
    # shown on the next page instead).
    wants_html = request.accepts("text/html")
    form_kept = checks_conflicts(page)
    if wants_html:
        buttons = [messages.button(conflict.compare_url, "Compare versions", new_window=True)]
        if form_kept:
            edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
            buttons.append(messages.button(edit_url, "Reload the page"))
        messages.error(request, conflict.message(form_kept), buttons=buttons)
    if form_kept:
        # The edit view passes this page object to the hook and then, as its instance, to the
        # form, which refuses it; a preview builds its own, so previews are never refused.
        page.edit_conflict = conflict
        return None
    return redirect("wagtailadmin_pages:edit", page.pk)


class ConflictCheckingPageForm(WagtailAdminPageForm):
    """The edit form of every page type: invalid when `check_edit_conflict` found that someone
    else saved the page after this form was loaded. A page type with a form of its own must
    derive it from this one (baltmet/tests/test_edit_conflicts.py checks every type)."""

    def clean(self):
        cleaned_data = super().clean()
        conflict = getattr(self.instance, "edit_conflict", None)
        if conflict is not None:
            raise ValidationError(
                "A newer version of this page was saved after you opened it.",
                code="edit_conflict",
            )
        return cleaned_data
