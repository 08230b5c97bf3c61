"""The client address behind proxies: X-Forwarded-For is believed only for the hops the
settings trust (App Service's front end: 1), never from the client itself."""

from __future__ import annotations

from django.test import RequestFactory

from shop.core.clients import client_address

requests = RequestFactory()


def a_request(forwarded: str | None = None, peer: str = "10.0.0.4"):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return requests.get("/", **extra)


def test_without_trusted_hops_the_socket_peer_is_the_client(settings):
    settings.TRUSTED_PROXY_HOPS = 0

    assert client_address(a_request("203.0.113.5")) == "10.0.0.4"


def test_one_trusted_hop_takes_the_address_the_proxy_appended(settings):
    settings.TRUSTED_PROXY_HOPS = 1

    assert client_address(a_request("203.0.113.5")) == "203.0.113.5"


def test_an_address_the_client_forged_before_the_proxy_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 1

    assert client_address(a_request("1.2.3.4, 198.51.100.9, 203.0.113.5")) == "203.0.113.5"


def test_two_trusted_hops_take_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY_HOPS = 2

    assert client_address(a_request("1.2.3.4, 203.0.113.5, 10.1.0.7")) == "203.0.113.5"


def test_the_port_app_service_appends_is_dropped(settings):
    settings.TRUSTED_PROXY_HOPS = 1

    assert client_address(a_request("203.0.113.5:51234")) == "203.0.113.5"
    assert client_address(a_request("[2001:db8::1]:51234")) == "2001:db8::1"
    assert client_address(a_request("2001:db8::1")) == "2001:db8::1"


def test_without_the_header_or_with_garbage_in_it_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXY_HOPS = 1

    assert client_address(a_request()) == "10.0.0.4"
    assert client_address(a_request("not-an-address")) == "10.0.0.4"
    assert client_address(a_request(" , ")) == "10.0.0.4"


def test_fewer_entries_than_trusted_hops_take_the_leftmost(settings):
    settings.TRUSTED_PROXY_HOPS = 2

    assert client_address(a_request("203.0.113.5")) == "203.0.113.5"
