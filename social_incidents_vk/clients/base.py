"""What the VK and OK clients share: the error base, the marker of a failure
worth retrying, the HTTP transport and the retry loop with exponential
backoff. No Odoo import."""

import threading
import time

import requests


class ApiError(Exception):
    """A failed API call.

    :ivar code: the network's error code, or ``None`` for an HTTP or network failure
    :ivar message: the network's error message (or a description of the failure)
    :ivar method: the API method called, e.g. ``"wall.createComment"``
    """

    #: the network's name in messages ("VK", "OK")
    network = "API"

    def __init__(self, message, code=None, method=""):
        super().__init__(message)
        self.message = message
        self.code = code
        self.method = method

    def __str__(self):
        where = f" ({self.method})" if self.method else ""
        if self.code is None:
            return f"{self.network} API failure{where}: {self.message}"
        return f"{self.network} API error {self.code}{where}: {self.message}"

    def __repr__(self):
        return (
            f"{type(self).__name__}(code={self.code!r}, method={self.method!r}, "
            f"message={self.message!r})"
        )


def error_class(code, table, default):
    """The exception class of ``code`` in ``table`` ((codes, class), …), else ``default``."""
    for codes, cls in table:
        if code in codes:
            return cls
    return default


class Transient(Exception):
    """Internal: a failure worth retrying; carries the error to raise at the end.

    ``refused`` is true when the network surely did not carry the request out;
    ``delay`` is the pause the network asked for before the next try (seconds,
    e.g. Telegram's ``retry_after``), instead of the exponential backoff."""

    def __init__(self, error, refused=False, delay=None):
        super().__init__(str(error))
        self.error = error
        self.refused = refused
        self.delay = delay


def call_with_retries(
    request, *, method, max_retries, backoff, sleep, redact, logger, idempotent=True
):
    """Run ``request()`` until it succeeds, retrying a :class:`Transient`
    failure up to ``max_retries`` times after ``backoff * 2 ** attempt``
    seconds; a request that is not idempotent is retried only when the
    network surely refused it; a failure that says how long to wait
    (``Transient.delay``) waits that long instead. Raises the last error."""
    attempt = 0
    while True:
        try:
            return request()
        except Transient as transient:
            error = transient.error
            if attempt >= max_retries or not (idempotent or transient.refused):
                raise error from transient.__cause__
            delay = transient.delay if transient.delay is not None else backoff * (2**attempt)
            attempt += 1
            logger.warning(
                "%s API %s: %s; retry %d of %d in %.2f s",
                error.network,
                method,
                redact(str(error)),
                attempt,
                max_retries,
                delay,
            )
            if delay > 0:
                sleep(delay)


def post_json(session, url, payload, *, method, timeout, redact, errors, rate_limit_error=None):
    """POST ``payload`` to ``url`` and return the decoded JSON answer.

    Transport failures and HTTP statuses become the network's typed errors,
    ``errors`` = (network error, server error, other error) classes; those
    worth retrying come wrapped in :class:`Transient`. HTTP 429 is a refused,
    retried ``rate_limit_error`` when one is given."""
    network_error, server_error, other_error = errors
    try:
        response = session.post(url, data=payload, timeout=timeout)
    except requests.ConnectTimeout as exc:
        error = network_error(f"connection timed out after {timeout} s", method=method)
        raise Transient(error, refused=True) from exc
    except requests.Timeout as exc:
        raise Transient(network_error(f"no answer within {timeout} s", method=method)) from exc
    except requests.ConnectionError as exc:
        error = network_error(f"connection failed: {redact(str(exc))}", method=method)
        raise Transient(error) from exc
    except requests.RequestException as exc:
        raise network_error(f"request failed: {redact(str(exc))}", method=method) from exc

    status = response.status_code
    if status >= 500:
        raise Transient(server_error(f"HTTP {status}", method=method))
    if status == 429 and rate_limit_error:
        raise Transient(rate_limit_error("HTTP 429 Too Many Requests", method=method), refused=True)
    if status != 200:
        raise other_error(f"unexpected HTTP status {status}", method=method)
    try:
        return response.json()
    except ValueError:
        raise Transient(server_error("the answer is not JSON", method=method)) from None


class RateLimiter:
    """Spaces calls at least ``1 / rate`` seconds apart; thread-safe.

    Each caller reserves the next free slot under a lock, then sleeps until
    it outside the lock, so concurrent callers queue up fairly. The clock and
    the sleep are the caller's (``time.monotonic`` and ``time.sleep`` in
    production, fakes in tests).
    """

    def __init__(self, rate):
        if rate <= 0:
            raise ValueError("A rate limit must be a positive number of requests per second.")
        self.rate = float(rate)
        self._lock = threading.Lock()
        self._next_slot = None

    @property
    def interval(self):
        return 1.0 / self.rate

    def tighten(self, rate):
        """Lower the rate to ``rate`` if that is stricter."""
        with self._lock:
            self.rate = min(self.rate, float(rate))

    def acquire(self, clock=time.monotonic, sleep=time.sleep):
        """Wait for the next slot; return the time waited (in seconds)."""
        with self._lock:
            now = clock()
            slot = now if self._next_slot is None else max(now, self._next_slot)
            self._next_slot = slot + self.interval
        wait = slot - now
        if wait > 0:
            sleep(wait)
            return wait
        return 0.0
