"""A tiny HTTP server on 127.0.0.1 for download tests: no request leaves the machine.

    with FakeServer({"/good.npz": ("ok", body), "/gone.npz": ("404", b"")}) as server:
        url = server.url("/good.npz")

Behaviours per path: "ok" (the whole body), "404", "truncate" (a Content-Length for the whole
body, half of it, then a clean close) and "drop" (part of the body, then a TCP reset).
Paths not in the table answer 404. ``server.requests`` lists the paths asked for.
"""

from __future__ import annotations

import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Dropped(Exception):
    """Raised inside the handler after it reset the connection on purpose."""


class FakeServer:
    def __init__(self, routes: dict[str, tuple[str, bytes]]) -> None:
        self.routes = dict(routes)
        self.requests: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    def start(self) -> FakeServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
                pass

            def do_GET(self):  # noqa: N802 - http.server's naming
                path = self.path.split("?", 1)[0]
                owner.requests.append(path)
                behaviour, body = owner.routes.get(path, ("404", b""))
                if behaviour == "404":
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if behaviour == "ok":
                    self.wfile.write(body)
                elif behaviour == "truncate":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                elif behaviour == "drop":
                    self.wfile.write(body[: len(body) // 3])
                    self.wfile.flush()
                    # SO_LINGER with a zero timeout makes close() send a TCP reset.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               struct.pack("ii", 1, 0))
                    self.connection.close()
                    raise _Dropped
                else:
                    raise ValueError(f"unknown behaviour {behaviour!r}")

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # the dropped connections are on purpose

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._port = self._server.server_address[1]
        self._thread.start()
        return self

    @property
    def port(self) -> int:
        """The port it listens on (still known after ``stop()``: then nothing answers)."""
        assert self._port is not None, "server not started"
        return self._port

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
