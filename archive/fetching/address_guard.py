"""The address guard: a fetch goes to public internet addresses only, unless allowed.

Before every request (and every redirect hop) the host is resolved and refused when any
of its addresses is loopback, private, link-local, reserved, multicast, unspecified or a
cloud metadata address (that one even with ``allow_private``), so that a council's file
URL cannot make Ratsarchiv read its own machine or intranet. An allowed origin (the
source's own ``scheme://host:port``) passes unresolved. Remaining gap: DNS rebinding, a
name resolving to a public address for this check and to a private one when the
connection is made a moment later (the connection is not pinned to the checked address).

>>> refusal("127.0.0.1"), refusal("::ffff:10.0.0.1"), refusal("93.184.216.34")
('a loopback address', 'a private address', None)
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from archive.errors import FetchError

METADATA = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
"""Cloud instance metadata services (AWS, GCP, Azure; AWS over IPv6; Alibaba)."""
METADATA_REASON = "a cloud metadata address"
"""Refused even with ``allow_private``: only an allowed origin reaches it."""
DEFAULT_PORTS = {"http": 80, "https": 443}
SCHEMES = frozenset(DEFAULT_PORTS)


def refusal(address: str) -> str | None:
    """Why ``address`` (an IP address) must not be fetched from, or ``None`` when public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return METADATA_REASON
    for kind in ("loopback", "unspecified", "link_local", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return f"a{'n' * (kind == 'unspecified')} {kind.replace('_', '-')} address"
    if not ip.is_global:
        return "not a public address"
    return None


def origin(url: str) -> str:
    """``scheme://host:port`` of ``url``, lower case, the port spelled out."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        port = 0
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def check_url(
    url: str, *, allow_private: bool = False, allowed_origins: frozenset[str] = frozenset()
) -> None:
    """Raise ``FetchError`` unless ``url`` is http(s) to a public host (or allowed)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(
            url, f"only http and https URLs are fetched, not {parts.scheme or 'this'!r}"
        )
    if not parts.hostname:
        raise FetchError(url, "the URL names no host")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme.lower()]
    except ValueError:
        raise FetchError(url, "the URL has an invalid port") from None
    if origin(url) in {origin(allowed) for allowed in allowed_origins}:
        return
    for address in resolve(url, parts.hostname, port):
        reason = refusal(address)
        if reason and (not allow_private or reason == METADATA_REASON):
            named = address if parts.hostname == address else f"{parts.hostname} ({address})"
            raise FetchError(
                url,
                f"refused: {named} is {reason}; only public addresses are fetched "
                "(--allow-private allows private ones)",
            )


def resolve(url: str, host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (``FetchError`` when it does not)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(url, f"host {host} not found ({exc})") from None
    return sorted({str(info[4][0]) for info in infos})
