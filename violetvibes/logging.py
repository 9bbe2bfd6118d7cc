"""Request-id aware logging: every record carries the id of the request it was written in."""

import contextvars
import json
import logging
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class DropMessage(logging.Filter):
    """Drops the records whose message starts with `prefix` (a library's notice known to be wrong
    here); attached to that library's logger in settings.LOGGING."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.prefix)


class JsonFormatter(logging.Formatter):
    """One JSON object per line; `extra={...}` fields are included as top-level keys."""

    _RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "timestamp": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in self._RESERVED and not key.startswith("_"):
                payload[key] = value
        # exc_text alone: a traceback already written out as text (violetvibes.providers.session redacts keys so).
        exception = self.formatException(record.exc_info) if record.exc_info else record.exc_text
        if exception:
            payload["exception"] = exception
        return json.dumps(payload, default=str)
