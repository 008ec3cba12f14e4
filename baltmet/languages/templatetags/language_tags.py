from django import template
from wagtail.models import Page
from wagtail.templatetags.wagtailcore_tags import pageurl

from baltmet.languages import languages
from baltmet.templatetags.baltmet_tags import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context) -> languages.PageLanguages:
    """`{% page_languages as languages %}`: the page's languages (see languages.py)."""
    page = context.get("page")
    request = context.get("request")
    if isinstance(page, Page):
        return languages.for_page(page, request, navigation(context, page).translations)
    return languages.for_view(request)


@register.simple_tag(takes_context=True)
def pageurl_in_language(context, page) -> str:
    """`{% pageurl %}` that keeps the visitor in their language: a page of the default
    language, linked from a page read in another one (the English fallback), is linked at
    that language's address (/de/news/), which shows its translation there or, until there
    is one, the page in English with the notice. No query: the address is the page's own
    with the language's prefix."""
    url = pageurl(context, page)
    return languages.in_active_language(url)


@register.simple_tag
def text_lang(page) -> str:
    """` lang="en"` on a page's title where it is not in the visitor's language: the menu and
    breadcrumbs of a page not translated yet list the English pages (or their aliases)."""
    return languages.lang_attribute(languages.text_language(page))
