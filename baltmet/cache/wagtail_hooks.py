from wagtail import hooks

from .tags import current, page_dependencies


@hooks.register("before_serve_page")
def note_served_page(page, request, serve_args, serve_kwargs):
    """The page being served: its dependencies, and no caching behind a view restriction."""
    collector = current()
    if collector is None:
        return None
    collector.served_page = True
    collector.tags.update(page_dependencies(page))
    if page.get_view_restrictions().exists():
        collector.refuse("the page has a view restriction")
    return None
