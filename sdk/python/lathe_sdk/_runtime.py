"""The hand-written half of the SDK: requests, errors, discovery and the event stream, with the standard library only.

The routes and types are generated (client.py, types.py: bin/sdk); this module names no route but EVENTS,
SESSION_STATUS and SESSION_PROMPT, which the helpers need.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple, Union

from .types import ROUTES, LatheEvent, PromptAccepted, PromptRequest

QueryValue = Union[str, int, bool, None]
"""A query parameter's value; None leaves it out."""

REQUEST_TIMEOUT = 120.0
"""Seconds a call waits for its answer."""
SILENCE = 35.0
"""Seconds a stream may stay silent (the server sends a heartbeat every 10 s) before it is reconnected."""
STREAM_ATTEMPTS = 6
"""Connection attempts in a row a stream makes before it gives up with a ConnectionFailedError."""
MAX_FRAME = 64 * 1024 * 1024
"""The largest event frame read, in bytes (a tool's whole output fits; a server that never ends a line does not)."""


class LatheError(Exception):
    """The server refused a call (status, and its code and message as it sent them) or could not be reached (status 0)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class InvalidInputError(LatheError):
    """400, and any other 4xx the server does not name below: the request was wrong."""


class UnauthorizedError(LatheError):
    """401: no token, or a token the server does not know."""


class ForbiddenError(LatheError):
    """403: the caller may not do this."""


class NotFoundError(LatheError):
    """404: no such session, message, route, ..."""


class ConflictError(LatheError):
    """409: the state does not allow it now (a session is busy, ...)."""


class TooLargeError(LatheError):
    """413: the body is too large."""


class InvalidConfigError(LatheError):
    """422: the configuration is invalid."""


class CommandFailedError(LatheError):
    """422 with code command_failed: a custom command's shell line failed."""


class FailedError(LatheError):
    """500 and other 5xx: the server failed."""


class UnavailableError(LatheError):
    """502, 503, 504: the server or what it relies on is unavailable now."""


class ConnectionFailedError(LatheError):
    """No answer at all: the server is not running or not reachable (status 0)."""


def error_of(status: int, body: bytes) -> LatheError:
    """The typed error of an error answer, keeping the server's code and message."""
    text = body.decode("utf-8", "replace").strip()
    code, message = f"http_{status}", f"HTTP {status}" + (f": {text[:200]}" if text else "")
    try:
        error = json.loads(text).get("error")
        if isinstance(error.get("code"), str) and isinstance(error.get("message"), str):
            code, message = error["code"], error["message"]
    except (ValueError, AttributeError):
        pass  # not an error body: the status says what it is
    kinds = {400: InvalidInputError, 401: UnauthorizedError, 403: ForbiddenError, 404: NotFoundError, 409: ConflictError,
             413: TooLargeError, 502: UnavailableError, 503: UnavailableError, 504: UnavailableError}
    if status == 422:
        kind = CommandFailedError if code == "command_failed" else InvalidConfigError
    else:
        kind = kinds.get(status, InvalidInputError if 400 <= status < 500 else FailedError)
    return kind(status, code, message)


class Redirected(NamedTuple):
    """The answer of a route that redirects (the web login): its status and where it points."""

    status: int
    location: str | None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# no proxy from the environment (the token goes to the server and nowhere else), no redirect followed
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


class Transport:
    """Requests, errors and events over the server's HTTP API; Client adds one method per route."""

    def __init__(self, url: str, token: str, directory: str | None = None, timeout: float = REQUEST_TIMEOUT):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise InvalidInputError(0, "bad_url", f"not an http(s) URL: {url}")
        if not token:
            raise UnauthorizedError(0, "no_token", "a token is needed (server.json's token, or LATHE_SERVER_TOKEN)")
        self.url = url.rstrip("/")
        self.directory = directory
        self.timeout = timeout
        self.__token = token

    @classmethod
    def connect(cls, url: str | None = None, token: str | None = None, server_json: str | os.PathLike[str] | None = None,
                directory: str | None = None):
        """A client of the server url names, else of the local server its server.json describes (the one lathe serve or
        the daemon wrote). The token: token, else LATHE_SERVER_TOKEN, else server.json's when it describes that server."""
        token = token or os.environ.get("LATHE_SERVER_TOKEN", "").strip() or None
        if url is None or token is None:
            path = Path(server_json) if server_json is not None else default_server_json()
            found = _read_server_json(path)
            if url is None:
                if found is None:
                    raise ConnectionFailedError(0, "no_server", f"no Lathe server: {path} is missing or unreadable (start one with lathe serve)")
                url = found[0]
            if token is None and found is not None and _same_server(found[0], url):
                token = found[1]
            if token is None:
                raise UnauthorizedError(0, "no_token", f"no token for {url}: pass one or set LATHE_SERVER_TOKEN")
        return cls(url, token, directory)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"  # never the token

    # -- calls ---------------------------------------------------------------------------------------------------

    def _request(self, route: tuple[str, str], values: list[str], query: dict[str, QueryValue], body: Any,
                 directory: str | None) -> Any:
        """One call: the answer's JSON (an empty dict for an empty answer), or the typed error of the server's refusal."""
        method, template = route
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + _fill(template, values) + _query(query), data=data, method=method,
                                         headers=self._headers(directory, "application/json", data is not None))
        if method == "POST" and data is None:
            request.data = b""
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                raw = response.read()
                kind = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            with e:
                raise error_of(e.code, e.read()) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            raise ConnectionFailedError(0, "unreachable", f"cannot reach the Lathe server at {self.url} ({method} {template}): {e}") from None
        if not raw:
            return {}
        return json.loads(raw) if kind.startswith("application/json") else raw.decode("utf-8", "replace")

    def _redirect(self, route: tuple[str, str], values: list[str], query: dict[str, QueryValue], directory: str | None) -> Redirected:
        """A call whose answer is a redirect, not followed."""
        method, template = route
        request = urllib.request.Request(self.url + _fill(template, values) + _query(query), method=method,
                                         data=b"" if method == "POST" else None, headers=self._headers(directory, "*/*", False))
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                return Redirected(response.status, response.headers.get("Location"))
        except urllib.error.HTTPError as e:
            with e:
                if 300 <= e.code < 400:
                    return Redirected(e.code, e.headers.get("Location"))
                raise error_of(e.code, e.read()) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            raise ConnectionFailedError(0, "unreachable", f"cannot reach the Lathe server at {self.url} ({method} {template}): {e}") from None

    def _headers(self, directory: str | None, accept: str, json_body: bool) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.__token}", "Accept": accept}
        folder = directory if directory is not None else self.directory
        if folder is not None:
            headers["X-Lathe-Directory"] = urllib.parse.quote(folder, safe="-_.~/:")
        if json_body:
            headers["Content-Type"] = "application/json"
        return headers

    # -- events --------------------------------------------------------------------------------------------------

    def _stream(self, route: tuple[str, str], query: dict[str, QueryValue], last_event_id: str | None,
                directory: str | None) -> Iterator[LatheEvent]:
        """The server's events as they come, reconnecting with Last-Event-ID after a dropped or silent connection (so none
        is missed while the server still holds it; a resync event says when it no longer did). It ends only when the
        loop breaks, or raises ConnectionFailedError when the server stays unreachable."""
        parsed = urllib.parse.urlsplit(self.url)
        target = parsed.path + _fill(route[1], []) + _query(query)
        failures = 0
        while True:
            connection = (http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection)(
                parsed.hostname or "", parsed.port, timeout=SILENCE)
            try:
                try:
                    headers = self._headers(directory, "text/event-stream", False)
                    if last_event_id is not None:
                        headers["Last-Event-ID"] = last_event_id
                    connection.request(route[0], target, headers=headers)
                    response = connection.getresponse()
                except (OSError, http.client.HTTPException) as e:
                    failures += 1
                    if failures >= STREAM_ATTEMPTS:
                        raise ConnectionFailedError(0, "unreachable", f"cannot reach the Lathe server at {self.url} (GET {route[1]}): {e}") from None
                    time.sleep(min(0.25 * 2 ** failures, 4.0))
                    continue
                if response.status != 200:
                    raise error_of(response.status, response.read())
                failures = 0
                try:
                    for frame_id, data in _frames(response):
                        if frame_id is not None:
                            last_event_id = frame_id
                        if data:
                            yield json.loads(data)
                except (OSError, http.client.HTTPException):
                    pass  # a dropped or silent connection: connect again from the last event seen
            finally:
                connection.close()

    def follow(self, session_id: str, *, last_event_id: str | None = None, directory: str | None = None) -> Iterator[LatheEvent]:
        """Every event of one session as it comes, reconnecting (see _stream); ends when the loop breaks."""
        return self._stream(ROUTES["EVENTS"], {"session": session_id}, last_event_id, directory)

    def follow_turn(self, session_id: str, *, last_event_id: str | None = None, directory: str | None = None) -> Iterator[LatheEvent]:
        """A session's events until its turn ends (its status is idle again), the last being that session.status event.
        When no turn runs, it ends at once. A session.error event comes before the end of a turn that failed."""
        return self._until_idle(session_id, last_event_id, directory, None)

    def turn(self, session_id: str, prompt: str | PromptRequest, *, directory: str | None = None) -> Iterator[LatheEvent]:
        """Sends a prompt (a text, or a whole PromptRequest) and yields the session's events until the turn ends; the
        generator's return value (StopIteration.value) is the server's PromptAccepted. The stream is open before the
        prompt is sent, so no event of the turn is missed."""
        body = {"parts": [{"type": "text", "text": prompt}]} if isinstance(prompt, str) else prompt
        return self._until_idle(session_id, None, directory,
                                lambda: self._request(ROUTES["SESSION_PROMPT"], [session_id], {}, body, directory))

    def _until_idle(self, session_id: str, last_event_id: str | None, directory: str | None,
                    start: Callable[[], PromptAccepted] | None) -> Iterator[LatheEvent]:
        """The session's events until it is idle. It asks the session's status only where no event can say it: on the
        first connection of follow_turn, after resync (the server no longer held what was missed), and after a reconnect
        that could not resume (no event with an id seen yet). A reconnect that resumes gets what it missed replayed
        after server.connected, the end of the turn included, so it must not end there."""
        accepted = None
        connections = 0
        resumable = last_event_id is not None

        def idle() -> bool:
            return self._request(ROUTES["SESSION_STATUS"], [session_id], {}, None, directory).get("type") == "idle"

        for event in self.follow(session_id, last_event_id=last_event_id, directory=directory):
            yield event
            if event.get("seq", 0) > 0:
                resumable = True
            if event["type"] == "server.connected":
                connections += 1
                if connections == 1 and start is not None:
                    accepted = start()
                elif (connections == 1 or not resumable) and idle():
                    return accepted
            elif event["type"] == "resync":
                if idle():
                    return accepted
            elif event["type"] == "session.status" and event["sessionId"] == session_id and event["status"]["type"] == "idle":
                return accepted
        return accepted


def _frames(response: http.client.HTTPResponse) -> Iterator[tuple[str | None, str]]:
    """The SSE frames of a response: (id or None, the data lines joined)."""
    data: list[bytes] = []
    size = 0
    frame_id: str | None = None
    while True:
        line = response.readline(MAX_FRAME + 1)
        if not line:
            return
        if len(line) > MAX_FRAME:
            raise FailedError(0, "frame_too_large", f"an event line of more than {MAX_FRAME} bytes")
        line = line.rstrip(b"\r\n")
        if not line:
            if data or frame_id is not None:
                yield frame_id, b"\n".join(data).decode("utf-8")
            data, size, frame_id = [], 0, None
        elif line.startswith(b"data:"):
            value = line[6:] if line.startswith(b"data: ") else line[5:]
            size += len(value)
            if size > MAX_FRAME:
                raise FailedError(0, "frame_too_large", f"an event of more than {MAX_FRAME} bytes")
            data.append(value)
        elif line.startswith(b"id:"):
            frame_id = (line[4:] if line.startswith(b"id: ") else line[3:]).decode("ascii", "replace")


def _fill(template: str, values: list[str]) -> str:
    """The template with each value percent-encoded as one segment (a value holding / or .. stays in its segment)."""
    out, given = [], iter(values)
    for segment in template.split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            value = next(given, None)
            if not value:
                raise InvalidInputError(0, "invalid_input", f"{segment[1:-1]} is empty")
            segment = value.replace(".", "%2E") if value in (".", "..") else urllib.parse.quote(value, safe="-._~")
        out.append(segment)
    if next(given, None) is not None:
        raise InvalidInputError(0, "invalid_input", f"{template} takes fewer path values than given")
    return "/".join(out)


def _query(query: dict[str, QueryValue]) -> str:
    pairs = [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in query.items() if v is not None]
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


def default_server_json() -> Path:
    """$XDG_STATE_HOME/lathe/server.json, or ~/.local/state/lathe/server.json when XDG_STATE_HOME is unset or relative."""
    state = os.environ.get("XDG_STATE_HOME", "")
    base = Path(state) if state and os.path.isabs(state) else Path.home() / ".local" / "state"
    return base / "lathe" / "server.json"


def _read_server_json(path: Path) -> tuple[str, str] | None:
    try:
        with open(path, encoding="utf-8") as f:
            parsed = json.loads(f.read(1024 * 1024))
        if isinstance(parsed.get("url"), str) and isinstance(parsed.get("token"), str):
            return parsed["url"], parsed["token"]
    except (OSError, ValueError, AttributeError):
        pass
    return None


def _same_server(a: str, b: str) -> bool:
    """Whether two URLs name one server (loopback names count as one host; a trailing slash is ignored)."""
    def key(url: str) -> tuple[str, str, int, str]:
        u = urllib.parse.urlsplit(url)
        host = (u.hostname or "").lower()
        host = "loopback" if host in ("localhost", "127.0.0.1", "::1") else host
        return u.scheme.lower(), host, u.port or (443 if u.scheme == "https" else 80), u.path.rstrip("/")
    try:
        return key(a) == key(b)
    except ValueError:
        return False
