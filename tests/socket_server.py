"""A local stand-in for Slack's Socket Mode WebSocket endpoint, on 127.0.0.1.

It greets each connection with Slack's "hello" message, pushes the envelopes
given to ``push`` and records what the app sends back (its acknowledgements).
"""

import json
import queue
import threading
import time

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

HELLO = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0TWEETSTATS"},
         "debug_info": {"host": "applink-local", "approximate_connection_time": 18060}}


class SocketModeServer:
    def __init__(self) -> None:
        self.outbox: queue.Queue[dict] = queue.Queue()
        self.received: list[dict] = []
        self.connected = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> "SocketModeServer":
        self._server = serve(self._talk, "127.0.0.1", 0)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    @property
    def url(self) -> str:
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket=local-ticket&app_id=A0TWEETSTATS"

    def push(self, envelope: dict) -> None:
        self.outbox.put(envelope)

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for message in self.received:
                    if message.get("envelope_id") == envelope_id:
                        return message
            time.sleep(0.01)
        raise AssertionError(f"no acknowledgement of envelope {envelope_id} within {timeout} s")

    def _talk(self, connection: ServerConnection) -> None:
        connection.send(json.dumps(HELLO))
        self.connected.set()
        while True:
            try:
                connection.send(json.dumps(self.outbox.get(timeout=0.02)))
            except queue.Empty:
                pass
            except ConnectionClosed:
                return
            try:
                message = connection.recv(timeout=0.02)
            except TimeoutError:
                continue
            except ConnectionClosed:
                return
            with self._lock:
                self.received.append(json.loads(message))
