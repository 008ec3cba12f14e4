"""The admin's users list, as administrators need it: each user's organisation, groups and
whether two-factor authentication is on, read in the listing's own queries, and a button to
invite an editor. Installed through WagtailUsersAppConfig.user_viewset (apps.py)."""

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.functional import cached_property
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets.button import HeaderButton
from wagtail.users.views.users import IndexView, UserViewSet

from baltmet.roles.views import may_invite


def organisations(user) -> str:
    return ", ".join(
        group.partner_access.organisation.title
        for group in user.groups.all()
        if hasattr(group, "partner_access")
    )


def group_names(user) -> str:
    return ", ".join(group.name for group in user.groups.all())


class PortalUserIndexView(IndexView):
    @cached_property
    def columns(self):
        return [
            *super().columns,
            Column("organisation", accessor=organisations, label="Organisation"),
            Column("groups", accessor=group_names, label="Groups"),
            BooleanColumn("has_two_factor", label="Two-factor"),
        ]

    def get_base_queryset(self):
        groups = Group.objects.select_related("partner_access__organisation").order_by("name")
        confirmed_device = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return (
            super()
            .get_base_queryset()
            .prefetch_related(Prefetch("groups", queryset=groups))
            .annotate(has_two_factor=Exists(confirmed_device))
        )

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if may_invite(self.request.user):
            buttons.append(
                HeaderButton(
                    "Invite an editor", url=reverse("baltmet_invite_editor"), icon_name="mail"
                )
            )
        return buttons


class PortalUserViewSet(UserViewSet):
    index_view_class = PortalUserIndexView
