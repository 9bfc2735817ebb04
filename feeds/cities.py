"""Cities offered on the Nearby page when the browser does not share its location."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


@dataclass(frozen=True)
class City:
    slug: str
    name: "_StrOrPromise"  # a lazy translation, rendered in the active language
    lat: float
    lng: float


# City-centre coordinates (WGS 84).
CITIES = [
    City("shanghai", _("Shanghai"), 31.2304, 121.4737),
    City("beijing", _("Beijing"), 39.9042, 116.4074),
    City("guangzhou", _("Guangzhou"), 23.1291, 113.2644),
    City("shenzhen", _("Shenzhen"), 22.5431, 114.0579),
    City("hangzhou", _("Hangzhou"), 30.2741, 120.1551),
    City("chengdu", _("Chengdu"), 30.5728, 104.0668),
    City("chongqing", _("Chongqing"), 29.5630, 106.5516),
    City("xian", _("Xi'an"), 34.3416, 108.9398),
    City("wuhan", _("Wuhan"), 30.5928, 114.3055),
    City("nanjing", _("Nanjing"), 32.0603, 118.7969),
    City("suzhou", _("Suzhou"), 31.2990, 120.5853),
    City("xiamen", _("Xiamen"), 24.4798, 118.0894),
    City("hong-kong", _("Hong Kong"), 22.3193, 114.1694),
    City("taipei", _("Taipei"), 25.0330, 121.5654),
]


def city_get(slug: str | None) -> City | None:
    return next((city for city in CITIES if city.slug == slug), None)
