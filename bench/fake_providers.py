"""A fake of every external provider on loopback, for the benchmark and fault stacks.

    .venv/bin/python bench/fake_providers.py --port 8900

Point GOOGLE_PLACES_BASE_URL, GOOGLE_ROUTES_BASE_URL, OPENWEATHER_BASE_URL and GEMINI_BASE_URL at
http://127.0.0.1:8900. Answers are synthetic but shaped like the real APIs: nearby searches
return places around the requested centre, route matrices one element per destination.

Control (JSON):
    GET  /__stats                      -> {"calls": {provider: n}, "modes": {...}}
    POST /__mode {"provider": "google_places", "mode": "ok|slow|500|429|garbage", "delay": 3}
    POST /__reset                      -> zero the counters, every provider back to "ok"
"""

import argparse
import hashlib
import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PROVIDERS = ("google_places", "google_routes", "openweather", "gemini")
_lock = threading.Lock()
calls: dict[str, int] = dict.fromkeys(PROVIDERS, 0)
modes: dict[str, dict[str, Any]] = {name: {"mode": "ok", "delay": 3.0} for name in PROVIDERS}

TYPES = ("cafe", "restaurant", "bar", "park", "museum", "book_store", "fast_food_restaurant")


def _provider(path: str) -> str | None:
    if path.startswith("/v1/places") or path.startswith("/v1/places:"):
        return "google_places"
    if path.startswith(("/distanceMatrix", "/directions")):
        return "google_routes"
    if path.startswith("/data/2.5"):
        return "openweather"
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
        return _places(circle["center"], [], min(20, body.get("pageSize", 10)))
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
        return {"candidates": [{"content": {"role": "model", "parts": [{"text": "Here are a few spots I'd try nearby."}]}, "finishReason": "STOP"}]}
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        return

    def _send(self, status: int, payload: Any, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self) -> None:
        path = self.path.split("?", 1)[0]
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
        self._send(200, _answer(path, body))

    do_GET = _handle
    do_POST = _handle


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8900)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"fake providers on http://127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
