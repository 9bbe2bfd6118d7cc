"""The photo URLs this service hands out, and the only ones its photo proxy serves.

Every call the proxy makes is paid for at Google and the proxy is anonymous, so it serves a photo
reference only with the signature the card's `photo_url` carries (`?sig=`, an HMAC of the reference
under DJANGO_SECRET_KEY), and at one of a few widths, so that one photo costs at most one call per
width while its answer is cached.

Cards keep the unsigned, site-relative path (`selectors.photo_path`) in caches, chat memory and
saved messages; CardSerializer signs it when it writes a response. So a card saved before signing
existed still gets a working URL, and rotating the secret key breaks no stored card. Signatures do
not expire: a URL handed out stays valid as long as its key is DJANGO_SECRET_KEY or one of
SECRET_KEY_FALLBACKS.
"""

from django.core import signing
from django.urls import Resolver404, resolve
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode

SALT = "places.photo"
SIGNATURE_PARAMETER = "sig"
# The widths a photo is asked of Google at. The apps never pass one (they load `photo_url` as it is:
# 800); a client asking another width gets the next size up, the largest for anything above it.
WIDTHS = (200, 400, 800, 1600)
DEFAULT_WIDTH = 800
PHOTO_URL_NAME = "place-photo"


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, algorithm="sha256")


def signature(ref: str) -> str:
    """The signature of a photo reference under the current secret key."""
    return _signer().signature(ref)


def signature_valid(*, ref: str, sig: str) -> bool:
    """Whether `sig` is the signature of exactly `ref` under the current key or a fallback key."""
    if not sig:
        return False
    signer = _signer()
    return any(constant_time_compare(sig, signer.signature(ref, key)) for key in (signer.key, *signer.fallback_keys))


def width_for(requested: int) -> int:
    """The served width for a requested one: the smallest size at least as wide, else the largest."""
    return next((width for width in WIDTHS if width >= requested), WIDTHS[-1])


def signed(url: str) -> str:
    """`url` with its signature when it is this server's unsigned photo path; anything else as it is."""
    if not url.startswith("/") or url.startswith("//") or "?" in url:
        return url
    try:
        match = resolve(url)
    except Resolver404:
        return url
    if match.url_name != PHOTO_URL_NAME:
        return url
    return f"{url}?{urlencode({SIGNATURE_PARAMETER: signature(match.kwargs['ref'])})}"
