"""DRF's content negotiation with its choices remembered (REST_FRAMEWORK's DEFAULT_CONTENT_NEGOTIATION_CLASS).

DRF parses the Accept header into media types and orders them for every request, though the answer
depends only on the view's renderers, the format asked for (a `.json` suffix or `?format=`) and the
header's text: a handful of values a process sees over and over (docs/BENCHMARKS.md, /me). Each
answer is remembered per process, up to MAX_REMEMBERED of them (the header is the client's: past
that, answers are worked out as before, never forgotten to make room). A request that fails (406,
404 for an unknown format) is not remembered and fails as it did.
"""

from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from . import state

MAX_REMEMBERED = 256

_chosen: dict[tuple, tuple[int, str]] = {}
state.on_reset(_chosen.clear)


class RememberedContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request: Request, renderers: list[BaseRenderer], format_suffix: Any = None) -> tuple[BaseRenderer, str]:
        meta = request._request.META
        format_param = self.settings.URL_FORMAT_OVERRIDE
        # No query string, no `?format=`: the query is not parsed for it.
        asked = format_suffix or (request.query_params.get(format_param) if meta.get("QUERY_STRING") else None)
        key = (
            tuple((type(renderer), renderer.media_type, renderer.format) for renderer in renderers),
            format_param,
            asked,
            meta.get("HTTP_ACCEPT", "*/*"),
        )
        chosen = _chosen.get(key)
        if chosen is not None:
            return renderers[chosen[0]], chosen[1]
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        if len(_chosen) < MAX_REMEMBERED:
            _chosen[key] = (next(i for i, candidate in enumerate(renderers) if candidate is renderer), media_type)
        return renderer, media_type
