"""What every provider client shares (places/providers/*, events/sources/*, chat/llm/gemini.py):

    errors.py    ProviderError, the one error a client raises (ProviderTimeout, CircuitOpen)
    http.py      request_json / provider_response: one call, checked, or a ProviderError
    session.py   the outbound requests session: timeouts, the HTTP cache, keys kept out of logs
    retry.py     when a call is tried again: the transport's retries, and tenacity's above it
    breaker.py   the circuit breaker, in the shared cache

Services catch ProviderError and degrade (the catalog, estimated walks, the built-in reply).
"""

from .errors import CircuitOpen, ProviderError, ProviderTimeout

__all__ = ["CircuitOpen", "ProviderError", "ProviderTimeout"]
