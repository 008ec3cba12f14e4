"""Two-factor authentication (TOTP) for the admin, on django-otp and its otp_totp plugin.

Each user may have one TOTP device (an authenticator app). After a password login:

- a user with a confirmed device must enter a code on the *verify* page before using the
  admin (the session is then marked verified with `django_otp.login`);
- a user who can publish (an administrator, or a member of a group with "publish" on any
  page: the moderators) without one is sent to the *setup* page, while the setting
  REQUIRE_2FA_FOR_ADMINS is on (the default);
- other users use the admin with their password alone until they enrol, which they may do
  from their account (Account → More actions → Two-factor authentication).

`TwoFactorMiddleware` (after django-otp's OTPMiddleware) enforces this; until then the user is
treated as anonymous on the public site. Wrong codes are throttled by django-otp (each failure
doubles the wait before the next attempt). See the README, "Account safety".
"""

import math
import re
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.auth import require_admin_access
from wagtail.models import GroupPagePermission

DEVICE_NAME = "Authenticator app"

# Admin URLs that a user who still has to set up or verify may reach.
OPEN_URL_NAMES = {
    "two_factor_setup",
    "two_factor_verify",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}


def can_publish(user) -> bool:
    """An administrator, or a member of a group that may publish some page (a moderator)."""
    return user.is_superuser or (
        user.is_active
        and GroupPagePermission.objects.filter(
            group__user=user, permission__codename="publish_page"
        ).exists()
    )


def is_required(user) -> bool:
    """Whether this user must use two-factor authentication: whoever can publish, by
    default. A partner editor's work goes through moderation, so a stolen password alone
    publishes nothing."""
    return bool(settings.REQUIRE_2FA_FOR_ADMINS and can_publish(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_step(user) -> str | None:
    """ "verify" or "setup" when a logged-in user must still do that before using the admin."""
    if not user.is_authenticated or user.is_verified():
        return None
    if confirmed_device(user) is not None:
        return "verify"
    if is_required(user):
        return "setup"
    return None


class TwoFactorMiddleware:
    """Sends a logged-in user who still has to set up or verify a device to that page.

    Must come after django_otp.middleware.OTPMiddleware. Outside the admin, such a user is
    anonymous: a password alone opens no private page or document.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = pending_step(request.user)
        if step is None:
            return None
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            request.user = AnonymousUser()
            return None
        if request.resolver_match.url_name in OPEN_URL_NAMES:
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse(f'two_factor_{step}')}?{query}")


class CodeForm(forms.Form):
    """A code from the user's authenticator app, checked against one device."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, device: TOTPDevice, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        digits = self.device.digits
        if not re.fullmatch(rf"[0-9]{{{digits}}}", code):
            raise forms.ValidationError(f"Enter the {digits}-digit code shown in your app.")
        # Locked against concurrent attempts; a failure is recorded (committed) before the
        # error is raised, so that the throttling holds.
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=self.device.pk)
            allowed, details = device.verify_is_allowed()
            verified = allowed and device.verify_token(code)
        self.device = device
        if not allowed:
            raise forms.ValidationError(throttled_message(details["locked_until"]))
        if not verified:
            raise forms.ValidationError(
                "That code is not right, or it was already used. "
                "Enter the newest code from your app."
            )
        return code


def throttled_message(locked_until) -> str:
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong codes. Wait {seconds} {unit}, then enter the newest code from your app."


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


def _mark_verified(request, device: TOTPDevice) -> None:
    """A new session key for the verified session, then django-otp's record of the device."""
    request.session.cycle_key()
    otp_login(request, device)


def _render(request, template, title, context, pending: bool):
    context = {
        "title": title,
        "layout": "two_factor/layout_login.html" if pending else "two_factor/layout_admin.html",
        "next": _next_url(request),
        **context,
    }
    return TemplateResponse(request, template, context)


@never_cache
@require_admin_access
def overview(request):
    device = confirmed_device(request.user)
    context = {"device": device, "required": is_required(request.user)}
    return _render(
        request, "two_factor/overview.html", "Two-factor authentication", context, pending=False
    )


@never_cache
@require_admin_access
def setup(request):
    user = request.user
    if confirmed_device(user) is not None:
        return redirect("two_factor")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(device, request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = form.device
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        _mark_verified(request, device)
        messages.success(request, "Two-factor authentication is on for your account.")
        return redirect(_next_url(request))
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "required": is_required(user),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "config_url": device.config_url,
        # segno writes the SVG itself from the URL: no user input reaches it unescaped.
        "qr_svg": mark_safe(
            segno.make(device.config_url, error="m").svg_inline(
                scale=5, light="#fff", title="QR code for your authenticator app"
            )
        ),
    }
    title = "Set up two-factor authentication"
    return _render(request, "two_factor/setup.html", title, context, pending=is_required(user))


@never_cache
@require_admin_access
def verify(request):
    device = confirmed_device(request.user)
    if device is None or request.user.is_verified():
        return redirect(_next_url(request) if device else reverse("two_factor_setup"))
    form = CodeForm(device, request.POST if request.method == "POST" else None)
    if form.is_valid():
        _mark_verified(request, form.device)
        return redirect(_next_url(request))
    title = "Two-factor authentication"
    return _render(request, "two_factor/verify.html", title, {"form": form}, pending=True)


@never_cache
@require_admin_access
def remove(request):
    user = request.user
    device = confirmed_device(user)
    if device is None:
        return redirect("two_factor")
    form = CodeForm(device, request.POST if request.method == "POST" else None)
    if form.is_valid():
        TOTPDevice.objects.filter(user=user).delete()
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        if is_required(user):
            messages.warning(
                request,
                "Your device is removed. Administrators and moderators must use two-factor "
                "authentication: set up your new device now.",
            )
            return redirect("two_factor_setup")
        messages.success(request, "Two-factor authentication is off for your account.")
        return redirect("two_factor")
    context = {"form": form, "required": is_required(user)}
    title = "Remove your authenticator app"
    return _render(request, "two_factor/remove.html", title, context, pending=False)


def account_menu_item(request) -> dict:
    """The link in the admin account page (Account → More actions)."""
    return {
        "url": reverse("two_factor"),
        "label": "Two-factor authentication",
        "help_text": "Protect your account with codes from an authenticator app.",
    }


urlpatterns = [
    path("", overview, name="two_factor"),
    path("setup/", setup, name="two_factor_setup"),
    path("verify/", verify, name="two_factor_verify"),
    path("remove/", remove, name="two_factor_remove"),
]
