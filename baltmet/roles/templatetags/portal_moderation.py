"""The moderator's request for changes, where the editor works on the page."""

from django import template

from baltmet.roles.dashboard import changes_requested_on

register = template.Library()


@register.inclusion_tag("roles/changes_requested_banner.html")
def changes_requested_banner(page):
    return {"changes": changes_requested_on(page) if page and page.pk else None}
