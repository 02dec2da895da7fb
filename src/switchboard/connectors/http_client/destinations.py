"""Where outbound requests may not go: link-local networks and cloud metadata services.

A workflow's URL is user input, and it may be built from data a stranger sent (an inbound SMS, a
webhook). On a cloud server, ``http://169.254.169.254/`` (AWS, GCP, Azure, OpenStack),
``fd00:ec2::254`` (AWS over IPv6), ``metadata.google.internal`` and ``100.100.100.200`` (Alibaba)
hand out the machine's own credentials; the rest of 169.254.0.0/16 and fe80::/10 are link-local
services of the host. Requests there are refused unless the authentication sets
``allow_private_networks``.

Loopback (127.0.0.0/8, ::1) and the RFC 1918 ranges stay allowed: local simulators, sidecars and
services on the same private network are what workflows are often meant to reach, and the tests
serve their APIs on 127.0.0.1. The check resolves the host and refuses if *any* address is
forbidden, and runs again for every redirect. It cannot stop a DNS server that answers differently
between this check and the connection (DNS rebinding); the metadata addresses are also commonly
blocked at the network level, which this complements rather than replaces.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import httpx

from switchboard.errors import OperationFailed, ProviderError

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

LINK_LOCAL = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"))
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(text) for text in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
METADATA_HOSTS = frozenset({"metadata.google.internal"})
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _views(address: IpAddress) -> list[IpAddress]:
    """The address, and the IPv4 address an IPv6 one carries (mapped, NAT64 or 6to4), if any."""
    views: list[IpAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            views.append(address.ipv4_mapped)
        if address.sixtofour is not None:
            views.append(address.sixtofour)
        if address in NAT64:
            views.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return views


def refusal(address: IpAddress) -> str | None:
    """Why requests must not go to this address, or ``None`` if they may."""
    for view in _views(address):
        if view in METADATA_ADDRESSES:
            return "a cloud metadata address"
        if any(view in network for network in LINK_LOCAL):
            return "a link-local address"
    return None


def _refused(host: str, address: str, reason: str) -> OperationFailed:
    where = host if host == address else f"{host} ({address})"
    return OperationFailed(
        f"refused to send a request to {where}: it is {reason}, where a server's own credentials can be "
        "read; set allow_private_networks on the authentication if this request is meant to go there"
    )


async def check_destination(url: httpx.URL, *, allow_private_networks: bool) -> None:
    """Refuse a URL whose host is, or resolves to, a link-local or metadata address."""
    if allow_private_networks:
        return
    host = url.host.lower().rstrip(".")
    if host in METADATA_HOSTS:
        raise _refused(host, host, "a cloud metadata host")
    try:
        literal: IpAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        addresses = await _resolve(url)
    for address in addresses:
        reason = refusal(address)
        if reason is not None:
            raise _refused(host, str(address), reason)


async def _resolve(url: httpx.URL) -> list[IpAddress]:
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        found = await asyncio.get_running_loop().getaddrinfo(
            url.raw_host.decode("ascii"), port, type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError) as error:
        raise ProviderError(f"cannot resolve the host {url.host!r}: {error}", retryable=True) from None
    addresses = []
    for family, *_, sockaddr in found:
        if family in (socket.AF_INET, socket.AF_INET6):
            addresses.append(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
    return addresses
