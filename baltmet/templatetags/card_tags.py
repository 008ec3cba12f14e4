"""A page's card in a listing: `{% card page level="2" %}`.

A card is a dozen template nodes, about 0.1 ms, and a listing shows twelve or more. What it
shows is what was loaded of its page for the listing (baltmet.queries.as_cards), the pages
given to it (an organisation's metropolis) and its link: each process writes a card once
for these and keeps it. A card whose page changed is another card.
"""

import functools

from django import template
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from baltmet.cache import tags as cache_tags
from baltmet.written import KeyedByWhatItShows

register = template.Library()

# The card template of each page type, and the name it knows the page by.
CARD_TEMPLATES = {
    "news.newspage": ("components/news_card.html", "news"),
    "events.eventpage": ("components/event_card.html", "event"),
    "workpackages.workpackagepage": ("components/work_package_card.html", "work_package"),
    "partners.metropolispage": ("components/metropolis_card.html", "metropolis"),
    "partners.organisationpage": ("components/organisation_card.html", "organisation"),
}
# Cards kept per process: a few pages of each listing in each language.
CARDS_KEPT = 2048


def shown_values(instance, depth: int = 1) -> tuple:
    """What a template can show of a model instance: its fields loaded, annotations and
    attributes set on it (a template reads no name beginning with "_"), and the objects
    loaded with it (select_related), `depth` levels down, by name."""
    values = {name: value for name, value in vars(instance).items() if not name.startswith("_")}
    values.update(instance._state.fields_cache)
    return tuple(
        (name, shown_values(value, depth - 1) if depth and isinstance(value, Model) else value)
        for name, value in sorted(values.items(), key=lambda item: item[0])
    )


class ShownCard(KeyedByWhatItShows):
    """A page as its card shows it. The page and the request are there to write the card,
    and let go once it is written: only the key is kept."""

    def __init__(self, page, request):
        self.page, self.request = page, request
        self.key = (type(page), page.get_url(request), shown_values(page))

    def write(self, level: str) -> SafeString:
        template_name, name = CARD_TEMPLATES[self.page._meta.label_lower]
        context = {name: self.page, "level": level, "request": self.request}
        return render_to_string(template_name, context)


class LoadedWhileWritten(Exception):
    """Writing the card loaded something (a page read lazily): the card depends on more than
    its key says, so it is not kept, and the response depends on what it loaded."""

    def __init__(self, html: SafeString, loaded: cache_tags.Collector):
        super().__init__(html)
        self.html, self.loaded = html, loaded


@register.simple_tag(takes_context=True)
def card(context, page, level: str = "3") -> SafeString:
    shown = ShownCard(page, context.get("request"))
    try:
        hash(shown)
    except TypeError:  # a field whose value cannot be a key (a StreamField's blocks)
        return shown.write(level)
    try:
        return written_card(shown, level, get_language())
    except LoadedWhileWritten as written:
        cache_tags.depend_on(*written.loaded.tags)
        if written.loaded.refused:
            cache_tags.do_not_cache(written.loaded.refused)
        return written.html


@functools.lru_cache(maxsize=CARDS_KEPT)
def written_card(shown: ShownCard, level: str, language: str | None) -> SafeString:
    with cache_tags.collecting() as loaded:
        html = shown.write(level)
    if loaded.tags != {cache_tags.TREE} or loaded.refused:
        raise LoadedWhileWritten(html, loaded)  # lru_cache keeps no answer it did not get
    shown.page = shown.request = None
    return html
