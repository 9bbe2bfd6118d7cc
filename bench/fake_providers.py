"""A fake of every external provider on loopback, for the benchmark and fault stacks.

    .venv/bin/python bench/fake_providers.py --port 8900

One port serves them all; point the settings at it (`PROVIDERS=fake bench/stack start` does):

    GOOGLE_PLACES_BASE_URL, GOOGLE_ROUTES_BASE_URL,
    GOOGLE_MAPS_BASE_URL (geocoding), OPENWEATHER_BASE_URL,
    NWS_BASE_URL, GEMINI_BASE_URL       http://127.0.0.1:8900
    ENGAGE_BASE_URL                     http://127.0.0.1:8900/engage
    BROOKLYN_BRIDGE_PARK_BASE_URL       http://127.0.0.1:8900/bbp
    DOWNTOWN_BROOKLYN_BASE_URL          http://127.0.0.1:8900/dtbk
    NYC_PARKS_BASE_URL                  http://127.0.0.1:8900/parks

Google, OpenWeather, National Weather Service and Gemini answers are synthetic but shaped like the
real APIs: nearby searches return places around the requested centre, text searches places of the
kinds their words name around the centre they are biased to, route matrices one element per
destination; the NWS answers /points (404 outside a rough box around the United States, as the
real one does for points it does not cover), a station list, the station's latest observation
(ten minutes old) and an hourly forecast from the current hour.
The event sources answer with the recorded payloads of tests/payloads/ (read at start-up and moved
by whole weeks so that they start within the coming week: they never go stale), paged by the parameters the sources send: Engage `skip`/`take` over both search
pages, Brooklyn Bridge Park `per_page`/`page` with `X-WP-TotalPages`, Downtown Brooklyn
`per_page`/`page` with a `next_rest_url` on this server, NYC Parks `/events` then an empty
`/events/pN`. Engage's search wants the page's XSRF token, as the real one does.

Control (JSON); providers: google_places, google_routes, google_geocoding, openweather, nws, gemini,
nyu_engage, brooklyn_bridge_park, downtown_brooklyn, nyc_parks:
    GET  /__stats                      -> {"calls": {provider: n}, "modes": {...}}
    POST /__mode {"provider": "google_places", "mode": "ok|slow|500|429|garbage", "delay": 3}
    POST /__reset                      -> zero the counters, every provider back to "ok"
"""

import argparse
import hashlib
import json
import math
import re
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes.dates import shift_recorded_dates, weeks_until

PAYLOADS = Path(__file__).resolve().parent.parent / "tests" / "payloads"
EVENT_PREFIXES = {"/engage": "nyu_engage", "/bbp": "brooklyn_bridge_park", "/dtbk": "downtown_brooklyn", "/parks": "nyc_parks"}
PROVIDERS = ("google_places", "google_routes", "google_geocoding", "openweather", "nws", "gemini", *EVENT_PREFIXES.values())
_lock = threading.Lock()
calls: dict[str, int] = dict.fromkeys(PROVIDERS, 0)
modes: dict[str, dict[str, Any]] = {name: {"mode": "ok", "delay": 3.0} for name in PROVIDERS}

GEMINI_REPLY = "Here are a few spots I'd try nearby."
GEMINI_UNDERSTANDING = {
    "intent": "new_request", "whats": [], "diet": [], "needs": [], "price_max": None, "area": None,
    "refinement": None, "target_index": None, "topic": None,
}  # fmt: skip
TYPES = ("cafe", "restaurant", "bar", "park", "museum", "book_store", "fast_food_restaurant")
# A text search answers with places of the kinds its words name ("sushi place near Tandon"), as
# Google's relevance would; words it does not know give the mix of TYPES.
TEXT_TYPES = {
    "coffee": ("coffee_shop", "cafe"), "tea": ("tea_house",), "pizza": ("pizza_restaurant",), "sushi": ("sushi_restaurant",),
    "ramen": ("ramen_restaurant",), "bagel": ("bagel_shop",), "bar": ("bar",), "museum": ("museum",), "park": ("park",),
    "library": ("library",), "bookstore": ("book_store",), "eat": ("restaurant",), "restaurant": ("restaurant",),
    "bakery": ("bakery",), "deli": ("deli",),
}  # fmt: skip


def _provider(path: str) -> str | None:
    for prefix, provider in EVENT_PREFIXES.items():
        if path.startswith(f"{prefix}/"):
            return provider
    if path.startswith("/maps/api/geocode/"):
        return "google_geocoding"
    if path.startswith("/v1/places") or path.startswith("/v1/places:"):
        return "google_places"
    if path.startswith(("/distanceMatrix", "/directions")):
        return "google_routes"
    if path.startswith("/data/2.5"):
        return "openweather"
    if path.startswith(("/points/", "/gridpoints/", "/stations/")):
        return "nws"
    if ":generateContent" in path:
        return "gemini"
    return None


def _places(center: dict[str, float], types: list[str], count: int) -> dict[str, Any]:
    seed = hashlib.sha256(json.dumps([round(center["latitude"], 3), round(center["longitude"], 3), types]).encode()).hexdigest()
    places = []
    for i in range(count):
        h = int(seed[i * 2 : i * 2 + 8] or "1", 16)
        angle, radius = (h % 360) * math.pi / 180, 100 + h % 900
        lat = center["latitude"] + radius / 111_000 * math.cos(angle)
        lng = center["longitude"] + radius / 84_000 * math.sin(angle)
        kind = types[i % len(types)] if types else TYPES[i % len(TYPES)]
        pid = f"FAKE{seed[:10]}{i:02d}"
        places.append(
            {
                "id": pid,
                "displayName": {"text": f"Fake {kind.replace('_', ' ').title()} {i + 1}", "languageCode": "en"},
                "formattedAddress": f"{100 + i} Jay St, Brooklyn, NY 11201",
                "location": {"latitude": lat, "longitude": lng},
                "primaryType": kind,
                "types": [kind, "point_of_interest", "establishment"],
                "rating": round(3.5 + (h % 15) / 10, 1),
                "userRatingCount": 20 + h % 2000,
                "priceLevel": ["PRICE_LEVEL_INEXPENSIVE", "PRICE_LEVEL_MODERATE", "PRICE_LEVEL_EXPENSIVE"][h % 3],
                "currentOpeningHours": {"openNow": h % 4 != 0},
                "photos": [{"name": f"places/{pid}/photos/PHOTO{i}"}],
            }
        )
    return {"places": places}


def _answer(path: str, body: dict[str, Any]) -> Any:
    if path.endswith(":searchNearby"):
        circle = body["locationRestriction"]["circle"]
        return _places(circle["center"], body.get("includedTypes", []), min(20, body.get("maxResultCount", 20)))
    if path.endswith(":searchText"):
        circle = body.get("locationBias", {}).get("circle", {"center": {"latitude": 40.6934, "longitude": -73.9856}})
        words = re.findall(r"[a-z]+", str(body.get("textQuery", "")).lower())
        types = list(dict.fromkeys(kind for word in words for kind in TEXT_TYPES.get(word, ())))
        return _places(circle["center"], types, min(20, body.get("pageSize", 10)))
    if path.endswith("/media"):
        return {"name": path.lstrip("/").removeprefix("v1/"), "photoUri": "https://lh3.googleusercontent.com/fake-photo=w800"}
    if path.endswith(":computeRouteMatrix"):
        origin = body["origins"][0]["waypoint"]["location"]["latLng"]
        elements = []
        for index, destination in enumerate(body["destinations"]):
            point = destination["waypoint"]["location"]["latLng"]
            meters = int(math.dist((origin["latitude"] * 111_000, origin["longitude"] * 84_000), (point["latitude"] * 111_000, point["longitude"] * 84_000)) * 1.25)
            elements.append({"originIndex": 0, "destinationIndex": index, "status": {}, "distanceMeters": meters, "duration": f"{int(meters / 1.35)}s", "condition": "ROUTE_EXISTS"})
        return elements
    if path.endswith(":computeRoutes"):
        return {"routes": [{"distanceMeters": 900, "duration": "680s", "polyline": {"encodedPolyline": "_p~iF~ps|U_ulLnnqC_mqNvxq`@"}}]}
    if path == "/data/2.5/weather":
        return {"weather": [{"main": "Clouds", "description": "broken clouds", "icon": "04d"}], "main": {"temp": 48.2, "humidity": 61}, "wind": {"speed": 7.1}, "name": "Brooklyn"}
    if path == "/data/2.5/forecast":
        now = int(time.time())
        return {"list": [{"dt": now + 10800 * i, "main": {"temp": 47 + i, "humidity": 60}, "weather": [{"main": "Clouds", "description": "scattered clouds"}], "wind": {"speed": 6.0}} for i in range(8)]}
    if ":generateContent" in path:
        # Structured output (understand_request) asks for JSON: a reading that names nothing specific.
        wants_json = (body.get("generationConfig") or {}).get("responseMimeType") == "application/json"
        text = json.dumps(GEMINI_UNDERSTANDING) if wants_json else GEMINI_REPLY
        return {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}]}
    return None


# --- National Weather Service: the links point at api.weather.gov, as the real ones do (the client
# asks their paths of NWS_BASE_URL) ---------------------------------------------------------------------
NWS = "https://api.weather.gov"
NEW_YORK = ZoneInfo("America/New_York")


def _nws_answer(path: str) -> tuple[int, Any]:
    point = re.fullmatch(r"/points/(-?[\d.]+),(-?[\d.]+)", path)
    if point:
        lat, lon = float(point.group(1)), float(point.group(2))
        if not (18 <= lat <= 72 and -180 <= lon <= -64):
            return 404, {"title": "Data Unavailable For Requested Point", "type": f"{NWS}/problems/InvalidPoint", "status": 404, "detail": f"Unable to provide data for requested point {lat},{lon}"}
        grid = f"/gridpoints/OKX/{int(abs(lon) * 100) % 97},{int(lat * 100) % 89}"
        return 200, {"type": "Feature", "properties": {"gridId": "OKX", "forecastHourly": f"{NWS}{grid}/forecast/hourly", "forecast": f"{NWS}{grid}/forecast", "observationStations": f"{NWS}{grid}/stations", "timeZone": "America/New_York"}}
    if re.fullmatch(r"/gridpoints/\w+/\d+,\d+/stations", path):
        return 200, {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"stationIdentifier": "KNYC", "name": "New York City, Central Park"}}]}
    if re.fullmatch(r"/stations/\w+/observations/latest", path):
        observed = (datetime.now(UTC) - timedelta(minutes=10)).replace(microsecond=0)
        return 200, {"type": "Feature", "properties": {
            "timestamp": observed.isoformat(), "textDescription": "Mostly Cloudy", "icon": f"{NWS}/icons/land/day/bkn?size=medium",
            "temperature": {"unitCode": "wmoUnit:degC", "value": 9.2, "qualityControl": "V"},
            "relativeHumidity": {"unitCode": "wmoUnit:percent", "value": 61.3, "qualityControl": "V"},
            "windSpeed": {"unitCode": "wmoUnit:km_h-1", "value": 11.2, "qualityControl": "V"},
        }}  # fmt: skip
    if re.fullmatch(r"/gridpoints/\w+/\d+,\d+/forecast/hourly", path):
        hour = datetime.now(NEW_YORK).replace(minute=0, second=0, microsecond=0)
        periods = []
        for i in range(156):
            start, end = hour + timedelta(hours=i), hour + timedelta(hours=i + 1)
            day = 7 <= start.hour < 17
            periods.append({
                "number": i + 1, "name": "", "startTime": start.isoformat(), "endTime": end.isoformat(), "isDaytime": day,
                "temperature": 47 + i % 5, "temperatureUnit": "F", "relativeHumidity": {"unitCode": "wmoUnit:percent", "value": 60},
                "windSpeed": "5 to 10 mph", "windDirection": "SW", "icon": f"{NWS}/icons/land/{'day' if day else 'night'}/sct?size=small",
                "shortForecast": "Partly Cloudy", "detailedForecast": "",
            })  # fmt: skip
        return 200, {"type": "Feature", "properties": {"units": "us", "periods": periods}}
    return 404, {"title": "Not Found", "status": 404}


# --- Event sources: the recorded payloads, paged as the real sites page them ---------------------------
Reply = tuple[int, bytes, str, dict[str, str]]  # status, body, content type, extra headers
HTML = "text/html; charset=utf-8"
EMPTY_PARKS_PAGE = b'<html><body><div id="events_leftcol"></div></body></html>'


def _load_payloads() -> dict[str, Any]:
    weeks = weeks_until(datetime.now(ZoneInfo("America/New_York")).date())

    def text(name: str) -> str:
        return shift_recorded_dates((PAYLOADS / name).read_text(encoding="utf-8"), weeks=weeks)

    engage_page = text("engage_events_page.html")
    token = re.search(r'"xsrfToken"\s*:\s*"([^"]+)"', engage_page)
    dtbk = [json.loads(text(f"downtown_brooklyn_events_p{n}.json")) for n in (1, 2)]
    return {
        "engage_page": engage_page.encode(),
        "engage_token": token.group(1) if token else "",
        "engage_items": [item for n in (1, 2) for item in json.loads(text(f"engage_search_page{n}.json"))["value"]],
        "bbp_posts": json.loads(text("bbp_tribe_events.json")),
        "dtbk_events": [event for page in dtbk for event in page["events"]],
        "parks_page": text("nyc_parks_events.html").encode(),
    }


payloads: dict[str, Any] = {}


def _json_reply(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return status, json.dumps(payload).encode(), "application/json", headers or {}


def _int_param(query: dict[str, list[str]], name: str, default: int) -> int:
    try:
        return max(0, int(query.get(name, [default])[0]))
    except ValueError:
        return default


def _event_answer(path: str, query: dict[str, list[str]], headers: Any) -> Reply:
    if path == "/engage/events":
        return 200, payloads["engage_page"], HTML, {"Set-Cookie": ".AspNetCore.Antiforgery.fake=1; Path=/; HttpOnly"}
    if path == "/engage/api/discovery/event/search":
        if headers.get("X-XSRF-TOKEN") != payloads["engage_token"]:
            return _json_reply({"message": "antiforgery token missing or invalid"}, 400)
        items = payloads["engage_items"]
        skip, take = _int_param(query, "skip", 0), _int_param(query, "take", 10) or 10
        return _json_reply({"@odata.count": len(items), "value": items[skip : skip + take]})
    if path == "/bbp/wp-json/wp/v2/tribe_events":
        posts = payloads["bbp_posts"]
        per_page, page = _int_param(query, "per_page", 10) or 10, _int_param(query, "page", 1) or 1
        pages = max(1, math.ceil(len(posts) / per_page))
        if page > pages:
            return _json_reply({"code": "rest_post_invalid_page_number", "data": {"status": 400}}, 400)
        totals = {"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(pages)}
        return _json_reply(posts[(page - 1) * per_page : page * per_page], headers=totals)
    if path == "/dtbk/wp-json/tribe/events/v1/events":
        events = payloads["dtbk_events"]
        per_page, page = _int_param(query, "per_page", 10) or 10, _int_param(query, "page", 1) or 1
        pages = max(1, math.ceil(len(events) / per_page))
        if page > pages:
            return _json_reply({"code": "rest_no_route", "message": "page out of range", "data": {"status": 404}}, 404)
        body: dict[str, Any] = {"events": events[(page - 1) * per_page : page * per_page], "total": len(events), "total_pages": pages}
        if page < pages:
            params = {key: values[0] for key, values in query.items()} | {"page": str(page + 1)}
            body["next_rest_url"] = f"http://{headers.get('Host', '127.0.0.1')}{path}?{urlencode(params)}"
        return _json_reply(body)
    if path == "/parks/events":
        return 200, payloads["parks_page"], HTML, {}
    if re.fullmatch(r"/parks/events/p\d+", path):
        return 200, EMPTY_PARKS_PAGE, HTML, {}  # the listing has no second page: paging stops here
    return _json_reply({"error": {"code": 404, "message": "unknown path"}}, 404)


def _geocode(query: dict[str, list[str]]) -> dict[str, Any]:
    """A point in Downtown Brooklyn that depends only on the address."""
    h = int(hashlib.sha256(query.get("address", [""])[0].encode()).hexdigest()[:8], 16)
    location = {"lat": 40.6934 + (h % 200 - 100) / 10_000, "lng": -73.9856 + (h // 200 % 200 - 100) / 10_000}
    return {"status": "OK", "results": [{"geometry": {"location": location}, "formatted_address": "Brooklyn, NY, USA"}]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        return

    def _send(
        self, status: int, payload: Any, raw: bytes | None = None, content_type: str = "application/json", headers: dict[str, str] | None = None
    ) -> None:
        data = raw if raw is not None else json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client gave up first (its read timeout during "slow"): expected

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}") if length else {}
        if path == "/__stats":
            with _lock:
                return self._send(200, {"calls": dict(calls), "modes": modes})
        if path == "/__reset":
            with _lock:
                for name in PROVIDERS:
                    calls[name] = 0
                    modes[name] = {"mode": "ok", "delay": 3.0}
            return self._send(200, {"ok": True})
        if path == "/__mode":
            with _lock:
                modes[body["provider"]] = {"mode": body["mode"], "delay": float(body.get("delay", 3.0))}
            return self._send(200, modes)
        provider = _provider(path)
        if provider is None:
            return self._send(404, {"error": {"code": 404, "message": "unknown path"}})
        with _lock:
            calls[provider] += 1
            mode = dict(modes[provider])
        if mode["mode"] == "slow":
            time.sleep(mode["delay"])
        if mode["mode"] == "500":
            return self._send(500, {"error": {"code": 500, "message": "fake outage"}})
        if mode["mode"] == "429":
            return self._send(429, {"error": {"code": 429, "message": "fake quota"}})
        if mode["mode"] == "garbage":
            return self._send(200, None, raw=b"<html>definitely not json")
        if provider in EVENT_PREFIXES.values():
            status, data, content_type, headers = _event_answer(path, query, self.headers)
            return self._send(status, None, raw=data, content_type=content_type, headers=headers)
        if provider == "google_geocoding":
            return self._send(200, _geocode(query))
        if provider == "nws":
            status, data = _nws_answer(path)
            return self._send(status, data, content_type="application/geo+json" if status == 200 else "application/problem+json")
        self._send(200, _answer(path, body))

    do_GET = _handle
    do_POST = _handle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8900)
    args = parser.parse_args()
    payloads.update(_load_payloads())
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"fake providers on http://127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
