"""The client's address, one rule for the portal, django-axes and Django itself: the proxy's
``X-Forwarded-For`` header is believed only when the request comes from a trusted proxy
(settings.TRUSTED_PROXIES); from any other peer the header is dropped and the peer is the client.

Behind a chain of proxies the header is read from the right: each trusted hop is skipped and the first
address that is not a trusted proxy is the client (what a client sends itself stays on the left and is
never reached while a trusted proxy appended after it)."""

import ipaddress
from functools import lru_cache

from django.conf import settings

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_REAL_IP")
PEER_KEY = "cchc.peer_addr"  # request.META: the address the connection really came from


@lru_cache(maxsize=8)
def trusted_networks(proxies):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in proxies)


def parse_ip(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted(address):
    ip = parse_ip(address or "")
    return ip is not None and any(ip in net for net in trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def resolve(peer, forwarded_for):
    """The client's address given the connection's peer and the X-Forwarded-For value."""
    if not is_trusted(peer):
        return peer
    client = peer
    for hop in reversed([part for part in (forwarded_for or "").split(",") if part.strip()]):
        ip = parse_ip(hop)
        if ip is None:  # a garbled hop: stop at the last address we could vouch for
            break
        client = str(ip)
        if not is_trusted(client):
            break
    return client


def client_ip(request):
    """The client's address for ``request`` (also AXES_CLIENT_IP_CALLABLE)."""
    peer = request.META.get(PEER_KEY) or request.META.get("REMOTE_ADDR", "")
    return resolve(peer, request.META.get("HTTP_X_FORWARDED_FOR", ""))


class ClientIPMiddleware:
    """First in MIDDLEWARE: REMOTE_ADDR becomes the client's address, and the forwarding headers of an
    untrusted peer are removed, so nothing after it (SECURE_PROXY_SSL_HEADER included) believes them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if PEER_KEY not in meta:
            peer = meta.get("REMOTE_ADDR", "")
            meta[PEER_KEY] = peer
            meta["REMOTE_ADDR"] = client_ip(request)
            if not is_trusted(peer):
                for header in FORWARDED_HEADERS:
                    meta.pop(header, None)
        return self.get_response(request)
