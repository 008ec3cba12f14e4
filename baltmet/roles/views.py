"""The administrators' "Invite an editor" form (Settings > Invite an editor, and a button on
the users list): an e-mail address and a partner organisation, nothing else. The editor
joins that organisation's editors' group only, so an invitation can never grant more."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from baltmet.roles.invitations import invite_editor
from partners.models import OrganisationPage

# Only those who may add users invite editors: administrators.
INVITE_PERMISSION = "auth.add_user"


def may_invite(user) -> bool:
    return user.has_perm(INVITE_PERMISSION)


class InviteEditorForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        help_text="The invitation goes here; it is also the editor's username.",
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label="Partner organisation",
        queryset=OrganisationPage.objects.live().order_by("title"),
        help_text="The editor may edit this organisation's pages and add news and events, "
        "which a moderator approves before they are published.",
    )


class InviteEditorView(WagtailAdminTemplateMixin, FormView):
    form_class = InviteEditorForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = "Invite an editor"
    header_icon = "mail"
    success_url = reverse_lazy("wagtailusers_users:index")

    def dispatch(self, request, *args, **kwargs):
        if not may_invite(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailusers_users:index"), "label": "Users"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("baltmet_invite_editor"),
            submit_button_label="Send the invitation",
            submit_button_active_label="Sending…",
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        user, created = invite_editor(
            data["organisation"],
            data["email"],
            data["first_name"],
            data["last_name"],
            invited_by=self.request.user,
        )
        verb = "invited" if created else "added (an existing account)"
        messages.success(
            self.request,
            f"{user.email} was {verb} as an editor for {data['organisation'].title}; "
            "the invitation with a link to set a password is on its way.",
        )
        return redirect(self.get_success_url())
