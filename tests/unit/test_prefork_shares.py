"""Web processes share out keep-alive connections: a copy holding more than another leaves
new connections to it (cli/prefork.Shares, wired into waitress by cli/web)."""

from __future__ import annotations

import socket

import waitress

from cli.prefork import Shares
from cli.web import _take_a_fair_share


def test_a_copy_takes_a_connection_unless_another_holds_fewer():
    shares = Shares(3)
    assert shares.may_accept(0, 0)  # slots 1 and 2 are not running (yet): they never hold fewer
    shares = Shares(3)
    for slot in range(3):
        shares.set(slot, 0)
    assert all(shares.may_accept(slot, 0) for slot in range(3))  # all equal: any may take it
    shares.set(0, 5)
    shares.set(1, 4)
    shares.set(2, 4)
    assert not shares.may_accept(0, 5)
    assert shares.may_accept(1, 4) and shares.may_accept(2, 4)
    shares.set(2, 9_999_999_999)  # a copy that died: never the least busy
    assert shares.may_accept(1, 4) and not shares.may_accept(0, 5)


def test_the_listener_of_a_busier_copy_stops_accepting_and_says_what_it_holds():
    listener = socket.create_server(("127.0.0.1", 0))
    server = waitress.create_server(lambda environ, start: [], sockets=[listener])
    clients = [socket.create_connection(listener.getsockname()) for _ in range(2)]
    try:
        shares = Shares(2)
        shares.set(1, 0)
        _take_a_fair_share(server, shares, 0)
        for _ in clients:
            server.handle_accept()  # this copy now holds two connections
        assert len(server.active_channels) == 2
        assert server.readable() is False  # copy 1 holds none: it takes the next connection
        shares.set(1, 2)
        assert server.readable() is True
        assert not shares.may_accept(1, 3) and shares.may_accept(1, 2)  # copy 0 said it has 2
    finally:
        for channel in list(server.active_channels.values()):
            channel.close()
        for client in clients:
            client.close()
        server.close()
        listener.close()
