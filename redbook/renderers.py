"""A faster JSON renderer for the hot read endpoints (feeds, search, note and product lists).

`ORJSONRenderer` writes the bytes DRF's `JSONRenderer` writes with this project's settings
(compact separators, UTF-8 rather than \\u escapes, U+2028 and U+2029 escaped), with orjson
instead of the json module: serializing a page of twenty notes took longer than reading it.
Anything orjson does not know natively (lazy translations, Decimal, ...) goes through DRF's
encoder, and an indented response (the `indent` media type parameter) is DRF's own.
"""

import orjson
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_ENCODER = JSONEncoder()
# Int keys become strings, as json.dumps makes them; dates and times go to DRF's encoder
# (orjson would write "+00:00" where DRF writes "Z").
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


class ORJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        body = orjson.dumps(data, default=_ENCODER.default, option=_OPTIONS)
        # Valid JSON but not valid JavaScript: DRF escapes them, so the bytes stay the same.
        return body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


# `renderer_classes` of the hot endpoints: DRF's defaults with the JSON renderer swapped.
HOT_RENDERERS = (ORJSONRenderer, BrowsableAPIRenderer)
