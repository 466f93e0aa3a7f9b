"""A frontend cache's purge endpoint on loopback (a CDN or Varnish stand-in), recording
every request it gets, for the takedown tests and the production fault suite."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple


class CdnRequest(NamedTuple):
    method: str
    path: str
    host: str


class Purges:
    """What the endpoint received, safe to read while it is receiving more."""

    def __init__(self) -> None:
        self._requests: list[CdnRequest] = []
        self._lock = threading.Lock()
        # While set, the endpoint answers 503, as a CDN that is down would.
        self.failing = False

    def record(self, request: CdnRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def received(self) -> list[CdnRequest]:
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    def paths(self) -> list[str]:
        return [request.path for request in self.received()]

    def hosts(self) -> set[str]:
        return {request.host for request in self.received()}

    def __contains__(self, path: str) -> bool:
        return path in self.paths()

    def __iter__(self):
        return iter(self.paths())

    def __len__(self) -> int:
        return len(self.received())


class _Handler(BaseHTTPRequestHandler):
    """Answers every method (PURGE, BAN, GET, ...) and records it."""

    def __getattr__(self, name: str):
        if name.startswith("do_"):
            return self._answer
        raise AttributeError(name)

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        purges: Purges = self.server.purges
        if purges.failing:
            self.send_response(503)
        else:
            purges.record(CdnRequest(self.command, self.path, self.headers.get("Host", "")))
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


class PurgeEndpoint:
    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.purges = self.purges = Purges()
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
