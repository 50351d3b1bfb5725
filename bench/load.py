"""A lean load generator: concurrent keep-alive HTTP clients in one thread, on raw sockets.

A client thread per connection with `http.client` costs ~0.4 ms of Python per request, on the
same cores as the server it measures; here each request is bytes made once, sent on a
non-blocking socket, and its answer is read until the length its header gives, so the load
generator takes a small fraction of that. It speaks just what the bench needs: GET, one
request at a time per connection, answers with a Content-Length (waitress gives one to every
Flask answer the API makes).
"""

from __future__ import annotations

import selectors
import socket
import time
from dataclasses import dataclass, field

NAME = "lean: one thread, raw keep-alive sockets (bench/load.py)"
_CHUNK = 256 * 1024


class ClientError(RuntimeError):
    """An answer the load generator cannot read (closed connection, no Content-Length)."""


@dataclass
class _Client:
    sock: socket.socket
    requests: list[bytes]
    next: int = 0
    started: float = 0.0
    got: bytearray = field(default_factory=bytearray)
    need: int = -1  # bytes of the whole answer (header and body), once the header is in
    status: int = 0


def request_bytes(path: str, headers: dict[str, str], host: str = "127.0.0.1") -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def _parse_header(client: _Client) -> None:
    end = client.got.find(b"\r\n\r\n")
    if end < 0:
        return
    head = bytes(client.got[:end]).decode("latin-1").split("\r\n")
    client.status = int(head[0].split(" ", 2)[1])
    length = next((int(line.split(":", 1)[1]) for line in head[1:]
                   if line[:15].lower() == "content-length:"), None)
    if length is None:
        raise ClientError(f"An answer without a Content-Length: {head[0]!r}.")
    client.need = end + 4 + length


def run(port: int, paths_per_client: list[list[str]], headers: dict[str, str],
        timeout_s: float = 120) -> tuple[list[float], list[str], float]:
    """Each list of paths is one client on its own connection, asking them in turn, one at a
    time. Returns (latencies in ms, failures, seconds from the first request to the last
    answer)."""
    selector = selectors.DefaultSelector()
    clients = []
    for paths in paths_per_client:
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        clients.append(_Client(sock, [request_bytes(p, headers) for p in paths]))
    latencies: list[float] = []
    failures: list[str] = []
    started = time.perf_counter()
    live = 0
    for client in clients:
        if client.requests:
            _send(client)
            selector.register(client.sock, selectors.EVENT_READ, client)
            live += 1
    deadline = time.monotonic() + timeout_s
    try:
        while live:
            if time.monotonic() > deadline:
                raise ClientError(f"{live} clients still waiting after {timeout_s:g} s.")
            for key, _ in selector.select(timeout=1.0):
                client = key.data
                if not _read(client):
                    continue
                latencies.append((time.perf_counter() - client.started) * 1000)
                if client.status not in (200, 404):
                    body = bytes(client.got[-200:])
                    failures.append(f"HTTP {client.status}: {body!r}")
                client.next += 1
                if client.next < len(client.requests):
                    _send(client)
                else:
                    selector.unregister(client.sock)
                    live -= 1
    finally:
        seconds = time.perf_counter() - started
        for client in clients:
            client.sock.close()
        selector.close()
    return latencies, failures, seconds


def _send(client: _Client) -> None:
    client.got.clear()
    client.need = -1
    client.started = time.perf_counter()
    data = client.requests[client.next]
    if client.sock.send(data) != len(data):  # a few hundred bytes, into an empty buffer
        raise ClientError("A request could not be sent whole.")


def _read(client: _Client) -> bool:
    """Read what has come; True when the whole answer is in."""
    data = client.sock.recv(_CHUNK)
    if not data:
        raise ClientError("The server closed a keep-alive connection.")
    client.got += data
    if client.need < 0:
        _parse_header(client)
    return 0 <= client.need <= len(client.got)
