"""Sending a digest: a task for the `newsletter` backend (django-tasks' database backend), run
by its worker (`manage.py db_worker --backend newsletter`), never inside a web request."""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from baltmet.newsletter.models import Digest, Subscriber, SubscriberStatus
from baltmet.newsletter.subscriptions import subscriber_mail

logger = logging.getLogger(__name__)


@task(backend="newsletter")
def send_digest(digest_id: int, base_url: str) -> int:
    """Mails the digest to every confirmed subscriber who has not had it; returns how many
    got it this run. A subscriber whose mail is refused is tried again on the next run."""
    digest = Digest.objects.get(pk=digest_id)
    context = {"digest": digest, "news": digest.news(), "events": digest.events()}
    waiting = (
        Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED)
        .exclude(last_digest=digest)
        .order_by("pk")
    )
    sent = 0
    with get_connection() as connection:
        for subscriber in waiting.iterator():
            mail = subscriber_mail(subscriber, "digest", base_url, context, connection)
            try:
                mail.send()
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
                logger.warning("Digest %s: refused for subscriber %s.", digest.pk, subscriber.pk)
                continue
            Subscriber.objects.filter(pk=subscriber.pk).update(last_digest=digest)
            sent += 1
    Digest.objects.filter(pk=digest.pk).update(
        sent_at=timezone.now(), recipients=F("recipients") + sent
    )
    return sent
