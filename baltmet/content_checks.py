"""The content checks editors see (Wagtail's *Checks* panel and the userbar's), tuned for the
portal.

Wagtail's checks run axe-core on the page as visitors see it. To its own (empty headings and
links, heading order, alt text that is a file name, empty meta description) the portal adds:
- missing alt text on an image, and a page without a first-level heading;
- a page about an event or a result (a library entry) that names no work package: the
  template marks where one belongs (`data-content-check="names-work-package"`) and each link
  to a work package (`data-work-package`); axe's own `has-descendant` evaluation looks for one.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.userbar import ContentCheckerItem

WORK_PACKAGE_RULE = "names-work-package"


class PortalContentChecker(ContentCheckerItem):
    axe_run_only = [
        *ContentCheckerItem.axe_run_only,
        "image-alt",
        "page-has-heading-one",
        WORK_PACKAGE_RULE,
    ]
    axe_custom_rules = [
        *ContentCheckerItem.axe_custom_rules,
        {
            "id": WORK_PACKAGE_RULE,
            "impact": "moderate",
            "selector": f'[data-content-check="{WORK_PACKAGE_RULE}"]',
            "tags": ["best-practice"],
            "any": ["links-to-a-work-package"],
            "enabled": True,
        },
    ]
    axe_custom_checks = [
        *ContentCheckerItem.axe_custom_checks,
        {
            "id": "links-to-a-work-package",
            # An evaluation axe-core ships (its rules use it for, e.g., list items).
            "evaluate": "has-descendant-evaluate",
            "options": {"selector": "a[data-work-package]"},
        },
    ]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "image-alt": {
            "error_name": _("Image without alt text"),
            "help_text": _("Describe the image for people who cannot see it"),
        },
        "page-has-heading-one": {
            "error_name": _("The page has no main heading"),
            "help_text": _("Give the page a title"),
        },
        WORK_PACKAGE_RULE: {
            "error_name": _("No work package named"),
            "help_text": _("Choose the work package this event or result belongs to"),
        },
    }


def use_portal_checks(request, items, page=None):
    """For the `construct_wagtail_userbar` hook: the portal's checker in place of Wagtail's."""
    items[:] = [
        PortalContentChecker(in_editor=item.in_editor)
        if isinstance(item, ContentCheckerItem)
        else item
        for item in items
    ]
