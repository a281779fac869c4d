"""The HTTP server the fake VK and OK APIs share: request recording (never the access token),
failure injection (API errors, HTTP statuses, delays) and error pages. No Odoo import; see
``fake_networks.py``."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"


class _Fail(Exception):
    """Internal: answer the API error ``code``."""

    def __init__(self, code, message=None, **extra):
        super().__init__(message or str(code))
        self.code = code
        self.message = message
        self.extra = extra


def _error_page(status):
    reason = {
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Time-out",
        429: "Too Many Requests",
        404: "Not Found",
    }.get(status, "Error")
    return (
        f"<html><head><title>{status} {reason}</title></head>"
        f"<body><center><h1>{status} {reason}</h1></center><hr><center>nginx</center></body></html>"
    ).encode()


# ----------------------------------------------------------------------
# HTTP plumbing
# ----------------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeSocialNetwork/1.0"
    timeout = 10  # close idle keep-alive connections
    disable_nagle_algorithm = (
        True  # headers and body leave at once, without the 40 ms delayed-ACK stall
    )

    def log_message(self, *args):
        """Stay quiet."""

    def do_GET(self):
        self._respond(b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._respond(self.rfile.read(length) if length > 0 else b"")

    def _respond(self, body):
        split = urlsplit(self.path)
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        content_type = self.headers.get("Content-Type", "")
        if body and not any(kind in content_type for kind in ("multipart/form-data", "json")):
            params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        request = {
            "http_method": self.command,
            "path": split.path,
            "params": params,
            "content_type": content_type,
            "authorization": self.headers.get("Authorization", ""),
            "body": body,
            "headers": dict(self.headers.items()),
        }
        status, mime, payload = self.server.fake._serve(request)
        data = (
            payload
            if isinstance(payload, bytes)
            else json.dumps(payload, ensure_ascii=False).encode()
        )
        try:
            self.send_response(status)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            # the client gave up (timeout): a real server would not notice either
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, fake):
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)


class _FakeServer:
    """What both fakes share: the server thread, the request log, the failures."""

    url_path = "/"

    def __init__(self):
        self.requests = []
        self.url = None
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._failures = []
        self._server = None
        self._thread = None

    # -- life cycle -----------------------------------------------------
    def start(self):
        """Serve on 127.0.0.1 on a free port, in a daemon thread; returns self."""
        if self._server is not None:
            return self
        self._server = _Server(self)
        self.url = f"http://127.0.0.1:{self.port}{self.url_path}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"{type(self).__name__}:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self):
        """Stop serving and release the port."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1] if self._server else None

    # -- failures -------------------------------------------------------
    def fail_next(
        self,
        method,
        *,
        error_code=None,
        http_status=None,
        delay=None,
        times=1,
        error_msg=None,
        body=None,
    ):
        """Make the next ``times`` calls of ``method`` (``"*"``: any) fail.

        :param error_code: answer this API error (HTTP 200, the network's error body)
        :param http_status: answer this HTTP status (e.g. 500) with an HTML page
        :param delay: wait that many seconds before answering (to make a client
            time out); without ``error_code``/``http_status`` the request is then
            carried out normally, as a slow server would
        :param error_msg: the error message instead of the network's usual one
        :param body: answer this JSON body (HTTP 200) without carrying the request out:
            an answer the network's documentation does not promise
        """
        if error_code is None and http_status is None and not delay and body is None:
            raise ValueError("Give an error_code, an http_status, a body or a delay.")
        with self._lock:
            self._failures.append(
                {
                    "method": method,
                    "error_code": error_code,
                    "http_status": http_status,
                    "delay": delay,
                    "times": int(times),
                    "error_msg": error_msg,
                    "body": body,
                }
            )

    def clear_failures(self):
        with self._lock:
            self._failures.clear()

    def _take_failure(self, method):
        with self._lock:
            for failure in self._failures:
                if failure["method"] in (method, "*"):
                    failure["times"] -= 1
                    if failure["times"] <= 0:
                        self._failures.remove(failure)
                    return dict(failure)
        return None

    def _record(self, request, method, params, **extra):
        with self._lock:
            self.requests.append(
                {
                    "method": method,
                    "params": dict(params),
                    **extra,
                    "http_method": request["http_method"],
                    "content_type": request["content_type"],
                }
            )

    def _injected(self, method, error_body):
        """The answer of a failure injected for ``method`` (an HTTP error page,
        or ``error_body(code, message)`` for an API error), after its delay;
        None when the request is to be served."""
        failure = self._take_failure(method)
        if not failure:
            return None
        if failure["delay"]:
            time.sleep(failure["delay"])
        if failure["http_status"]:
            return failure["http_status"], HTML, _error_page(failure["http_status"])
        if failure["error_code"] is not None:
            return 200, JSON, error_body(failure["error_code"], failure["error_msg"])
        if failure["body"] is not None:
            return 200, JSON, failure["body"]
        return None

    def wait_idle(self, timeout=5.0):
        """Wait until no request is in progress (e.g. a delayed one); True if so."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def requests_of(self, method):
        """The recorded requests of ``method``."""
        with self._lock:
            return [request for request in self.requests if request["method"] == method]

    # -- dispatch ---------------------------------------------------------
    def _serve(self, request):
        with self._lock:
            self._pending += 1
        try:
            return self._handle(request)
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def _handle(self, request):
        raise NotImplementedError


# ----------------------------------------------------------------------
# VK
# ----------------------------------------------------------------------
