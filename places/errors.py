"""What the places views answer when a selector has nothing; violetvibes/errors.py answers them (ERRORS)."""

from violetvibes.errors import DomainError


class WeatherUnavailable(DomainError):
    code = "weather_unavailable"


class PhotoNotFound(DomainError):
    code = "photo_not_found"
