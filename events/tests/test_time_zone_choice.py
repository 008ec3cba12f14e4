"""An event's time zone: the region's zones first, and the country's zone when left empty."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from events.factories import EventPageFactory
from events.models import EventPage
from tests.helpers import log_in

pytestmark = pytest.mark.django_db


def event(**fields) -> EventPage:
    defaults = {
        "title": "Seminar",
        "slug": "seminar",
        "kind": "seminar",
        "start_date": dt.date(2027, 5, 4),
        "start_time": dt.time(10),
        "city": "Riga",
        "country": "Latvia",
        "time_zone": "",
        "intro": "A seminar.",
    }
    return EventPage(**{**defaults, **fields})


def test_an_empty_time_zone_is_taken_from_the_country():
    riga = event()

    riga.full_clean(exclude=["path", "depth"])

    assert riga.time_zone == "Europe/Riga"
    assert riga.starts_at == dt.datetime(2027, 5, 4, 7, tzinfo=dt.UTC)  # 10:00 in Riga


def test_a_chosen_time_zone_is_kept_whatever_the_country():
    online = event(country="Latvia", time_zone="Europe/Helsinki")

    online.full_clean(exclude=["path", "depth"])

    assert online.time_zone == "Europe/Helsinki"


def test_a_country_without_a_default_asks_for_the_zone():
    madrid = event(city="Madrid", country="Spain")

    with pytest.raises(ValidationError) as error:
        madrid.full_clean(exclude=["path", "depth"])

    assert error.value.message_dict["time_zone"] == [
        "Choose the time zone of the place: Spain has none by default."
    ]


def test_a_draft_without_a_zone_is_saved_and_published_only_with_one(site_tree):
    draft = EventPageFactory.build(country="Spain", city="Madrid", time_zone="", live=False)
    site_tree.events.add_child(instance=draft)  # a draft: saved without the full check

    assert EventPage.objects.get(pk=draft.pk).time_zone == ""
    with pytest.raises(ValidationError):
        draft.save_revision().publish()


def test_the_admin_lists_the_regions_zones_first_and_the_rest_below(client, world):
    log_in(client, world.moderator)

    html = client.get(f"/admin/pages/add/events/eventpage/{world.events_index.pk}/").content
    select = BeautifulSoup(html, "html.parser").find("select", attrs={"name": "time_zone"})

    first = select.find("option")
    assert (first["value"], first.get("selected") is not None) == ("", True)
    groups = select.find_all("optgroup")
    assert [group["label"] for group in groups] == [
        "Baltic Sea region and Brussels",
        "Other time zones",
    ]
    region = [option["value"] for option in groups[0].find_all("option")]
    assert "Europe/Riga" in region and "Europe/Moscow" in region and len(region) == 11
    assert "America/New_York" in [option["value"] for option in groups[1].find_all("option")]
