"""The datasets as files: `/data/<dataset>.csv` and `/data/<dataset>.json`, and `/data/`, the
page that lists them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse

from baltmet.opendata.datasets import DATASETS, Dataset

# The separator of a list's items in a CSV cell ("Riga; Tallinn").
LIST_SEPARATOR = "; "
# A spreadsheet reads a cell that begins with one of these as a formula. Such a cell is written
# with an apostrophe before it, which spreadsheets hide and the import removes.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(csv_cell(item) for item in value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def as_csv(dataset: Dataset, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(dataset.columns)
    for row in rows:
        writer.writerow([csv_cell(row[column]) for column in dataset.columns])
    return out.getvalue()


def as_json(dataset: Dataset, rows: list[dict]) -> str:
    items = [{column: row[column] for column in dataset.columns} for row in rows]
    return json.dumps(
        {"dataset": dataset.slug, "columns": list(dataset.columns), "items": items},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=1,
    )


def dataset_of(slug: str) -> Dataset:
    try:
        return DATASETS[slug]
    except KeyError:
        raise Http404("There is no such dataset.") from None


def dataset_csv(request, slug: str):
    dataset = dataset_of(slug)
    response = HttpResponse(
        # A byte order mark, so that spreadsheets read the file as UTF-8 (Malmö, Rīga).
        "\ufeff" + as_csv(dataset, dataset.rows(request)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="baltmet-inno-{slug}.csv"'
    return response


def dataset_json(request, slug: str):
    dataset = dataset_of(slug)
    return HttpResponse(
        as_json(dataset, dataset.rows(request)), content_type="application/json; charset=utf-8"
    )


def data_index(request):
    return TemplateResponse(request, "opendata/index.html", {"datasets": DATASETS.values()})
