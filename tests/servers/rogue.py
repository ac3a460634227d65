#!/usr/bin/env python3
"""rogue.py: an HTTP/1.1 test server for httpx.h that can also misbehave.

Standard library only. Binds 127.0.0.1 on the port given by --port (default 0:
a free one) and prints the port on its first stdout line, then nothing more.
It exits on SIGTERM/SIGINT, after --lifetime seconds (default 900), and, with
--watch-stdin, as soon as its stdin reaches end of file (the test binary keeps
the other end of a pipe open, so the server dies with it, however it dies).

Connections idle for 60 s between requests are closed.

Requests are parsed properly: request line, headers, Content-Length and
chunked bodies (trailers read and dropped), "Expect: 100-continue" (answered
with a 100 before the body is read), keep-alive (HTTP/1.1 default,
"Connection: close" honoured, HTTP/1.0 keep-alive on request) and pipelining.
A malformed request gets a 400 and the connection is closed. HEAD requests get
the head of the GET answer. The route is the path of the request target, so an
absolute-form target ("GET http://any.host/echo HTTP/1.1", as sent to a proxy)
reaches the same endpoints. Unknown paths: 404.

Byte pattern: "pattern byte i" is (i & 0xff) counted from the body's start.

Well-behaved endpoints
  /echo, /echo/...   any method. 200; body = the request line and header lines
                     exactly as received (raw bytes, up to and including the
                     blank line), then the decoded body (chunked de-chunked).
                     Headers X-Body-Length: <decoded body length>, X-Chunked: 1|0.
  /discard           any method. Reads the body; 200, body = its length (decimal).
  /bytes/N           N pattern bytes, Content-Length: N.
  /chunked/N         N pattern bytes chunked: chunk sizes 1,2,3,10,100,1000,
                     4096,16384 then 65536s (each chunk its own write); the
                     first chunk line carries an extension (";ext=1"), the size
                     line of the 10-byte chunk is an uppercase "A"; then the last
                     chunk "0" and a trailer "X-Trailer: done" (announced with
                     "Trailer: X-Trailer").
  /drip?n=N&ms=MS    Content-Length: N; the body is sent one byte at a time,
                     MS ms apart (defaults n=10, ms=100).
  /conn-id           body = decimal id of the TCP connection (1, 2, ...), so a
                     test can see keep-alive reuse.
  /delay/MS          sleeps MS ms (at most 60000) then answers "ok".
  /keepalive-timeout/MS  200 "ok" with "Keep-Alive: timeout=<MS/1000>"; the server
                     then closes the connection once it has been idle MS ms
                     (a keep-alive expiry, for pool tests).
  /status/N          status N (200..999); body "status N" except for 204/304,
                     which have none. (1xx: see /continue and /early-hints.)
  /redirect?to=URL&code=N   Location: URL, status N (default 302), body
                     "redirecting". 400 without "to".
  /set-header?Name=Value&...  200 "ok" with each query pair as a response header
                     (a name given twice gives two header lines).
  /repeat-header     200 "ok" with "X-Multi: a", "X-Multi: b",
                     "Set-Cookie: a=1; Path=/", "Set-Cookie: b=2; Path=/".
  /latin1            "caf\\xe9", Content-Type: text/plain; charset=iso-8859-1
  /utf8              "caf\\xc3\\xa9", Content-Type: text/plain; charset=utf-8
  /json              {"hello": "world", "n": 1, "list": [1, 2, 3]}, application/json
  /anything, /anything/...  any method. 200, application/json, what httpbin.org's
                     /anything says: {"method", "url" (the request target),
                     "args" (query pairs; a repeated name gives a list),
                     "headers" (names as sent, a repeated name joined by ", "),
                     "data" (the body as text, "" for form bodies), "form"
                     (urlencoded or multipart fields), "files" (multipart file
                     parts: {field: content as text}), "json" (the body parsed
                     when Content-Type is JSON, else null)}.
  /flaky/KEY/N       503 "try again" (with Retry-After: 0) for the first N
                     requests with this KEY, then 200 "ok after N failures";
                     counts per KEY for the server's life (a retry loop's test).
  /bearer/TOKEN      200 "authenticated" when Authorization is "Bearer TOKEN",
                     else 401 with WWW-Authenticate: Bearer.
  /gzip, /deflate    "Hello, world!\\n" compressed; Content-Encoding gzip or
                     deflate (zlib format), whatever Accept-Encoding says.
  /basic-auth/U/P    200 "authenticated" when Authorization is Basic U:P, else 401
                     with WWW-Authenticate: Basic realm="rogue".
  /continue          sends "HTTP/1.1 100 Continue" first (before the body is
                     read, Expect or not), then reads the body, then 200 "continued".
  /early-hints       a 103 with "Link: </style.css>; rel=preload", then 200 "ok".
  /interim?n=N&ms=MS  N heads "HTTP/1.1 100 Continue" (default 1000, at most
                     1000000), MS ms apart (default 0: all in one write), then
                     200 "final after N interim responses". Stops at the first
                     failed write (the client gave up).
  /expect-417        with Expect: 100-continue, answers 417 without reading the
                     body and closes; without Expect, 200 "ok".
  /http10            "HTTP/1.0 200 OK", Content-Length, body "http/1.0 body", then
                     closes.
  /close-delimited   HTTP/1.1 200 with neither Content-Length nor
                     Transfer-Encoding, body "until close", then closes.
  /lf-only           a valid 200 "ok" whose head lines end in bare LF.
  CONNECT host:port  tunnel to host:port, only for 127.0.0.1/localhost/::1
                     (403 otherwise, 502 when the connect fails).

Misbehaving endpoints (every "closes" is FIN after the client's bytes are
drained for up to 1 s, so the client reads what was sent before the close)
  /stall-head        reads the request, never answers; closes after 30 s (or
                     when the client closes).
  /stall-body        head with Content-Length: 100 and 10 pattern bytes, then
                     stalls (30 s bound) and closes.
  /close-mid-body    head with Content-Length: 100, 10 pattern bytes, closes.
  /close-mid-chunk   chunked head, one 5-byte chunk "hello", closes.
  /close-no-response reads the request and closes without a byte.
  /close-after-response  200 "ok" with Content-Length and no "Connection: close",
                     then closes (a stale pooled connection).
  /close-if-reused   on a connection that served a request before: reads the
                     request and closes without a byte (the server dropped an
                     idle connection as the client sent on it); on a fresh one
                     200 "fresh connection ID".
  /reset             reads the request and resets the connection (RST).
  /bad/two-content-lengths  Content-Length: 5 and Content-Length: 6, body "hello!".
  /bad/cl-and-te     Content-Length: 100 and Transfer-Encoding: chunked, chunked
                     body "hello".
  /bad/chunk-size    chunked, the first size line is "zz".
  /bad/chunk-overflow  chunked, the first size line is "ffffffffffffffffffff".
  /bad/negative-content-length   Content-Length: -1.
  /bad/status-line   status line "HTTP/1.1 2x0 OK".
  /bad/not-http      answers "hello there\\r\\n" and closes.
  /bad/huge-head     200 with one header "X-Huge:" of 200 KiB, body "ok".
  /bad/many-headers  200 with 10000 headers "X-N-i: i", body "ok".
  /bad/header-name   200 with a header line "Bad Header: x" (space in the name).
  All /bad/* endpoints close the connection after the answer.
  /cookies           {"cookies": {...}} from the request's Cookie header (httpbin's).
  /cookies/set/N/V   302 to /cookies with "Set-Cookie: N=V; Path=/" (also
                     /cookies/set?n=v&...); /cookies/delete?n expires n.
"""

import argparse
import base64
import gzip
import json
import os
import select
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import zlib
from http import HTTPStatus
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_LINE = 64 * 1024          # one request or header line
MAX_HEAD = 1024 * 1024        # a whole request head
MAX_BODY = 256 * 1024 * 1024  # a request body kept in memory
STALL_SECONDS = 30
IDLE_SECONDS = 60             # socket timeout: idle keep-alive and stuck clients
HELLO = b"Hello, world!\n"

PATTERN = bytes(range(256)) * 512   # 128 KiB, a multiple of 256 so offsets stay aligned


def pattern(offset, n):
    """Pattern bytes [offset, offset + n); n <= 65536."""
    start = offset & 0xff
    return PATTERN[start:start + n]


class BadRequest(Exception):
    pass


class Closed(Exception):
    """The client went away in the middle of a request."""


class Request:
    def __init__(self):
        self.method = ""
        self.target = ""
        self.version = ""
        self.raw_head = b""
        self.headers = []       # (lowercase name, value) as str (latin-1)
        self.body = b""
        self.chunked = False
        self.path = ""
        self.query = []

    def header(self, name):
        for n, v in self.headers:
            if n == name:
                return v
        return None

    def tokens(self, name):
        out = []
        for n, v in self.headers:
            if n == name:
                out += [t.strip().lower() for t in v.split(",") if t.strip()]
        return out

    def wants_close(self):
        conn = self.tokens("connection")
        if "close" in conn:
            return True
        return self.version == "HTTP/1.0" and "keep-alive" not in conn


def read_line(rfile, limit=MAX_LINE):
    line = rfile.readline(limit + 1)
    if len(line) > limit:
        raise BadRequest("line too long")
    if line and not line.endswith(b"\n"):
        raise Closed()
    return line


def is_hex(s):
    return len(s) > 0 and all(c in b"0123456789abcdefABCDEF" for c in s)


def read_request(conn):
    """Reads one request; None at a clean end of the connection."""
    rfile = conn.rfile
    req = Request()
    line = read_line(rfile)
    for _ in range(8):                   # RFC 9112 2.2: ignore empty lines before a request
        if line not in (b"\r\n", b"\n"):
            break
        line = read_line(rfile)
    if not line:
        return None
    raw = [line]
    parts = line.rstrip(b"\r\n").split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        raise BadRequest("bad request line")
    req.method, req.target, req.version = (p.decode("latin-1") for p in parts)
    size = len(line)
    while True:
        line = read_line(rfile)
        if not line:
            raise Closed()
        raw.append(line)
        size += len(line)
        if size > MAX_HEAD:
            raise BadRequest("head too large")
        if line in (b"\r\n", b"\n"):
            break
        name, sep, value = line.rstrip(b"\r\n").partition(b":")
        if not sep or not name or any(c in b" \t" for c in name):
            raise BadRequest("bad header line")
        req.headers.append((name.decode("latin-1").lower(), value.strip(b" \t").decode("latin-1")))
    req.raw_head = b"".join(raw)

    if req.method == "CONNECT":
        req.path = req.target
        return req
    url = urlsplit(req.target)
    req.path = unquote(url.path)
    req.query = parse_qsl(url.query, keep_blank_values=True)

    te = req.tokens("transfer-encoding")
    cls = [v for n, v in req.headers if n == "content-length"]
    has_body = bool(te) or any(v.strip() != "0" for v in cls)
    if has_body and "100-continue" in req.tokens("expect"):
        if req.path == "/expect-417":
            req.expect_failed = True
            return req
        if req.path != "/continue":      # /continue sends its own 100
            conn.send(b"HTTP/1.1 100 Continue\r\n\r\n")
    if req.path == "/continue":
        conn.send(b"HTTP/1.1 100 Continue\r\n\r\n")

    if te:
        if te[-1] != "chunked":
            raise BadRequest("unsupported transfer-encoding")
        req.chunked = True
        req.body = read_chunked(rfile)
    elif cls:
        if len(set(v.strip() for v in cls)) != 1 or not cls[0].strip().isdigit():
            raise BadRequest("bad content-length")
        n = int(cls[0])
        if n > MAX_BODY:
            raise BadRequest("body too large")
        req.body = rfile.read(n)
        if len(req.body) != n:
            raise Closed()
    return req


def read_chunked(rfile):
    parts, total = [], 0
    while True:
        line = read_line(rfile)
        if not line:
            raise Closed()
        size = line.rstrip(b"\r\n").split(b";", 1)[0].strip(b" \t")
        if not is_hex(size) or len(size) > 15:
            raise BadRequest("bad chunk size")
        n = int(size, 16)
        if n == 0:
            break
        total += n
        if total > MAX_BODY:
            raise BadRequest("body too large")
        data = rfile.read(n)
        if len(data) != n:
            raise Closed()
        parts.append(data)
        end = read_line(rfile)
        if end not in (b"\r\n", b"\n"):
            raise Closed() if not end else BadRequest("bad chunk end")
    while True:                          # trailer section, dropped
        line = read_line(rfile)
        if not line:
            raise Closed()
        if line in (b"\r\n", b"\n"):
            break
    return b"".join(parts)


def reason_of(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class Conn:
    """One accepted TCP connection."""

    _lock = threading.Lock()
    _next_id = 0

    def __init__(self, sock):
        with Conn._lock:
            Conn._next_id += 1
            self.id = Conn._next_id
        self.sock = sock
        self.rfile = sock.makefile("rb", buffering=64 * 1024)
        self.closed = False
        self.idle_ms = 0     # set by /keepalive-timeout/MS
        self.served = 0      # requests read on this connection so far

    def idle_expired(self):
        """With idle_ms set: True when no next request starts within it."""
        if not self.idle_ms:
            return False
        self.sock.setblocking(False)     # peek must not wait: see ep_connect
        try:
            buffered = self.rfile.peek(1)
        except OSError:
            buffered = b""
        self.sock.settimeout(IDLE_SECONDS)
        if buffered:
            return False
        r, _, _ = select.select([self.sock], [], [], self.idle_ms / 1000.0)
        return not r

    def send(self, data):
        self.sock.sendall(data)

    def respond(self, req, status, headers=(), body=b"", close=False, reason=None):
        """A complete response; returns whether the connection stays open."""
        close = close or req.wants_close()
        lines = ["HTTP/1.1 %d %s" % (status, reason or reason_of(status))]
        lines += ["%s: %s" % (n, v) for n, v in headers]
        bodyless = status < 200 or status in (204, 304)
        if not bodyless and not any(n.lower() in ("content-length", "transfer-encoding") for n, _ in headers):
            lines.append("Content-Length: %d" % len(body))
        if close:
            lines.append("Connection: close")
        elif req.version == "HTTP/1.0":
            lines.append("Connection: keep-alive")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.send(head if req.method == "HEAD" or bodyless else head + body)
        return not close

    def stall(self, seconds=STALL_SECONDS):
        """Waits, reading and dropping input, until the client closes or time is up."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([self.sock], [], [], min(left, 1.0))
            if r:
                try:
                    if not self.sock.recv(65536):
                        return
                except OSError:
                    return

    def close(self, reset=False):
        if self.closed:
            return
        self.closed = True
        try:
            if reset:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                # FIN first, then drain briefly: closing with unread input would
                # send RST, which can make the client lose what we sent.
                self.sock.shutdown(socket.SHUT_WR)
                end = time.monotonic() + 1.0
                while time.monotonic() < end:
                    r, _, _ = select.select([self.sock], [], [], max(0.0, end - time.monotonic()))
                    if not r or not self.sock.recv(65536):
                        break
        except OSError:
            pass
        try:
            self.rfile.close()
        finally:
            self.sock.close()


# ---- endpoints: each takes (conn, req) and returns whether to keep the connection

def ep_echo(c, req):
    return c.respond(req, 200, [("Content-Type", "application/octet-stream"),
                                ("X-Body-Length", str(len(req.body))),
                                ("X-Chunked", "1" if req.chunked else "0")],
                     req.raw_head + req.body)


def ep_discard(c, req):
    return c.respond(req, 200, [("Content-Type", "text/plain")], str(len(req.body)).encode())


def int_arg(s, default=None, lo=0, hi=1 << 62):
    try:
        v = int(s)
    except (TypeError, ValueError):
        return default
    return v if lo <= v <= hi else default


def ep_bytes(c, req, arg):
    n = int_arg(arg)
    if n is None:
        return c.respond(req, 400, body=b"bad length")
    close = req.wants_close()
    head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n%s\r\n" % (
        n, "Connection: close\r\n" if close else "")
    c.send(head.encode())
    if req.method != "HEAD":
        off = 0
        while off < n:
            k = min(n - off, 65536)
            c.send(pattern(off, k))
            off += k
    return not close


def ep_chunked(c, req, arg):
    n = int_arg(arg)
    if n is None:
        return c.respond(req, 400, body=b"bad length")
    close = req.wants_close()
    head = ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n"
            "Trailer: X-Trailer\r\n%s\r\n" % ("Connection: close\r\n" if close else ""))
    c.send(head.encode())
    if req.method == "HEAD":
        return not close
    sizes = [1, 2, 3, 10, 100, 1000, 4096, 16384]
    off, i = 0, 0
    while off < n:
        k = min(n - off, sizes[i] if i < len(sizes) else 65536)
        size = "%x" % k
        if k == 10:
            size = "A"
        if i == 0:
            size += ";ext=1"
        c.send(size.encode() + b"\r\n" + pattern(off, k) + b"\r\n")
        off += k
        i += 1
    c.send(b"0\r\nX-Trailer: done\r\n\r\n")
    return not close


def ep_drip(c, req):
    q = dict(req.query)
    n = int_arg(q.get("n"), 10, 0, 1 << 20)
    ms = int_arg(q.get("ms"), 100, 0, 10000)
    close = req.wants_close()
    c.send(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n%s\r\n" % (
        n, "Connection: close\r\n" if close else "")).encode())
    if req.method != "HEAD":
        for i in range(n):
            time.sleep(ms / 1000.0)
            c.send(pattern(i, 1))
    return not close


def ep_delay(c, req, arg):
    ms = int_arg(arg, None, 0, 60000)
    if ms is None:
        return c.respond(req, 400, body=b"bad delay")
    time.sleep(ms / 1000.0)
    return c.respond(req, 200, [("Content-Type", "text/plain")], b"ok")


def ep_keepalive_timeout(c, req, arg):
    ms = int_arg(arg, None, 1, 600000)
    if ms is None:
        return c.respond(req, 400, body=b"bad timeout")
    c.idle_ms = ms
    return c.respond(req, 200, [("Content-Type", "text/plain"),
                                ("Keep-Alive", "timeout=%d" % max(1, ms // 1000))], b"ok")


def ep_status(c, req, arg):
    n = int_arg(arg, None, 200, 999)
    if n is None:
        return c.respond(req, 400, body=b"bad status")
    return c.respond(req, n, [("Content-Type", "text/plain")], ("status %d" % n).encode())


def ep_redirect(c, req):
    q = dict(req.query)
    if "to" not in q:
        return c.respond(req, 400, body=b"missing to")
    code = int_arg(q.get("code"), 302, 300, 399)
    return c.respond(req, code, [("Location", q["to"]), ("Content-Type", "text/plain")], b"redirecting")


def ep_set_header(c, req):
    for n, v in req.query:
        if not n or any(ch in n + v for ch in "\r\n\0") or any(ch in n for ch in " \t:"):
            return c.respond(req, 400, body=b"bad header")
    return c.respond(req, 200, list(req.query) + [("Content-Type", "text/plain")], b"ok")


def ep_repeat_header(c, req):
    return c.respond(req, 200, [("X-Multi", "a"), ("X-Multi", "b"),
                                ("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; Path=/"),
                                ("Content-Type", "text/plain")], b"ok")


def ep_basic_auth(c, req, arg):
    user, _, pw = arg.partition("/")
    want = "Basic " + base64.b64encode(("%s:%s" % (user, pw)).encode("latin-1")).decode()
    if req.header("authorization") == want:
        return c.respond(req, 200, [("Content-Type", "text/plain")], b"authenticated")
    return c.respond(req, 401, [("WWW-Authenticate", 'Basic realm="rogue"'),
                                ("Content-Type", "text/plain")], b"unauthorized")


def ep_bearer(c, req, token):
    if req.header("authorization") == "Bearer " + token:
        return c.respond(req, 200, [("Content-Type", "text/plain")], b"authenticated")
    return c.respond(req, 401, [("WWW-Authenticate", 'Bearer realm="rogue"'),
                                ("Content-Type", "text/plain")], b"unauthorized")


FLAKY = {}
FLAKY_LOCK = threading.Lock()


def ep_flaky(c, req, arg):
    key, _, n = arg.rpartition("/")
    fails = int_arg(n, None, 0, 1000)
    if not key or fails is None:
        return c.respond(req, 400, body=b"want /flaky/KEY/N")
    with FLAKY_LOCK:
        seen = FLAKY.get(key, 0)
        FLAKY[key] = seen + 1
    if seen < fails:
        return c.respond(req, 503, [("Content-Type", "text/plain"), ("Retry-After", "0")], b"try again")
    return c.respond(req, 200, [("Content-Type", "text/plain")], b"ok after %d failures" % fails)


def multi_dict(pairs):
    """Pairs to a dict; a name given twice maps to a list, as httpbin shows it."""
    out = {}
    for k, v in pairs:
        if k in out:
            out[k] = (out[k] if isinstance(out[k], list) else [out[k]]) + [v]
        else:
            out[k] = v
    return out


def multipart_fields(ctype, body):
    """(form pairs, files pairs) of a multipart/form-data body."""
    from email.parser import BytesParser
    from email.policy import HTTP
    msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body)
    form, files = [], []
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition") or ""
        data = part.get_payload(decode=True) or b""
        text = data.decode("utf-8", "replace")
        (files if part.get_filename() is not None else form).append((name, text))
    return form, files


def ep_anything(c, req):
    ctype = req.header("content-type") or ""
    mime = ctype.split(";")[0].strip().lower()
    form, files, data, doc = [], [], req.body.decode("utf-8", "replace"), None
    if mime == "application/x-www-form-urlencoded":
        form, data = parse_qsl(req.body.decode("latin-1"), keep_blank_values=True), ""
    elif mime == "multipart/form-data":
        form, files = multipart_fields(ctype, req.body)
        data = ""
    elif mime == "application/json" or mime.endswith("+json"):
        try:
            doc = json.loads(req.body)
        except ValueError:
            doc = None
    headers = {}
    for line in req.raw_head.split(b"\r\n")[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            n, v = name.decode("latin-1"), value.strip().decode("latin-1")
            headers[n] = headers[n] + ", " + v if n in headers else v
    out = {"method": req.method, "url": req.target, "args": multi_dict(req.query),
           "headers": headers, "data": data, "form": multi_dict(form),
           "files": multi_dict(files), "json": doc}
    return c.respond(req, 200, [("Content-Type", "application/json")],
                     json.dumps(out, indent=None).encode())


def ep_continue(c, req):
    return c.respond(req, 200, [("Content-Type", "text/plain")], b"continued")


def ep_early_hints(c, req):
    c.send(b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")
    return c.respond(req, 200, [("Content-Type", "text/plain")], b"ok")


def ep_interim(c, req):
    q = dict(req.query)
    n = int_arg(q.get("n"), 1000, 0, 1000000)
    ms = int_arg(q.get("ms"), 0, 0, 10000)
    head = b"HTTP/1.1 100 Continue\r\n\r\n"
    try:
        if ms == 0:
            c.send(head * n)
        else:
            for _ in range(n):
                c.send(head)
                time.sleep(ms / 1000.0)
    except OSError:
        return False
    return c.respond(req, 200, [("Content-Type", "text/plain")], b"final after %d interim responses" % n)


def ep_expect_417(c, req):
    if getattr(req, "expect_failed", False):
        return c.respond(req, 417, [("Content-Type", "text/plain")], b"expectation failed", close=True)
    return c.respond(req, 200, [("Content-Type", "text/plain")], b"ok")


def ep_http10(c, req):
    body = b"http/1.0 body"
    c.send(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body)
           + (b"" if req.method == "HEAD" else body))
    return False


def ep_http10_chunked(c, req):
    # HTTP/1.0 with Transfer-Encoding: RFC 9112 6.1 says the client closes
    # after it; we keep the connection open to see that it does.
    c.send(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n" + (b"" if req.method == "HEAD" else b"5\r\nhello\r\n0\r\n\r\n"))
    return True


def ep_stray_after(c, req):
    # A complete answer, then (a moment later, in a write of its own) bytes
    # nobody asked for on the idle connection, which stays open: a client
    # that reuses it would take them as the next answer.
    keep = c.respond(req, 200, [("Content-Type", "text/plain")], b"first")
    time.sleep(0.05)
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nstray")
    return keep


HITS = {}
HITS_LOCK = threading.Lock()


def ep_hit(c, req):
    # Counts requests per ?key= (see /hits), so a test can tell whether a
    # redirect's next hop was sent.
    key = dict(req.query).get("key", "")
    with HITS_LOCK:
        HITS[key] = HITS.get(key, 0) + 1
    return c.respond(req, 200, [("Content-Type", "text/plain")], b"hit")


def ep_hits(c, req):
    key = dict(req.query).get("key", "")
    with HITS_LOCK:
        n = HITS.get(key, 0)
    return c.respond(req, 200, [("Content-Type", "text/plain")], str(n).encode())


def ep_redirect_broken(c, req):
    # A redirect whose body stops short: the next hop must not be sent.
    to = dict(req.query).get("to", "/")
    c.send(("HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 1000\r\n\r\n" % to).encode() + b"0123456789")
    return False


def ep_redirect_endless(c, req):
    # A redirect with a body that never ends (bounded here by bytes and time,
    # so the server stops by itself): the client must follow without reading it all.
    to = dict(req.query).get("to", "/")
    c.send(("HTTP/1.1 302 Found\r\nLocation: %s\r\nTransfer-Encoding: chunked\r\n\r\n" % to).encode())
    chunk = b"%x\r\n%s\r\n" % (16384, b"r" * 16384)
    end = time.monotonic() + 20
    for _ in range(64 * 1024):          # 1 GiB at most
        if time.monotonic() > end:
            break
        c.send(chunk)
    return False


def ep_interim_flood(c, req):
    # 100 Continue without end (bounded: 16 MiB or 20 s): the client must
    # give up after a few, with its memory bounded.
    one = b"HTTP/1.1 100 Continue\r\n\r\n"
    block = one * 1000
    end = time.monotonic() + 20
    for _ in range(16 * 1024 * 1024 // len(block)):
        if time.monotonic() > end:
            break
        c.send(block)
    return False


def ep_close_delimited(c, req):
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + (b"" if req.method == "HEAD" else b"until close"))
    return False


def ep_lf_only(c, req):
    c.send(b"HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 2\n\nok")
    return not req.wants_close()


def ep_stall_head(c, req):
    c.stall()
    return False


def ep_stall_body(c, req):
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n" + pattern(0, 10))
    c.stall()
    return False


def ep_close_mid_body(c, req):
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n" + pattern(0, 10))
    return False


def ep_close_mid_chunk(c, req):
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
    return False


def ep_close_no_response(c, req):
    return False


def ep_close_if_reused(c, req):
    # a keep-alive race: the server dropped the idle connection just as the
    # client sent on it. A fresh connection gets the answer.
    if c.served > 1:
        return False
    return c.respond(req, 200, [("Content-Type", "text/plain")], b"fresh connection %d" % c.id)


def ep_close_after_response(c, req):
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n" + (b"" if req.method == "HEAD" else b"ok"))
    return False


def ep_reset(c, req):
    c.close(reset=True)
    return False


def ep_latin1(c, req):
    return c.respond(req, 200, [("Content-Type", "text/plain; charset=iso-8859-1")], b"caf\xe9")


def ep_utf8(c, req):
    return c.respond(req, 200, [("Content-Type", "text/plain; charset=utf-8")], b"caf\xc3\xa9")


def ep_json(c, req):
    body = json.dumps({"hello": "world", "n": 1, "list": [1, 2, 3]}).encode()
    return c.respond(req, 200, [("Content-Type", "application/json")], body)


def ep_gzip(c, req):
    return c.respond(req, 200, [("Content-Type", "text/plain"), ("Content-Encoding", "gzip")],
                     gzip.compress(HELLO, mtime=0))


def ep_deflate(c, req):
    return c.respond(req, 200, [("Content-Type", "text/plain"), ("Content-Encoding", "deflate")],
                     zlib.compress(HELLO))


BAD = {
    "two-content-lengths": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    "cl-and-te": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    "chunk-size": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    "chunk-overflow": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nhello\r\n0\r\n\r\n",
    "negative-content-length": b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nhello",
    "status-line": b"HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok",
    "not-http": b"hello there\r\n",
    "huge-head": b"HTTP/1.1 200 OK\r\nX-Huge: " + b"a" * (200 * 1024) + b"\r\nContent-Length: 2\r\n\r\nok",
    "many-headers": b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-N-%d: %d\r\n" % (i, i) for i in range(10000))
                    + b"Content-Length: 2\r\n\r\nok",
    "header-name": b"HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 2\r\n\r\nok",
}


def ep_cookies(c, req, arg):
    """httpbin's cookie endpoints: /cookies lists the Cookie header's cookies;
    /cookies/set/NAME/VALUE and /cookies/set?n=v set and /cookies/delete?n
    expires, each with a 302 to /cookies."""
    if arg == "" or arg == "/":
        jar = {}
        for part in (req.header("cookie") or "").split(";"):
            name, sep, value = part.strip().partition("=")
            if sep:
                jar[name] = value
        return c.respond(req, 200, [("Content-Type", "application/json")],
                         json.dumps({"cookies": jar}).encode())
    if arg.startswith("/set/") and arg.count("/") == 3:
        _, _, name, value = arg.split("/")
        pairs = [(name, value)]
    elif arg == "/set":
        pairs = list(req.query)
    elif arg == "/delete":
        return c.respond(req, 302, [("Location", "/cookies"), ("Content-Type", "text/plain")] +
                         [("Set-Cookie", "%s=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/" % n)
                          for n, _ in req.query], b"redirecting")
    else:
        return c.respond(req, 404, [("Content-Type", "text/plain")], b"not found")
    return c.respond(req, 302, [("Location", "/cookies"), ("Content-Type", "text/plain")] +
                     [("Set-Cookie", "%s=%s; Path=/" % (n, v)) for n, v in pairs], b"redirecting")


def ep_connect(c, req):
    host, _, port = req.target.rpartition(":")
    host = host.strip("[]")
    if host not in ("127.0.0.1", "localhost", "::1") or not port.isdigit():
        return c.respond(req, 403, body=b"only loopback tunnels", close=True)
    try:
        up = socket.create_connection((host, int(port)), timeout=5)
    except OSError:
        return c.respond(req, 502, body=b"connect failed", close=True)
    c.send(b"HTTP/1.1 200 Connection Established\r\n\r\n")
    # Bytes the client sent after the CONNECT head may sit in our read buffer.
    # peek on a nonblocking socket returns the buffer without waiting for more.
    c.sock.setblocking(False)
    try:
        pending = c.rfile.peek(65536)
    except OSError:
        pending = b""
    c.sock.settimeout(IDLE_SECONDS)
    if pending:
        up.sendall(c.rfile.read(len(pending)))
    socks = [c.sock, up]
    try:
        while True:
            r, _, _ = select.select(socks, [], [], STALL_SECONDS)
            if not r:
                break
            for s in r:
                data = s.recv(65536)
                if not data:
                    raise Closed()
                (up if s is c.sock else c.sock).sendall(data)
    except (OSError, Closed):
        pass
    finally:
        up.close()
    return False


EXACT = {
    "/echo": ep_echo, "/discard": ep_discard, "/drip": ep_drip,
    "/http10-chunked": ep_http10_chunked, "/stray-after": ep_stray_after, "/hit": ep_hit, "/hits": ep_hits,
    "/redirect-broken": ep_redirect_broken, "/redirect-endless": ep_redirect_endless,
    "/interim-flood": ep_interim_flood,
    "/conn-id": lambda c, r: c.respond(r, 200, [("Content-Type", "text/plain")], str(c.id).encode()),
    "/redirect": ep_redirect, "/set-header": ep_set_header, "/repeat-header": ep_repeat_header,
    "/continue": ep_continue, "/early-hints": ep_early_hints, "/interim": ep_interim, "/expect-417": ep_expect_417,
    "/http10": ep_http10, "/close-delimited": ep_close_delimited, "/lf-only": ep_lf_only,
    "/stall-head": ep_stall_head, "/stall-body": ep_stall_body,
    "/close-mid-body": ep_close_mid_body, "/close-mid-chunk": ep_close_mid_chunk,
    "/close-no-response": ep_close_no_response, "/close-after-response": ep_close_after_response,
    "/close-if-reused": ep_close_if_reused,
    "/reset": ep_reset, "/latin1": ep_latin1, "/utf8": ep_utf8, "/json": ep_json,
    "/gzip": ep_gzip, "/deflate": ep_deflate,
}

PREFIX = {
    "/bytes/": ep_bytes, "/chunked/": ep_chunked, "/delay/": ep_delay,
    "/status/": ep_status, "/basic-auth/": ep_basic_auth,
    "/keepalive-timeout/": ep_keepalive_timeout, "/bearer/": ep_bearer,
    "/flaky/": ep_flaky,
}


def dispatch(c, req):
    if req.method == "CONNECT":
        return ep_connect(c, req)
    p = req.path
    if p in EXACT:
        return EXACT[p](c, req)
    if p.startswith("/echo/"):
        return ep_echo(c, req)
    if p == "/cookies" or p.startswith("/cookies/"):
        return ep_cookies(c, req, p[len("/cookies"):])
    if p == "/anything" or p.startswith("/anything/"):
        return ep_anything(c, req)
    if p.startswith("/bad/") and p[5:] in BAD:
        data = BAD[p[5:]]
        if req.method == "HEAD":
            data = data[:data.find(b"\r\n\r\n") + 4] if b"\r\n\r\n" in data else data
        c.send(data)
        return False
    for prefix, fn in PREFIX.items():
        if p.startswith(prefix):
            return fn(c, req, p[len(prefix):])
    return c.respond(req, 404, [("Content-Type", "text/plain")], b"not found")


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        # Small writes (head, then body) must not wait for delayed ACKs.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.request.settimeout(IDLE_SECONDS)
        c = Conn(self.request)
        try:
            while True:
                if c.idle_expired():
                    break
                try:
                    req = read_request(c)
                except BadRequest as e:
                    c.send(b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                           b"Content-Length: %d\r\n\r\n%s" % (len(str(e)), str(e).encode()))
                    break
                if req is not None:
                    c.served += 1
                if req is None or not dispatch(c, req):
                    break
        except (OSError, Closed):
            pass
        finally:
            c.close()


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        # A test that misbehaves on purpose must not fill the log with tracebacks.
        if os.environ.get("ROGUE_VERBOSE"):
            super().handle_error(request, client_address)


# ---- retries and local_address (test_retry.c) ----
# /retry-status/KEY/N?status=S&retry_after=V  the first N requests with this KEY
#                    get status S (default 503) and body "retry me", with
#                    "Retry-After: V" when V is given ("date+SECS" or
#                    "date-SECS": an HTTP-date that far from now); later ones 200
#                    "ok after N". Counts per KEY for the server's life.
# /retry-count/KEY   body = how many requests /retry-status/KEY/... got.
# /peer              body = the client's address as the server sees it.
RETRY_SEEN = {}


def ep_retry_status(c, req, arg):
    key, _, n = arg.rpartition("/")
    fails = int_arg(n, None, 0, 1000)
    if not key or fails is None:
        return c.respond(req, 400, body=b"want /retry-status/KEY/N")
    q = dict(req.query)
    with FLAKY_LOCK:
        seen = RETRY_SEEN.get(key, 0)
        RETRY_SEEN[key] = seen + 1
    if seen >= fails:
        return c.respond(req, 200, [("Content-Type", "text/plain")], b"ok after %d" % fails)
    headers = [("Content-Type", "text/plain")]
    ra = q.get("retry_after")
    if ra is not None:
        if ra.startswith("date"):
            from email.utils import formatdate
            ra = formatdate(time.time() + float(ra[4:]), usegmt=True)
        headers.append(("Retry-After", ra))
    return c.respond(req, int_arg(q.get("status", "503"), 503, 100, 999), headers, b"retry me")


def ep_retry_count(c, req, arg):
    with FLAKY_LOCK:
        n = RETRY_SEEN.get(arg, 0)
    return c.respond(req, 200, [("Content-Type", "text/plain")], str(n).encode())


EXACT["/peer"] = lambda c, r: c.respond(r, 200, [("Content-Type", "text/plain")],
                                         c.sock.getpeername()[0].encode())
PREFIX["/retry-status/"] = ep_retry_status
PREFIX["/retry-count/"] = ep_retry_count


def main():
    ap = argparse.ArgumentParser(description="misbehaving HTTP/1.1 test server")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=900.0, help="exit after this many seconds")
    ap.add_argument("--watch-stdin", action="store_true", help="exit when stdin reaches end of file")
    args = ap.parse_args()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: os._exit(0))
    t = threading.Timer(args.lifetime, lambda: os._exit(0))
    t.daemon = True
    t.start()
    if args.watch_stdin:
        def watch():
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()

    srv = Server(("127.0.0.1", args.port), Handler)
    sys.stdout.write("%d\n" % srv.server_address[1])
    sys.stdout.flush()
    # Nothing more goes to stdout: whoever read the port may have closed the pipe.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    srv.serve_forever(poll_interval=0.5)


# ---- /enc/*: Content-Encoding, well and badly (tests/test_decode.c)
#   /enc/lines?n=N&ce=C  N lines "line I: the quick brown fox\n" (I from 0,
#                     default 1000) encoded by C, a comma list applied left to
#                     right: gzip, deflate (zlib), raw (raw deflate, sent as
#                     "deflate"), identity (default gzip). Content-Length.
#                     Also &chunked=1 (one chunk per 1000 bytes), &trickle=1 (the
#                     body one byte a write), &cut=K (the last K encoded bytes
#                     left out, Content-Length says what is sent), &flip=K (byte K
#                     of the body XORed with 0x55), &crc=1 (gzip's CRC-32 wrong),
#                     &short=K (Content-Length counts K more bytes than are sent,
#                     then closes), &as=NAME (send this Content-Encoding instead).
#   /enc/zeros?mb=N   N MiB of zeros gzipped (a bomb), chunked, streamed.
#   /enc/empty        Content-Encoding: gzip and an empty body.
#   /enc/echo?as=C    the request body back, labelled Content-Encoding: C (the
#                     tests encode br and zstd with the C libraries).
#   /enc/redirect     302 to /enc/lines with a gzip-labelled body of garbage.

def enc_apply(data, codings):
    header = []
    for cname in codings:
        if cname == "gzip":
            data = gzip.compress(data, mtime=0)
        elif cname == "deflate":
            data = zlib.compress(data)
        elif cname == "raw":
            co = zlib.compressobj(6, zlib.DEFLATED, -15)
            data = co.compress(data) + co.flush()
            cname = "deflate"
        header.append(cname)
    return data, ", ".join(header)


def ep_enc(c, req, arg):
    q = dict(req.query)
    if arg == "lines":
        n = int_arg(q.get("n"), 1000, 0, 10000000)
        plain = b"".join(b"line %d: the quick brown fox\n" % i for i in range(n))
        body, ce = enc_apply(plain, (q.get("ce") or "gzip").split(","))
        if q.get("crc") == "1":
            body = body[:-8] + bytes([body[-8] ^ 1]) + body[-7:]
        k = int_arg(q.get("flip"), None, 0, len(body) - 1) if body else None
        if k is not None:
            body = body[:k] + bytes([body[k] ^ 0x55]) + body[k + 1:]
        cut = int_arg(q.get("cut"), 0, 0, len(body))
        if cut:
            body = body[:-cut]
        ce = q.get("as", ce)
        head = [("Content-Type", "text/plain"), ("Content-Encoding", ce), ("X-Plain-Length", str(len(plain)))]
        short = int_arg(q.get("short"), 0, 0, 1 << 20)
        chunked = q.get("chunked") == "1"
        if not (short or chunked or q.get("trickle") == "1"):
            return c.respond(req, 200, head, body)
        close = req.wants_close() or bool(short)
        lines = ["HTTP/1.1 200 OK"] + ["%s: %s" % h for h in head]
        lines.append("Transfer-Encoding: chunked" if chunked else "Content-Length: %d" % (len(body) + short))
        if close:
            lines.append("Connection: close")
        c.send(("\r\n".join(lines) + "\r\n\r\n").encode())
        if req.method == "HEAD":
            return not close
        if chunked:
            for i in range(0, len(body), 1000):
                piece = body[i:i + 1000]
                c.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
            c.send(b"0\r\n\r\n")
        elif q.get("trickle") == "1":
            for i in range(len(body)):
                c.send(body[i:i + 1])
        else:
            c.send(body)
        return not close
    if arg == "zeros":
        mb = int_arg(q.get("mb"), 64, 1, 4096)
        close = req.wants_close()
        c.send(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Encoding: gzip\r\n"
                "Transfer-Encoding: chunked\r\n%s\r\n" % ("Connection: close\r\n" if close else "")).encode())
        if req.method == "HEAD":
            return not close
        co = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = bytes(1 << 20)
        try:
            for _ in range(mb):
                piece = co.compress(zeros)
                if piece:
                    c.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
            piece = co.flush()
            c.send(b"%x\r\n" % len(piece) + piece + b"\r\n0\r\n\r\n")
        except OSError:
            return False
        return not close
    if arg == "echo":
        return c.respond(req, 200, [("Content-Type", "text/plain"), ("Content-Encoding", q.get("as", "identity"))],
                         req.body)
    if arg == "empty":
        return c.respond(req, 200, [("Content-Type", "text/plain"), ("Content-Encoding", "gzip")], b"")
    if arg == "redirect":
        return c.respond(req, 302, [("Location", "/enc/lines?n=3"), ("Content-Encoding", "gzip")],
                         b"this is not gzip at all")
    return c.respond(req, 404, [("Content-Type", "text/plain")], b"not found")


PREFIX["/enc/"] = ep_enc

# ---- cookies and redirect history (test_cookie_client.c, test_history.c) ----
#   /redirect/N        httpbin's: 302 to /redirect/N-1, and /redirect/1 to
#                      /anything (N from 1 to 100).
def ep_redirect_n(c, req, arg):
    if not arg.isdigit() or not 1 <= int(arg) <= 100:
        return c.respond(req, 404, [("Content-Type", "text/plain")], b"not found")
    n = int(arg)
    to = "/redirect/%d" % (n - 1) if n > 1 else "/anything"
    return c.respond(req, 302, [("Location", to), ("Content-Type", "text/plain")], b"redirecting")


PREFIX["/redirect/"] = ep_redirect_n

if __name__ == "__main__":
    main()
