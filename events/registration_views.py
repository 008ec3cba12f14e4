"""The registration pages: the form (/events/<id>/register/), and each registration's own
page behind its secret link (/events/registration/<token>/), where it is confirmed or
cancelled. The rules are in events/registration.py."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from baltmet.models import SiteSettings
from baltmet.public_forms import root_url
from baltmet.spam_guard import issue_token
from baltmet.throttles import Limit, client_key, too_many_requests
from events import registration as rules
from events.models import EventPage, RegistrationStatus

# Posts of the registration form per client address, and mails asked for per e-mail address
# (each valid post mails the address): a person registers for a few events at most.
REGISTRATION_POSTS_PER_ADDRESS = Limit("registration-address", 10, 60 * 60)
REGISTRATION_MAILS_PER_EMAIL = Limit("registration-email", 5, 60 * 60)


def original_event(page_id: int) -> EventPage:
    """The live event with this id, in the language registrations are kept in, or 404."""
    event = EventPage.objects.live().filter(pk=page_id).defer_streamfields().first()
    if event is None:
        raise Http404("No such event.")
    default = Locale.get_default()
    if event.locale_id != default.pk:
        event = (
            EventPage.objects.live()
            .filter(translation_key=event.translation_key, locale=default)
            .defer_streamfields()
            .first()
        )
        if event is None:
            raise Http404("No such event.")
    return event


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request, page_id: int):
    event = original_event(page_id)
    is_open = event.registration_is_open()
    status = 200
    if request.method == "POST":
        if wait := REGISTRATION_POSTS_PER_ADDRESS.retry_after(client_key(request)):
            return too_many_requests(request, wait)
        form = rules.RegistrationForm(request.POST)
        if not is_open:
            status = 400
        elif form.is_valid():
            email = form.cleaned_data["email"]
            if wait := REGISTRATION_MAILS_PER_EMAIL.retry_after(email):
                return too_many_requests(request, wait)
            registration = rules.register(event, form.cleaned_data, request.LANGUAGE_CODE)
            url = root_url(request)
            transaction.on_commit(lambda: rules.mail_status(registration, url))
            return redirect("event_registration_sent", page_id=event.pk)
        else:
            form.mark_errors()
            status = 400
    else:
        form = rules.RegistrationForm()
    context = {
        "event": event,
        "form": form,
        "token": issue_token(),
        "is_open": is_open,
        "free_places": max(0, rules.free_places(event)) if is_open else 0,
        "privacy_page": SiteSettings.for_request(request).privacy_page,
        "retention_days": settings.EVENT_REGISTRATION_RETENTION_DAYS,
    }
    return TemplateResponse(request, "events/register.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def registration_sent(request, page_id: int):
    event = original_event(page_id)
    return TemplateResponse(request, "events/registration_sent.html", {"event": event})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registration(request, token: str):
    found = rules.find(token)
    if found is None:
        return TemplateResponse(request, "events/registration_missing.html", status=404)
    action = request.POST.get("action") if request.method == "POST" else None
    url = root_url(request)
    if action == "confirm":
        if found.status == RegistrationStatus.PENDING and not found.event.registration_is_open():
            context = {"registration": found, "closed": True}
            return TemplateResponse(request, "events/registration.html", context, status=400)
        was_pending = found.status == RegistrationStatus.PENDING
        found = rules.confirm(found)
        if was_pending:
            confirmed = found
            transaction.on_commit(lambda: rules.mail_status(confirmed, url))
        return redirect(request.path)
    if action == "cancel":
        event = found.event
        moved_up = rules.cancel(found)
        transaction.on_commit(lambda: rules.mail_moved_up(moved_up, url))
        return TemplateResponse(request, "events/registration_cancelled.html", {"event": event})
    if request.method == "POST":
        return TemplateResponse(
            request, "events/registration.html", {"registration": found}, status=400
        )
    context = {"registration": found}
    if found.status == RegistrationStatus.WAITING:
        context["position"] = rules.waiting_position(found)
    return TemplateResponse(request, "events/registration.html", context)
