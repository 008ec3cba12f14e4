"""Keep work packages whole: no deleting their responsible partner, no duplicate numbers."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from workpackages.models import WorkPackagePage


def work_packages_led_within(pages) -> list[WorkPackagePage]:
    """Work packages whose responsible partner is one of `pages` or below one of them."""
    led = WorkPackagePage.objects.none()
    for page in pages:
        led |= WorkPackagePage.objects.filter(lead_organisation__path__startswith=page.path)
    return list(led.order_by("number"))


def refuse(request, pages, led, back_to):
    names = ", ".join(f"{wp.label} ({wp.title})" for wp in led)
    what = pages[0].title if len(pages) == 1 else "These pages"
    messages.error(
        request,
        f"{what} cannot be deleted: the responsible partner of {names} is among them. "
        "Choose another responsible partner for the work package first.",
    )
    return redirect(back_to)


@hooks.register("before_delete_page")
def protect_responsible_partners(request, page):
    led = work_packages_led_within([page])
    if led:
        return refuse(request, [page], led, request.META.get("HTTP_REFERER") or "wagtailadmin_home")
    return None


@hooks.register("before_bulk_action")
def protect_responsible_partners_in_bulk(request, action_type, objects, action_class):
    if action_type != "delete" or not objects or not hasattr(objects[0], "path"):
        return None
    led = work_packages_led_within(objects)
    if led:
        return refuse(
            request, objects, led, request.META.get("HTTP_REFERER") or "wagtailadmin_home"
        )
    return None


@hooks.register("before_copy_page")
def refuse_to_copy_work_packages(request, page):
    """A copy would repeat the work package's number, which must stay unique."""
    copies = WorkPackagePage.objects.filter(path__startswith=page.path)
    if not copies.exists():
        return None
    messages.error(
        request,
        f"“{page.title}” cannot be copied: it is or contains a work package, and each work "
        "package number is used once. Add a new work package instead.",
    )
    return redirect(request.META.get("HTTP_REFERER") or "wagtailadmin_home")
