from .figures import FigureSource, KeyFigure
from .media import CustomDocument, CustomImage, CustomRendition
from .pages import BasePage, IndexPage, StandardPage
from .site_settings import SiteSettings
from .users import User

__all__ = [
    "BasePage",
    "CustomDocument",
    "CustomImage",
    "CustomRendition",
    "FigureSource",
    "IndexPage",
    "KeyFigure",
    "SiteSettings",
    "StandardPage",
    "User",
]
