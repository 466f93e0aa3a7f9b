"""A partner's webhook receiver on loopback, as a partner would stand one up: it records
every request it gets (headers and the exact body bytes) and answers as the test tells it.
For the partner notices' tests and the production fault suite.

Like a careful partner, it also keeps each event once: a request whose
``Homeward-Event-Id`` it has seen before is answered 200 and dropped (``events``).
"""

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Arrival:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.time() when the whole request had arrived

    @property
    def event_id(self) -> str:
        return self.headers.get("Homeward-Event-Id", "")


class WebhookReceiver:
    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.receiver = self
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/homeward"
        self._lock = threading.Lock()
        self._arrivals: list[Arrival] = []
        self._events: dict[str, Arrival] = {}
        # What it answers: a status, headers and a body.
        self.status = 200
        self.headers: dict[str, str] = {}
        self.answer = b""
        # Called with each arrival before it is answered (in the request's thread): a
        # test may hold the request there, or kill whoever sent it.
        self.on_arrival: Callable[[Arrival], None] | None = None
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def arrivals(self) -> list[Arrival]:
        with self._lock:
            return list(self._arrivals)

    def events(self) -> dict[str, Arrival]:
        """Each event kept once, by its id: what the partner acted on."""
        with self._lock:
            return dict(self._events)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _record(self, arrival: Arrival) -> None:
        with self._lock:
            self._arrivals.append(arrival)
            if 200 <= self.status < 300:
                self._events.setdefault(arrival.event_id, arrival)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        receiver: WebhookReceiver = self.server.receiver
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        arrival = Arrival(self.path, dict(self.headers.items()), body, time.time())
        if receiver.on_arrival is not None:
            receiver.on_arrival(arrival)
        receiver._record(arrival)
        # The sender may be gone by now (killed while it waited): nothing to answer.
        with contextlib.suppress(OSError):
            self.send_response(receiver.status)
            for name, value in receiver.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(receiver.answer)))
            self.end_headers()
            self.wfile.write(receiver.answer)

    def log_message(self, *args) -> None:
        pass
