"""The newsletter's pages: subscribe (/newsletter/), and behind each subscriber's signed link,
confirm and unsubscribe. Unsubscribing also takes the one-click POST that mail programs send
(RFC 8058), which carries no CSRF token: the signed link is what authorises it."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from baltmet.models import SiteSettings
from baltmet.newsletter import subscriptions
from baltmet.newsletter.models import SubscriberStatus
from baltmet.public_forms import root_url
from baltmet.spam_guard import issue_token
from baltmet.throttles import Limit, client_key, too_many_requests

SUBSCRIBE_POSTS_PER_ADDRESS = Limit("newsletter-address", 10, 60 * 60)
SUBSCRIBE_MAILS_PER_EMAIL = Limit("newsletter-email", 3, 60 * 60)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    status = 200
    if request.method == "POST":
        if wait := SUBSCRIBE_POSTS_PER_ADDRESS.retry_after(client_key(request)):
            return too_many_requests(request, wait)
        form = subscriptions.SubscribeForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if wait := SUBSCRIBE_MAILS_PER_EMAIL.retry_after(email):
                return too_many_requests(request, wait)
            subscriber = subscriptions.subscribe(email, request.LANGUAGE_CODE)
            url = root_url(request)
            transaction.on_commit(lambda: subscriptions.mail_status(subscriber, url))
            return redirect("newsletter_sent")
        form.mark_errors()
        status = 400
    else:
        form = subscriptions.SubscribeForm()
    context = {
        "form": form,
        "token": issue_token(),
        "privacy_page": SiteSettings.for_request(request).privacy_page,
    }
    return TemplateResponse(request, "newsletter/subscribe.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def sent(request):
    return TemplateResponse(request, "newsletter/sent.html")


def missing(request):
    return TemplateResponse(request, "newsletter/missing.html", status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    subscriber = subscriptions.find(token)
    if subscriber is None:
        return missing(request)
    if request.method == "POST":
        subscriptions.confirm(subscriber)
        return redirect(request.path)
    confirmed = subscriber.status == SubscriberStatus.CONFIRMED
    return TemplateResponse(request, "newsletter/confirm.html", {"confirmed": confirmed})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    subscriber = subscriptions.find(token)
    if subscriber is None:
        return missing(request)
    if request.method == "POST":
        subscriber.delete()
        return TemplateResponse(request, "newsletter/unsubscribed.html")
    return TemplateResponse(request, "newsletter/unsubscribe.html", {"email": subscriber.email})
