from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from baltmet.opendata.admin_views import ImportView, may_import


@hooks.register("register_admin_urls")
def import_urls():
    return [path("import-open-data/", ImportView.as_view(), name="opendata_import")]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import(request.user)


@hooks.register("register_settings_menu_item")
def import_menu_item():
    return ImportMenuItem(
        "Import open data", reverse("opendata_import"), icon_name="upload", order=602
    )
