"""The address guard: which addresses a fetch may reach, and the one-line refusals."""

from __future__ import annotations

import pytest

from archive.errors import FetchError
from archive.fetching.address_guard import check_url, origin, refusal


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.0.0.2", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("192.168.0.1", "a private address"),
        ("172.16.5.4", "a private address"),
        ("169.254.1.1", "a link-local address"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("100.64.0.1", "not a public address"),
        ("::1", "a loopback address"),
        ("::", "an unspecified address"),
        ("fe80::1", "a link-local address"),
        ("fc00::1", "a private address"),
        ("ff02::1", "a multicast address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("::ffff:10.0.0.1", "a private address"),
        ("::ffff:169.254.169.254", "a cloud metadata address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("100.100.100.200", "a cloud metadata address"),
    ],
)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    assert refusal(address) == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(address) is None


def test_a_name_resolving_to_loopback_is_refused() -> None:
    with pytest.raises(FetchError) as caught:
        check_url("http://localhost:8080/a.pdf")
    message = str(caught.value)
    assert message.startswith("http://localhost:8080/a.pdf: refused: localhost (")
    assert "is a loopback address" in message
    assert "\n" not in message


def test_metadata_is_refused_even_when_private_addresses_are_allowed() -> None:
    with pytest.raises(FetchError, match=r"169\.254\.169\.254 is a cloud metadata address"):
        check_url("http://169.254.169.254/latest/meta-data/", allow_private=True)


def test_private_addresses_pass_when_allowed() -> None:
    check_url("http://localhost:8080/a.pdf", allow_private=True)
    check_url("http://[::1]:8080/a.pdf", allow_private=True)


def test_an_allowed_origin_passes_and_only_that_origin() -> None:
    allowed = frozenset({"http://127.0.0.2:8123"})
    check_url("http://127.0.0.2:8123/oparl/body", allowed_origins=allowed)
    with pytest.raises(FetchError, match="loopback"):
        check_url("http://127.0.0.2:8124/other", allowed_origins=allowed)
    with pytest.raises(FetchError, match="loopback"):
        check_url("https://127.0.0.2:8123/other", allowed_origins=allowed)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://Example.org/a", "http://example.org:80"),
        ("https://example.org:8443/a", "https://example.org:8443"),
        ("http://[::1]:81/", "http://[::1]:81"),
    ],
)
def test_origin_spells_out_the_port(url: str, expected: str) -> None:
    assert origin(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https URLs are fetched, not 'file'"),
        ("ftp://example.org/a.pdf", "only http and https URLs are fetched, not 'ftp'"),
        ("http:///a.pdf", "the URL names no host"),
        ("http://no-such-host.invalid/a.pdf", "host no-such-host.invalid not found"),
    ],
)
def test_unusable_urls_are_refused(url: str, reason: str) -> None:
    with pytest.raises(FetchError) as caught:
        check_url(url)
    assert caught.value.url == url
    assert reason in caught.value.reason
