"""The administrators' "Import open data" form (Settings > Import open data): a CSV file of
organisations or events, checked and reported row by row; a dry run by default."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from baltmet.opendata.importers import IMPORTERS, MAX_FILE_SIZE, UnreadableFile

# Importing creates and publishes pages of any organisation: administrators only.
IMPORT_PERMISSION = "auth.add_user"


def may_import(user) -> bool:
    return user.is_active and user.has_perm(IMPORT_PERMISSION)


class ImportForm(forms.Form):
    dataset = forms.ChoiceField(
        label="What the file holds",
        choices=[("organisations", "Partner organisations"), ("events", "Events")],
    )
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, with the columns of the export (/data/organisations.csv, "
        "/data/events.csv); at most 2 MB.",
    )
    dry_run = forms.BooleanField(
        label="Dry run: check and report, change nothing",
        required=False,
        initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError("The file is larger than 2 MB.")
        return upload


class ImportView(WagtailAdminTemplateMixin, FormView):
    form_class = ImportForm
    template_name = "opendata/import.html"
    page_title = "Import open data"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("opendata_import"),
            submit_button_label="Check the file",
            submit_button_active_label="Checking…",
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            report = IMPORTERS[data["dataset"]]().run(
                data["file"].read(), dry_run=data["dry_run"], user=self.request.user
            )
        except UnreadableFile as error:
            form.add_error("file", f"{error} Nothing was changed.")
            return self.form_invalid(form)
        if report.errors:
            messages.error(self.request, f"{len(report.errors)} error(s): nothing was changed.")
        elif report.written:
            messages.success(self.request, f"Imported: {report.summary()}")
        else:
            messages.info(self.request, f"Dry run, nothing was changed: {report.summary()}")
        return self.render_to_response(self.get_context_data(form=form, report=report))
