"""What every filtered listing shares: the form, the policy for bad parameters, pagination.

A listing never fails on its query string. A filter whose value is not one of its choices
(unknown, malformed, too long, given twice) is ignored, the other filters still apply, and the
page says which filter it ignored; the response is a normal 200. A shared link to a tag that
has since gone out of use then still shows something useful. Parameters that are not filters
(e.g. `utm_source`) are ignored silently.

Choice values are slugs (`?metropolis=riga&year=2009`), never database ids, and every value is
checked against choices already in memory: nothing a visitor types reaches a SQL query.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REPEATED = gettext_lazy("Choose one value.")

# More digits than any listing has pages; it also keeps int() away from huge strings.
MAX_PAGE_DIGITS = 6


class ListingSelect(forms.Select):
    """A <select> with Django's markup, written in Python: Django renders two templates for
    each option, which for the news listing's few hundred options was half of its render.
    No option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (choice, mark_safe(" selected") if str(choice) in selected else "", label)
                for choice, label in self.choices
            ),
        )
        html_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>\n{}\n</select>', name, html_attrs, options)


class ListingFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = ListingSelect(attrs=field.widget.attrs, choices=field.choices)

    def clean(self):
        cleaned_data = super().clean()
        # A GET form sends each control once; a repeated parameter is ambiguous, not a choice.
        getlist = getattr(self.data, "getlist", None)
        for name in self.fields:
            if getlist is not None and len(getlist(self.add_prefix(name))) > 1:
                self.add_error(name, REPEATED)
        return cleaned_data


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    value_label: str
    # The query string of the listing without this filter ("" when it was the only one).
    remove_query: str


class ListingFilterSet(django_filters.FilterSet):
    """Filters whose choices come from the content, set per request by `choices()`.

    Subclasses declare ChoiceFilters (each with a label and an empty_label such as
    "All years") and return their choices, as (slug, label) pairs, from `choices()`.
    """

    class Meta:
        form = ListingFilterForm

    # The number of items in the unfiltered listing, if `choices()` counted them on the way.
    listing_count: int | None = None

    def __init__(self, data: QueryDict, queryset, **kwargs):
        super().__init__(data=data, queryset=queryset, **kwargs)
        for name, choices_of_filter in self.choices(queryset).items():
            self.filters[name].extra["choices"] = choices_of_filter

    def choices(self, queryset) -> Mapping[str, Sequence[tuple[str, str]]]:
        return {}

    @property
    def applied(self) -> dict[str, str]:
        """The filters that apply, by name, in the order of the form."""
        self.form.is_valid()
        cleaned = self.form.cleaned_data
        return {name: cleaned[name] for name in self.form.fields if cleaned.get(name)}

    @property
    def count(self) -> int | None:
        """The number of items the listing shows, when known without a query of its own."""
        return None if self.applied else self.listing_count

    @property
    def query(self) -> QueryDict:
        """The applied filters as a query string, for pagination links."""
        query = QueryDict(mutable=True)
        for name, value in self.applied.items():
            query[name] = value
        return query

    @property
    def active(self) -> list[ActiveFilter]:
        found = []
        for name, value in self.applied.items():
            field = self.form.fields[name]
            without = self.query
            del without[name]
            found.append(
                ActiveFilter(
                    label=field.label,
                    # A text filter (words to search for) shows its value as it is.
                    value_label=str(dict(getattr(field, "choices", ())).get(value, value)),
                    remove_query=f"?{without.urlencode()}" if without else "",
                )
            )
        return found

    @property
    def notices(self) -> list[str]:
        """One sentence per ignored filter. The value itself is never repeated back: the page
        would otherwise show any text a link's author chose."""
        self.form.is_valid()
        notices = []
        for name, field in self.form.fields.items():
            errors = self.form.errors.get(name)
            if not errors:
                continue
            if REPEATED in errors:
                notice = _(
                    "The filter “%(filter)s” is ignored: it is given more than once in the address."
                )
            else:
                notice = _(
                    "The filter “%(filter)s” is ignored: its value in the address is not one of "
                    "the choices."
                )
            notices.append(notice % {"filter": field.label})
        return notices

    @property
    def display_form(self) -> forms.Form:
        """The form showing what is applied, rather than what the address said. When every
        filter the address gives applies, the two are the same form."""
        if self.form.is_valid():
            return self.form
        return self.get_form_class()(self.query)


def paginate(
    items, per_page: int, data: QueryDict, count: int | None = None
) -> tuple[PaginatorPage, list[str]]:
    """The page of `items` asked for by `?page=`, and a notice if it could not be shown.

    A page number that is not a positive whole number shows the first page; one past the end
    shows the last page. `count`, when the caller knows it, saves the paginator its query.
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: this value is used instead
    values = data.getlist("page")
    if not values:
        return paginator.page(1), []
    raw = values[-1]
    if len(values) > 1 or not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_PAGE_DIGITS:
        return paginator.page(1), [
            _("The page number in the address is not valid: this is page 1.")
        ]
    number = int(raw)
    if number < 1:
        return paginator.page(1), [_("Page numbers start at 1: this is page 1.")]
    if number > paginator.num_pages:
        last = paginator.num_pages
        notice = _("There is no page %(number)s: this is page %(last)s.")
        return paginator.page(last), [notice % {"number": number, "last": last}]
    return paginator.page(number), []


def having_related(queryset, relation: str, slug: str):
    """The items related through the many-to-many `relation` to something with this slug.

    A subquery rather than a join, so each item comes once even if two related pages
    share a slug (organisations under different metropolises may).
    """
    matching = queryset.model.objects.filter(**{f"{relation}__slug": slug}).values("pk")
    return queryset.filter(pk__in=matching)
