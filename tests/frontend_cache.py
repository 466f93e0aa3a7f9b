"""A frontend cache's purge endpoint on loopback (a CDN or Varnish stand-in), recording
every purge it is asked for."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Purges:
    """What the endpoint received: paths (as the old tests read them) and full requests."""

    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, host, path
    # While set, the endpoint answers 503, as a CDN that is down would.
    failing: bool = False

    def __contains__(self, path: str) -> bool:
        return path in self.paths()

    def __iter__(self):
        return iter(self.paths())

    def __len__(self) -> int:
        return len(self.requests)

    def paths(self) -> list[str]:
        return [path for _, _, path in self.requests]

    def hosts(self) -> set[str]:
        return {host for _, host, _ in self.requests}


class _PurgeHandler(BaseHTTPRequestHandler):
    def do_PURGE(self):
        purges: Purges = self.server.purges
        if purges.failing:
            self.send_response(503)
        else:
            purges.requests.append((self.command, self.headers.get("Host", ""), self.path))
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class PurgeEndpoint:
    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _PurgeHandler)
        self.server.purges = self.purges = Purges()
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
