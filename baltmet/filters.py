"""What every filtered listing shares: the form, the policy for bad parameters, pagination.

A listing never fails on its query string. A filter whose value is not one of its choices
(unknown, malformed, too long, given twice) is ignored, the other filters still apply, and the
page says which filter it ignored; the response is a normal 200. A shared link to a tag that
has since gone out of use then still shows something useful. Parameters that are not filters
(e.g. `utm_source`) are ignored silently.

Choice values are slugs (`?metropolis=riga&year=2009`), never database ids, and every value is
checked against choices already in memory: nothing a visitor types reaches a SQL query.
"""

import html
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe

from baltmet.cache.facts import Fact, remembered
from baltmet.cache.tags import TREE

REPEATED = "Choose one value."

# More digits than any listing has pages; it also keeps int() away from huge strings.
MAX_PAGE_DIGITS = 6


class PlainSelect(forms.Select):
    """A flat <select> written in Python. Django's Select renders a template for each option,
    which for the partner filter's 200 organisations cost a quarter of the news listing's time.
    Same markup, attributes (id, required, aria-invalid, ...) and escaping (that of
    conditional_escape, without its per-call overhead: 5 µs an option); no option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        options = "\n".join(
            f'<option value="{escaped_value}"'
            f"{' selected' if choice in selected else ''}>{escaped_label}</option>"
            for choice, escaped_value, escaped_label in escaped_choices(self.choices)
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe(options),  # every part escaped above
        )


def _escaped(text) -> str:
    return str(text) if isinstance(text, SafeData) else html.escape(str(text))


def escaped_pairs(choices) -> list[tuple[str, str, str]]:
    """(value, value escaped, label escaped) of each (value, label) choice."""
    return [(str(value), _escaped(value), _escaped(label)) for value, label in choices]


def escaped_choices(choices) -> list[tuple[str, str, str]]:
    """`escaped_pairs(choices)`. A listing's own choices (inside django_filters' iterator,
    after its "All ..." label) are escaped once per process."""
    known = getattr(choices, "choices", None)
    if not isinstance(known, KnownChoices):
        return escaped_pairs(choices)
    labels_first = itertools.islice(choices, len(choices) - len(known))
    return escaped_pairs(labels_first) + known.escaped()


class SharedChoicesField(django_filters.fields.ChoiceField):
    """A choice field whose copies share its list of choices.

    Django copies every field of a form, deeply, for each form it makes. The choices of a
    listing's filters are computed for the request and never changed, and copying them (300
    for the news listing) was a third of what its filters cost.
    """

    def __deepcopy__(self, memo):
        choices = getattr(self._choices, "choices", None)  # django_filters' ChoiceIterator
        if choices is not None:
            memo[id(choices)] = choices
        return super().__deepcopy__(memo)


class KnownChoices(BaseChoiceIterator):
    """A filter's choices, already (value, label) pairs.

    Django normalizes a field's choices each time they are iterated, rebuilding every pair;
    for the partner filter's 200 organisations that cost half a millisecond a request.
    Normalizing passes a choice iterator through untouched. They are kept with the listing's
    facts, so their escaped HTML is written once and shown by every request."""

    def __init__(self, pairs: Sequence[tuple[str, str]]):
        self.pairs = list(pairs)
        self._escaped: list[tuple[str, str, str]] | None = None

    def escaped(self) -> list[tuple[str, str, str]]:
        if self._escaped is None:
            self._escaped = escaped_pairs(self.pairs)
        return self._escaped

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


class ListingChoiceFilter(django_filters.ChoiceFilter):
    field_class = SharedChoicesField


class ListingFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = PlainSelect(attrs=field.widget.attrs, choices=field.choices)

    def clean(self):
        cleaned_data = super().clean()
        # A GET form sends each control once; a repeated parameter is ambiguous, not a choice.
        getlist = getattr(self.data, "getlist", None)
        for name in self.fields:
            if getlist is not None and len(getlist(self.add_prefix(name))) > 1:
                self.add_error(name, REPEATED)
        return cleaned_data


def known_choices(choices: Mapping[str, Sequence[tuple[str, str]]]) -> dict[str, KnownChoices]:
    return {name: KnownChoices(pairs) for name, pairs in choices.items()}


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    value_label: str
    # The query string of the listing without this filter ("" when it was the only one).
    remove_query: str


class ListingFilterSet(django_filters.FilterSet):
    """Filters whose choices come from the content, set per request by `choices()`.

    Subclasses declare ListingChoiceFilters (each with a label and an empty_label such as
    "All years") and return their choices, as (slug, label) pairs, from `choices()`.
    """

    class Meta:
        form = ListingFilterForm

    # The number of items in the unfiltered listing, if `choices()` counted them on the way.
    listing_count: int | None = None
    # What `choices()` sets on the filter set besides the choices, kept with them.
    computed_with_choices: tuple[str, ...] = ("listing_count",)

    def __init__(self, data: QueryDict, queryset, *, remember_for=None, **kwargs):
        """`remember_for`: the index page that lists the queryset. Its choices are then kept
        (with what `computed_with_choices` names) until one of `choice_tags()` changes, or for
        the seconds `choices_valid_for()` says (baltmet/cache/facts.py)."""
        super().__init__(data=data, queryset=queryset, **kwargs)
        if remember_for is None:
            choices = known_choices(self.choices(queryset))
        else:
            choices, computed = remembered(
                f"{type(self).__name__}:{remember_for.pk}",
                self.choice_tags(remember_for),
                lambda: self._compute_choices(queryset),
            )
            for attribute, value in computed.items():
                setattr(self, attribute, value)
        for name, choices_of_filter in choices.items():
            self.filters[name].extra["choices"] = choices_of_filter

    def _compute_choices(self, queryset) -> Fact:
        choices = known_choices(self.choices(queryset))
        computed = {name: getattr(self, name) for name in self.computed_with_choices}
        return Fact((choices, computed), valid_for=self.choices_valid_for(queryset))

    def choice_tags(self, index) -> set[str]:
        """The cache tags of what the choices are computed from (`listing_tags`)."""
        return listing_tags(index)

    def choices_valid_for(self, queryset) -> float | None:
        """Seconds until the choices change without any edit (None: only with an edit)."""
        return None

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
                    value_label=str(dict(field.choices).get(value, value)),
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
            reason = (
                "it is given more than once in the address"
                if REPEATED in errors
                else "its value in the address is not one of the choices"
            )
            notices.append(f"The filter “{field.label}” is ignored: {reason}.")
        return notices

    @property
    def display_form(self) -> forms.Form:
        """The form showing what is applied, rather than what the address said. When every
        filter the address gives applies, the two are the same form."""
        if self.form.is_valid():
            return self.form
        return self.get_form_class()(self.query)


def listing_tags(index) -> set[str]:
    """The cache tags of what an index lists: its items (their fields change only as an item
    is published) and the view restrictions."""
    return {f"descendants:{index.pk}", TREE}


class KeptPages:
    """A listing whose pages are each kept as a fact (baltmet/cache/facts.py) once read.

    For a listing unfiltered: its pages are few and asked for by every visitor. A page is kept
    until one of `tags` changes (or a page it shows: their tags are collected as it is read),
    or for the seconds `valid_for()` says when it is read. Django's Paginator counts and
    slices it as it would the listing.
    """

    def __init__(self, items, name: str, tags: set[str], valid_for=lambda: None):
        self.items, self.name, self.tags, self.valid_for = items, name, tags, valid_for

    def count(self) -> int:
        return self.items.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        return remembered(
            f"{self.name}:{index.start}:{index.stop}",
            self.tags,
            lambda: Fact(list(self.items[index]), valid_for=self.valid_for()),
        )


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
        return paginator.page(1), ["The page number in the address is not valid: this is page 1."]
    number = int(raw)
    if number < 1:
        return paginator.page(1), ["Page numbers start at 1: this is page 1."]
    if number > paginator.num_pages:
        last = paginator.num_pages
        return paginator.page(last), [f"There is no page {number}: this is page {last}."]
    return paginator.page(number), []


def having_related(queryset, relation: str, slug: str):
    """The items related through the many-to-many `relation` to something with this slug.

    A subquery rather than a join, so each item comes once even if two related pages
    share a slug (organisations under different metropolises may).
    """
    matching = queryset.model.objects.filter(**{f"{relation}__slug": slug}).values("pk")
    return queryset.filter(pk__in=matching)
