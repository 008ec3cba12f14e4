"""Filters of the partner organisations listing: city, type of organisation and project role."""

from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter

from baltmet.filters import ListingFilterSet


class OrganisationFilter(ListingFilterSet):
    city = ChoiceFilter(label=_("City"), empty_label=_("All cities"), method="filter_city")
    type = ChoiceFilter(
        label=_("Type of organisation"), empty_label=_("All types"), field_name="organisation_type"
    )
    role = ChoiceFilter(
        label=_("Role in the project"), empty_label=_("All roles"), field_name="project_role"
    )

    def __init__(self, data, queryset, *, metropolises, **kwargs):
        # The listing has the published metropolises already: their slugs are the choices.
        self.metropolises = {metropolis.slug: metropolis for metropolis in metropolises}
        super().__init__(data, queryset, **kwargs)

    def filter_city(self, queryset, name, value):
        return queryset.child_of(self.metropolises[value])

    def choices(self, organisations):
        fields = organisations.model._meta
        return {
            "city": [(slug, metropolis.title) for slug, metropolis in self.metropolises.items()],
            "type": list(fields.get_field("organisation_type").choices),
            "role": list(fields.get_field("project_role").choices),
        }
