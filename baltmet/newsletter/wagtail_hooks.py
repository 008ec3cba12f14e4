"""*Newsletter digests* in the admin, for moderators and administrators: write a digest, read
it as subscribers will (the preview is its "inspect" page), and send it. Sending queues the
`send_digest` task for the newsletter worker; a digest queued or sent is not changed again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from baltmet.newsletter.models import Digest, Subscriber, SubscriberStatus
from baltmet.newsletter.tasks import send_digest
from baltmet.public_forms import root_url


def may_send(user) -> bool:
    return user.has_perm("newsletter.change_digest")


class DigestPreviewView(generic.InspectView):
    template_name = "newsletter/admin/preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        digest = self.object
        with translation.override("en"):
            context["mail_text"] = render_to_string(
                "newsletter/mail/digest.txt",
                {
                    "digest": digest,
                    "news": digest.news(),
                    "events": digest.events(),
                    "links": {"unsubscribe": _("(each subscriber's own unsubscribe link)")},
                },
            )
        context["subscriber_count"] = Subscriber.objects.filter(
            status=SubscriberStatus.CONFIRMED
        ).count()
        context["can_send"] = digest.is_editable and may_send(self.request.user)
        context["send_url"] = reverse("newsletter_send_digest", args=[digest.pk])
        return context


class DigestEditView(generic.EditView):
    def get_object(self, queryset=None):
        digest = super().get_object(queryset)
        if not digest.is_editable:
            raise PermissionDenied
        return digest


class DigestDeleteView(generic.DeleteView):
    def get_object(self, queryset=None):
        digest = super().get_object(queryset)
        if not digest.is_editable:
            raise PermissionDenied
        return digest


class DigestViewSet(ModelViewSet):
    model = Digest
    icon = "mail"
    menu_label = gettext_lazy("Newsletter digests")
    menu_order = 252
    add_to_admin_menu = True
    form_fields = ["subject", "intro", "news_since", "events_until"]
    list_display = [
        "subject",
        DateColumn("created_at", label=gettext_lazy("Written")),
        DateColumn("sent_at", label=gettext_lazy("Sent")),
        "recipients",
    ]
    inspect_view_enabled = True
    inspect_view_class = DigestPreviewView
    edit_view_class = DigestEditView
    delete_view_class = DigestDeleteView


@require_POST
def send_digest_view(request, pk: int):
    if not may_send(request.user):
        raise PermissionDenied
    with transaction.atomic():
        digest = get_object_or_404(Digest.objects.select_for_update(), pk=pk)
        if not digest.is_editable:
            messages.error(request, _("This digest is being sent or was sent already."))
            return redirect("newsletter_digests:inspect", digest.pk)
        digest.queued_at = timezone.now()
        digest.save(update_fields=["queued_at"])
        base_url = root_url(request)
        transaction.on_commit(lambda: send_digest.enqueue(digest.pk, base_url))
    messages.success(
        request, _("The digest is queued: the newsletter worker sends it in a few moments.")
    )
    return redirect("newsletter_digests:inspect", digest.pk)


@hooks.register("register_admin_viewset")
def register_digests():
    return DigestViewSet("newsletter_digests")


@hooks.register("register_admin_urls")
def register_send_url():
    return [
        path("newsletter/digests/<int:pk>/send/", send_digest_view, name="newsletter_send_digest")
    ]
