"""What every provider client shares (places/providers/*, events/sources/*, chat/llm/gemini.py):

    errors.py    ProviderError, the one error a client raises (ProviderTimeout, CircuitOpen)
    http.py      request_json / provider_response: one call, checked, or a ProviderError
    session.py   the outbound requests session: timeouts, the HTTP cache, keys kept out of logs
    retry.py     when a call is tried again: the transport's retries, and tenacity's above them
    breaker.py   the circuit breaker, in the shared cache
    results.py   a call's result in the shared cache (rows, walk times), with the same stale policy

Services catch ProviderError and degrade (the catalog, estimated walks, the built-in reply).

Caching: one layer per provider call, all in the shared cache (Redis; process memory while it is
down). The HTTP cache (session.py) unless the caller keeps what it made of the answer, which is
then the only layer (results.py). "Kept" is the stale policy: once fresh time is over, the
provider is asked again, and while it fails (an error, a timeout, an unreadable answer) or its
circuit is open the expired entry is still used for that long. An error is never cached.

| Call | Layer, where | Key | Fresh | Kept |
|---|---|---|---|---|
| Google Places Nearby Search | the Place rows saved from it, places/candidates.py | `places:nearby:v3:<spec>:<lat>:<lng>` (3 decimals: ~100 m) | 30 min | 6 h |
| Google Places Text Search | the Place rows saved from it, places/candidates.py | `places:text:v2:<words>:<radius>:<lat>:<lng>` | 30 min | 6 h |
| Google Places photo media | HTTP, places/providers/google_places.py | `http:google_photos:…` (reference, width) | 50 min | no: the URI is short-lived |
| Google Routes route matrix | the walk times made of it, places/selectors.py | `places:walks:v2:<lat>:<lng>:<candidates>` (4 decimals: ~10 m) | 10 min | 6 h |
| Google Routes route | HTTP, places/providers/google_routes.py | `http:google_routes:…` (the request) | 10 min | 6 h |
| Google Geocoding | HTTP, places/providers/google_geocoding.py | `http:geocode:…` (the address) | 30 days | 6 h |
| OpenWeather current, forecast | HTTP, places/providers/openweather.py | `http:openweather:…` (2 decimals: ~1 km) | 10 min | 6 h |
| NWS observation, hourly forecast | HTTP, places/providers/nws.py | `http:nws:…` (the path) | 10 min | 6 h |
| NWS point, its stations | HTTP, places/providers/nws.py | `http:nws-points:…` (the path) | 7 days | 6 h |
| Gemini | none: every turn is a new question | | | |
| Event sources | none: the hourly sync stores events, requests read the database | | | |

Beside those layers, each kept for a measured reason:

- The weather (OpenWeather, NWS): each worker also keeps its parsed answers for 60 s, unshared.
  Every dashboard, list and chat turn shows the weather; asking the shared cache for it was 10%
  of a worker's time under the apps' traffic (docs/BENCHMARKS.md). A point outside NWS coverage
  is remembered for a day (`nws:outside:<lat>,<lon>`), so that its callers do not ask again.
- `/api/quick_recs` (anonymous) keeps its whole card list for 60 s per ~10 m cell and minute of
  `at` (`places:quick:v3:…`, recommendations/lists.py): a cache of the endpoint's answer above
  the rows and walk times, not of a provider call. Without it a warm quick-recs costs twice as
  much (docs/BENCHMARKS.md).

Not provider caches: the catalog and staff places each process holds behind a version token
(places/selectors.py), conversation memory, rate-limit counters, circuit-breaker state.
"""

from .errors import CircuitOpen, ProviderError, ProviderTimeout

__all__ = ["CircuitOpen", "ProviderError", "ProviderTimeout"]
