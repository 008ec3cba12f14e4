from .figures import FigureSource, KeyFigure
from .media import CustomDocument, CustomImage, CustomRendition
from .pages import StandardPage
from .site_settings import SiteSettings
from .users import User

__all__ = [
    "CustomDocument",
    "CustomImage",
    "CustomRendition",
    "FigureSource",
    "KeyFigure",
    "SiteSettings",
    "StandardPage",
    "User",
]
