"""Run in a subprocess with DJANGO_SETTINGS_MODULE=violetvibes.settings.production (see
test_api8_misconfiguration.py): `check --deploy`, migrate a throw-away SQLite file, then a few
requests through Django's test client. Prints one JSON report on the last line of stdout."""

import io
import json
import sys

import django


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    report: dict = {"debug": settings.DEBUG}
    out = io.StringIO()
    try:
        call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
        report["check"] = {"ok": True, "output": out.getvalue()}
    except (SystemExit, Exception) as exc:  # noqa: BLE001 - the report says what failed
        report["check"] = {"ok": False, "output": out.getvalue() + repr(exc)}
    call_command("migrate", interactive=False, verbosity=0)

    host = settings.ALLOWED_HOSTS[0]
    browser = Client(HTTP_HOST=host, raise_request_exception=False)

    def grab(response: object) -> dict:
        cookies = {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]} for name, c in response.cookies.items()}
        return {"status": response.status_code, "headers": {name.lower(): value for name, value in response.items()}, "body": response.content.decode(errors="replace")[:3000], "cookies": cookies}

    https = {"secure": True}
    # A user made directly (no password: production's PBKDF2 would cost a second per hash).
    from accounts.models import User
    from accounts.tokens import token_pair_for

    token = token_pair_for(User.objects.create_user(email="prod@nyu.edu", password=None))["token"]
    report["refused_signup"] = grab(browser.post("/api/auth/signup", {"email": "not-an-email"}, content_type="application/json", **https))
    report["me"] = grab(browser.get("/api/user/me", HTTP_AUTHORIZATION=f"Bearer {token}", **https))
    report["chat"] = grab(browser.post("/api/chat", {"message": "coffee near me"}, content_type="application/json", **https))
    report["not_found"] = grab(browser.get("/api/nope", **https))
    report["unknown_page"] = grab(browser.get("/nope", **https))
    report["admin_login"] = grab(browser.get("/admin/login/", **https))
    report["plain_http_api"] = grab(browser.get("/api/v1/places/"))
    report["plain_http_health"] = grab(browser.get("/health"))
    report["plain_http_ported_host"] = grab(Client(HTTP_HOST=f"{host}:8443", raise_request_exception=False).get("/api/v1/places/"))
    report["proxied_https"] = grab(browser.get("/api/v1/places/", HTTP_X_FORWARDED_PROTO="https"))
    evil = {"HTTP_ORIGIN": "https://evil.example", **https}
    report["cors_evil"] = grab(browser.get("/api/v1/places/", **evil))
    report["cors_evil_preflight"] = grab(
        browser.options("/api/auth/login", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST", HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type", **evil)
    )
    allowed = settings.CORS_ALLOWED_ORIGINS[0]
    report["cors_allowed"] = grab(browser.get("/api/v1/places/", HTTP_ORIGIN=allowed, **https))
    report["cors_allowed_origin"] = allowed
    report["bad_host"] = grab(Client(HTTP_HOST="evil.example", raise_request_exception=False).get("/api/v1/places/", **https))

    from accounts import services

    def explode(**kwargs: object) -> None:
        raise RuntimeError("secret-detail: postgres://admin:hunter2@db.internal/violetvibes")

    services.user_authenticate = explode
    report["forced_error"] = grab(
        browser.post("/api/auth/login", {"email": "prod@nyu.edu", "password": "a-prod-violet-pass-1"}, content_type="application/json", **https)
    )
    sys.stdout.write("\n" + json.dumps(report) + "\n")


if __name__ == "__main__":
    main()
