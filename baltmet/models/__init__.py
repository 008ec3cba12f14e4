from .figures import FigureSource, KeyFigure
from .media import CustomDocument, CustomImage, CustomRendition
from .pages import IndexPage, StandardPage
from .site_settings import SiteSettings
from .users import User

__all__ = [
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
