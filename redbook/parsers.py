"""JSON request bodies: capped in size and depth before parsing, and objects at the top level.

`json.loads` recurses once per nesting level: a body of 50,000 "[" raises
RecursionError, a 500, on any endpoint (sign-up and login included). So every JSON
body is read by `json_loads_capped`: at most `JSON_MAX_BYTES` (413 beyond) and at
most `JSON_MAX_DEPTH` levels of arrays and objects (400 beyond), counted by a scan
that skips strings and never recurses; NaN and Infinity are refused (400).
`JSONObjectParser` is the API's only JSON parser (the default, and what views that
name their parsers use); anything else that parses a request body as JSON (a
webhook, a multipart field holding JSON) calls `json_loads_capped` too.

`null`, `[...]` or `"text"` at the top level is a 400 as well: every endpoint of
API.md takes an object, and views call `request.data.get(...)`.
"""

import json
import re

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import APIException, ParseError

# A JSON string, escapes included (the unrolled loop never backtracks), and every byte but brackets.
# An unclosed string runs to the end of the body: were a closing quote required, each quote
# of a body like `"\"\"\"…` would start a scan to the end and fail, quadratic in the body.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))


class BodyTooLarge(APIException):
    # Not redbook.exceptions.TooLarge: that module imports DRF's views, which import this one.
    status_code = 413
    default_code = "too_large"


def json_depth_exceeds(raw: bytes, limit: int) -> bool:
    """True when arrays and objects nest deeper than `limit` (brackets inside strings not counted).

    Vectorised (a running sum of +1 per opening and -1 per closing bracket): a loop over a
    megabyte of "[]" in Python cost 0.8 s of CPU per request.
    """
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    if len(brackets) <= limit:
        return False
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1).astype(np.int32)
    return int(np.cumsum(steps).max()) > limit


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def json_loads_capped(raw: bytes | str):
    """Parse a JSON request body, or raise BodyTooLarge (413) / ParseError (400)."""
    data = raw.encode() if isinstance(raw, str) else raw
    if len(data) > settings.JSON_MAX_BYTES:
        raise BodyTooLarge(_("The JSON body is larger than %(n)d bytes.") % {"n": settings.JSON_MAX_BYTES})
    if json_depth_exceeds(data, settings.JSON_MAX_DEPTH):
        raise ParseError(
            _("The JSON body nests deeper than %(n)d levels.") % {"n": settings.JSON_MAX_DEPTH}, code="too_deep"
        )
    try:
        return json.loads(data, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ParseError(_("The body is not valid JSON."), code="parse_error") from exc


class JSONObjectParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        # One byte over the cap is enough to refuse: a huge body is never read whole.
        raw = stream.read(settings.JSON_MAX_BYTES + 1) if stream is not None else b""
        data = json_loads_capped(raw)
        if not isinstance(data, dict):
            raise ParseError(_("The request body must be a JSON object."))
        return data
