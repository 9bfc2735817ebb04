"""JSON bodies are objects: `null`, `[...]` or `"text"` at the top level is a 400.

Every endpoint of API.md takes an object, and views call `request.data.get(...)`;
refusing anything else here means a stray array can never reach a view as a 500.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONObjectParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("The request body must be a JSON object."))
        return data
