"""`{% admin_title page %}`, `{% admin_status page %}`: a page's title and status as the
admin may show them to the current user.

Wagtail shows the title and status of a page's latest draft everywhere in the admin. The
overrides of its listing templates (baltmet/roles/templates/wagtailadmin/) use these tags
instead, so that a partner sees another partner's live page as it was published: under its
published title and as "live", not "live + in moderation" (baltmet/roles/visibility.py).
Without a request in the context, a live page is shown as published.
"""

from django import template
from django.utils.translation import gettext

from baltmet.roles.visibility import status_for, title_for

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_title(context, page):
    request = context.get("request")
    if request is None:
        return page.title
    return title_for(request.user, page)


@register.simple_tag(takes_context=True)
def admin_status(context, page):
    request = context.get("request")
    if request is None:
        return gettext("live") if page.live else page.status_string
    return status_for(request.user, page)
