#!/usr/bin/env python3
"""h2_server.py: an HTTP/2 (h2c, prior knowledge) test server for httpx.h,
well-behaved on most paths and hostile on some, chosen by the request path.

Uses the h2 package (Debian: python3-h2). When the interpreter that runs it
has no h2, it runs itself again under /usr/bin/python3, which has it when the
Debian package is installed.

Binds 127.0.0.1 on free ports and prints one line:
    PORT nosettings=PORT2
PORT is the server below; PORT2 accepts connections, reads and drops what
comes and never sends a byte (not even its SETTINGS). Exits on SIGTERM/SIGINT,
after --lifetime seconds (default 600), and with --watch-stdin as soon as its
stdin reaches end of file. One thread per connection, each a select() loop
with timers, so that a stalled stream never holds up the others; flow
control is honoured both ways.

Well-behaved endpoints (any method unless said; the query is ignored)
  GET  /bytes/N    N pattern bytes (byte i is i & 0xff), content-length N,
                   sent as fast as the client's windows allow.
  /echo            reads the body, then answers 200 with the same bytes, with
                   the request's content-type and content-length (or "none")
                   in x-request-content-type / x-request-content-length.
  GET  /trailers   "body" then trailers x-checksum: 42.
  /hash            reads the body; answers "LENGTH SHA256HEX\\n" (headers as /echo).
  /headers         the request's fields, one "name: value" line each.
  /digest?alg=ALG  digest auth (user "user", password "passwd", qop auth,
                   algorithm ALG, default SHA-256): 200 "authenticated" to a
                   right answer, else 401 with the challenge.
  /redirect/CODE   status CODE with location: the query's "to" (default
                   /bytes/10), body "redirect".
  /slow-ack        like /echo, but the server acknowledges no request body
                   byte (no WINDOW_UPDATE) until 0.3 s after the first DATA
                   came: the client's send windows stay shut that long.
  other            404.

Hostile endpoints
  /stall           head and 1000 body bytes, then nothing on this stream.
  /goaway          head, 1000 bytes, GOAWAY (NO_ERROR, last stream = this
                   one), 1000 more bytes and the end. Requests on higher
                   streams of the connection are never answered.
  /goaway-slow     the same, but the last 1000 bytes come 2 s later.
  /rst/CODE        RST_STREAM with CODE. With ?once=TOKEN only the first
                   request carrying TOKEN (server-wide) is reset; later ones
                   get 200 "retried".
  /window-overflow WINDOW_UPDATE on stream 0 of 2^31-1 (the client's send
                   window goes over the maximum).
  /huge-headers    a response head of 300 fields of 400 bytes (120 KB).
  /bad-hpack       a HEADERS frame whose block names a table index that does
                   not exist.
  /settings-flood  20000 empty SETTINGS frames at once, then 200 "ok".
  /ping-flood      20000 PINGs at once, then 200 "ok".
  /closed-stream   a complete 200 "ok", then a DATA frame on the closed stream.
  /idle-stream     HEADERS on a stream the client never opened.
  /oversize        head, then a DATA frame of 20000 bytes (over 16384).
  /data-first      a DATA frame before any HEADERS on the stream.
  /close-mid       head and 1000 body bytes of 100000, then the connection closes.

Early answers and late frames (RFC 9113 8.1 allows a complete response
before the request body is read)
  /early           answers 200 "early" as soon as the request head comes, and
                   never opens the stream's window for the body (the
                   connection window is kept open). Late frames for the
                   stream follow when the next request of the connection
                   comes, before it is answered: ?then=LIST, a comma list of
                   window (WINDOW_UPDATE on the stream), rst (RST_STREAM
                   NO_ERROR), goaway (GOAWAY whose last stream is below it);
                   default window,rst.
  /early-redirect  the same, but a 303 to ?to= (default /split/10) with body
                   "redirect"; its RST_STREAM NO_ERROR is sent by /split.
  /split/N         head (content-length N), N/2 pattern bytes, then the late
                   frames an /early-redirect left, then 0.3 s later the rest.
  /duplex          head at once (no content-length), then every request body
                   byte echoed as it comes (full duplex); the end when the
                   request ends.
  /trickle-ack     like /echo, but the stream's window opens by at most 8192
                   bytes every 50 ms: a steady, slow upload.
  /idle-close      200 "ok"; 0.2 s later the connection closes (no GOAWAY),
                   as an idle timeout does.
  /head-body       head with content-length 10, then 10 bytes of DATA, to
                   any method (HEAD too). /204-body: status 204 and the same.
  /status-only     a head of :status 200 alone, ending the stream.
  /big-header/N    200 "ok" with one field x-big of N bytes.
  /interim?n=K     K informational heads (103), then 200 "ok" (default K 1).
"""
import hashlib
import os
import select
import re
import socket
import struct
import sys
import threading
import time

try:
    import h2.config
    import h2.connection
    import h2.events
    import h2.exceptions
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.stderr.write("h2_server.py: the h2 package is missing (apt-get install python3-h2)\n")
    sys.exit(2)

ONCE_LOCK = threading.Lock()
ONCE_SEEN = set()      # tokens of /rst/CODE?once=TOKEN already reset


def arg(query, name):
    """The value of name=... in a query string, or None."""
    for part in query.split("&"):
        if part.startswith(name + "="):
            return part[len(name) + 1:]
    return None


def pattern(n):
    return bytes(i & 0xFF for i in range(256)) * (n // 256) + bytes(range(n % 256))


def frame(ftype, flags, sid, payload=b""):
    """One raw frame, for what the h2 package would refuse to send."""
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", sid) + payload


class Conn:
    def __init__(self, sock):
        self.sock = sock
        cfg = h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        self.h2 = h2.connection.H2Connection(config=cfg)
        self.bodies = {}     # stream id -> request body so far
        self.requests = {}   # stream id -> headers
        self.pending = {}    # stream id -> [bytes left to send, trailers or None]
        self.timers = []     # [when, fn]
        self.ignore_above = None   # after our GOAWAY: higher streams are never answered
        self.slow = {}       # stream id -> bytes not acknowledged yet (/slow-ack), None once open
        self.closed = False
        self.answered = set()   # streams answered early (before their body ended)
        self.late = {}          # early stream id -> [late frame kinds, "next" or "split"]
        self.held = {}          # early stream id -> body bytes whose stream window stays shut
        self.duplex = set()     # /duplex streams whose request has not ended
        self.trickle = {}       # /trickle-ack stream id -> bytes not acknowledged yet

    # ---- output ----

    def flush(self):
        data = self.h2.data_to_send()
        if data:
            self.sock.sendall(data)

    def raw(self, data):
        """Bytes the h2 package does not know about, after what it queued."""
        self.flush()
        self.sock.sendall(data)

    def later(self, delay, fn):
        self.timers.append([time.monotonic() + delay, fn])

    def respond(self, sid, status, body, trailers=None, headers=()):
        fields = [(":status", str(status)), ("content-length", str(len(body)))] + list(headers)
        self.h2.send_headers(sid, fields, end_stream=not body and not trailers)
        if body or trailers:
            self.pending[sid] = [body, trailers]
        self.pump()

    def pump(self):
        """Sends what the windows allow of every pending body."""
        for sid in list(self.pending):
            body, trailers = self.pending[sid]
            more = sid in self.duplex      # a /duplex body goes on while the request does
            ended = False
            while body:
                room = min(self.h2.local_flow_control_window(sid), self.h2.max_outbound_frame_size, len(body))
                if room <= 0:
                    break
                ended = not body[room:] and not trailers and not more
                self.h2.send_data(sid, body[:room], end_stream=ended)
                body = body[room:]
            if body or more:
                self.pending[sid][0] = body
                continue
            if not ended and not trailers:     # a /duplex body that ended empty-handed
                self.h2.send_data(sid, b"", end_stream=True)
            if trailers:
                self.h2.send_headers(sid, trailers, end_stream=True)
            del self.pending[sid]

    # ---- requests ----

    def head_only(self, sid, length, first):
        """A 200 head announcing length bytes, and the first bytes of them."""
        self.h2.send_headers(sid, [(":status", "200"), ("content-length", str(length))])
        self.h2.send_data(sid, pattern(first))
        self.flush()

    def goaway(self, sid, delay):
        self.head_only(sid, 2000, 1000)
        self.ignore_above = sid
        self.raw(frame(7, 0, 0, struct.pack(">II", sid, 0)))

        def rest():
            self.h2.send_data(sid, pattern(1000), end_stream=True)
        if delay:
            self.later(delay, rest)
        else:
            rest()

    def send_late(self, trigger):
        """The late frames of early-answered streams, for this trigger."""
        for sid in sorted(self.late):
            kinds, when = self.late[sid]
            if when != trigger:
                continue
            del self.late[sid]
            for kind in kinds:
                if kind == "window":
                    self.raw(frame(8, 0, sid, struct.pack(">I", 1000)))
                elif kind == "rst":
                    try:
                        self.h2.reset_stream(sid, 0)
                    except h2.exceptions.ProtocolError:   # the client reset it first
                        self.raw(frame(3, 0, sid, struct.pack(">I", 0)))
                    self.flush()
                elif kind == "goaway":
                    self.raw(frame(7, 0, 0, struct.pack(">II", max(sid - 2, 0), 0)))
                    self.ignore_above = max(sid - 2, 0)

    def early(self, sid, path, query):
        """Answers at once; the body's stream window stays shut."""
        self.answered.add(sid)
        self.held[sid] = 0
        if path == "/early":
            kinds = (arg(query, "then") or "window,rst").split(",")
            self.late[sid] = [kinds, "next"]
            self.respond(sid, 200, b"early")
        else:
            self.late[sid] = [["rst"], "split"]
            self.respond(sid, 303, b"redirect", headers=[("location", arg(query, "to") or "/split/10")])

    def split(self, sid, n):
        self.h2.send_headers(sid, [(":status", "200"), ("content-length", str(n))])
        self.h2.send_data(sid, pattern(n)[: n // 2])
        self.flush()
        self.send_late("split")

        def rest():
            self.h2.send_data(sid, pattern(n)[n // 2:], end_stream=True)
        self.later(0.3, rest)

    def on_request(self, ev):
        """A request head: endpoints that answer before the body ends."""
        sid = ev.stream_id
        headers = dict(ev.headers)
        full = headers.get(":path", "")
        path, _, query = full.partition("?")
        self.send_late("next")
        if path in ("/early", "/early-redirect"):
            self.early(sid, path, query)
        elif path == "/duplex":
            self.answered.add(sid)
            self.duplex.add(sid)
            self.h2.send_headers(sid, [(":status", "200")])
            self.pending[sid] = [b"", None]
            self.flush()

    def tick_trickle(self):
        """Opens each /trickle-ack stream's window by 8192 bytes at most."""
        for sid in list(self.trickle):
            n = min(self.trickle[sid], 8192)
            if n:
                self.trickle[sid] -= n
                self.ack_stream(n, sid)
        if self.trickle:
            self.later(0.05, self.tick_trickle)

    def hostile(self, sid, path):
        """True when path is a hostile endpoint (and it was served)."""
        if path == "/stall":
            self.head_only(sid, 100000, 1000)
        elif path == "/goaway":
            self.goaway(sid, 0)
        elif path == "/goaway-slow":
            self.goaway(sid, 2.0)
        elif path == "/window-overflow":
            self.raw(frame(8, 0, 0, struct.pack(">I", 0x7FFFFFFF)))
        elif path == "/huge-headers":
            fields = [(":status", "200")] + [("x-big-%d" % i, "%0400d" % i) for i in range(300)]
            self.h2.send_headers(sid, fields, end_stream=True)
        elif path == "/bad-hpack":
            self.raw(frame(1, 0x4 | 0x1, sid, b"\x88\xff\x80\x10"))   # :status 200, then index 2175
        elif path == "/settings-flood":
            self.raw(frame(4, 0, 0) * 20000)
            self.respond(sid, 200, b"ok")
        elif path == "/ping-flood":
            self.raw(b"".join(frame(6, 0, 0, struct.pack(">Q", i)) for i in range(20000)))
            self.respond(sid, 200, b"ok")
        elif path == "/closed-stream":
            self.respond(sid, 200, b"ok")
            self.raw(frame(0, 0, sid, b"late bytes"))
        elif path == "/idle-stream":
            self.raw(frame(1, 0x4 | 0x1, sid + 100, b"\x88"))
        elif path == "/oversize":
            self.h2.send_headers(sid, [(":status", "200")])
            self.raw(frame(0, 0x1, sid, b"x" * 20000))
        elif path == "/data-first":
            self.raw(frame(0, 0, sid, b"early"))
        elif path == "/idle-close":
            self.respond(sid, 200, b"ok")

            def close():
                self.sock.shutdown(socket.SHUT_RDWR)
                self.closed = True
            self.later(0.2, close)
        elif path in ("/head-body", "/204-body"):
            status = "204" if path == "/204-body" else "200"
            self.h2.send_headers(sid, [(":status", status), ("content-length", "10")])
            self.raw(frame(0, 0x1, sid, b"0123456789"))
        elif path == "/status-only":
            self.h2.send_headers(sid, [(":status", "200")], end_stream=True)
        elif path.startswith("/big-header/"):
            self.respond(sid, 200, b"ok", headers=[("x-big", "b" * int(path[12:]))])
        elif path == "/close-mid":
            self.head_only(sid, 100000, 1000)
            self.sock.shutdown(socket.SHUT_RDWR)
            self.closed = True
        else:
            return False
        return True

    def request_done(self, sid):
        headers = self.requests.pop(sid, {})
        body = bytes(self.bodies.pop(sid, b""))
        full = headers.get(":path", "")
        path, _, query = full.partition("?")
        method = headers.get(":method", "")
        if self.ignore_above is not None and sid > self.ignore_above:
            return
        if sid in self.answered:
            if sid in self.duplex:
                self.duplex.discard(sid)
                self.pump()
            return
        if path == "/interim":
            for _ in range(int(arg(query, "n") or "1")):
                self.h2.send_headers(sid, [(":status", "103"), ("link", "</style.css>; rel=preload")])
            self.respond(sid, 200, b"ok")
            return
        if path.startswith("/split/"):
            self.split(sid, int(path[7:]))
            return
        if self.hostile(sid, path):
            return
        if path.startswith("/bytes/") and method == "GET":
            self.respond(sid, 200, pattern(int(path[7:])))
        elif path == "/trailers":
            self.respond(sid, 200, b"body", trailers=[("x-checksum", "42")])
        elif path in ("/echo", "/hash", "/slow-ack", "/trickle-ack"):
            if path == "/hash":
                body = ("%d %s\n" % (len(body), hashlib.sha256(body).hexdigest())).encode()
            self.respond(sid, 200, body, headers=[
                ("x-request-content-type", headers.get("content-type", "none")),
                ("x-request-content-length", headers.get("content-length", "none"))])
        elif path == "/digest":
            ok, challenge = digest_check(method, full, headers, query)
            if ok:
                self.respond(sid, 200, b"authenticated")
            else:
                self.respond(sid, 401, b"", headers=[("www-authenticate", challenge)])
        elif path == "/headers":
            text = "".join("%s: %s\n" % (k, v) for k, v in headers.items())
            self.respond(sid, 200, text.encode())
        elif path.startswith("/redirect/"):
            to = "/bytes/10"
            for part in query.split("&"):
                if part.startswith("to="):
                    to = part[3:]
            self.respond(sid, int(path[10:]), b"redirect", headers=[("location", to)])
        elif path.startswith("/rst/"):
            token = None
            for part in query.split("&"):
                if part.startswith("once="):
                    token = part[5:]
            with ONCE_LOCK:
                first = token is None or token not in ONCE_SEEN
                if token is not None:
                    ONCE_SEEN.add(token)
            if first:
                self.h2.reset_stream(sid, int(path[5:]))
            else:
                self.respond(sid, 200, b"retried")
        else:
            self.respond(sid, 404, b"")

    def on_data(self, ev):
        self.bodies.setdefault(ev.stream_id, bytearray()).extend(ev.data)
        path = self.requests.get(ev.stream_id, {}).get(":path", "")
        sid, n = ev.stream_id, ev.flow_controlled_length
        if sid in self.held:       # early answer: only the connection window opens
            self.held[sid] += n
            if n:
                self.h2.increment_flow_control_window(n)
            return
        if sid in self.duplex:
            self.pending[sid][0] += ev.data
            self.ack(n, sid)
            self.pump()
            return
        if path == "/trickle-ack":
            if not self.trickle:
                self.later(0.05, self.tick_trickle)
            self.trickle[sid] = self.trickle.get(sid, 0) + n
            if n:
                self.h2.increment_flow_control_window(n)
            return
        if path == "/slow-ack" and self.slow.get(sid, 0) is not None:
            if sid not in self.slow:
                self.slow[sid] = 0

                def open_window():
                    held = self.slow.get(sid) or 0
                    self.slow[sid] = None
                    if held:
                        self.ack(held, sid)
                self.later(0.3, open_window)
            self.slow[sid] += n
            return
        self.ack(n, sid)

    def ack(self, n, sid):
        try:
            self.h2.acknowledge_received_data(n, sid)
        except h2.exceptions.StreamClosedError:
            self.h2.increment_flow_control_window(n)

    def ack_stream(self, n, sid):
        """Opens only the stream's window (the connection's is open already)."""
        try:
            self.h2.increment_flow_control_window(n, stream_id=sid)
        except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError):
            pass

    def handle(self, ev):
        if isinstance(ev, h2.events.RequestReceived):
            self.requests[ev.stream_id] = dict(ev.headers)
            self.bodies[ev.stream_id] = bytearray()
            self.on_request(ev)
        elif isinstance(ev, h2.events.DataReceived):
            self.on_data(ev)
        elif isinstance(ev, h2.events.StreamEnded):
            self.request_done(ev.stream_id)
        elif isinstance(ev, h2.events.WindowUpdated):
            self.pump()
        elif isinstance(ev, h2.events.StreamReset):
            self.pending.pop(ev.stream_id, None)
            self.duplex.discard(ev.stream_id)
            self.trickle.pop(ev.stream_id, None)

    def run_timers(self):
        now = time.monotonic()
        due = [t for t in self.timers if t[0] <= now]
        self.timers = [t for t in self.timers if t[0] > now]
        for t in due:
            t[1]()

    def run(self):
        self.h2.initiate_connection()
        self.flush()
        try:
            while not self.closed:
                wait = None
                if self.timers:
                    wait = max(0.0, min(t[0] for t in self.timers) - time.monotonic())
                ready, _, _ = select.select([self.sock], [], [], wait)
                if ready:
                    data = self.sock.recv(65536)
                    if not data:
                        break
                    for ev in self.h2.receive_data(data):
                        self.handle(ev)
                        if self.closed:
                            break
                if self.closed:
                    break
                self.run_timers()
                self.pump()
                self.flush()
        except (OSError, h2.exceptions.ProtocolError) as e:
            sys.stderr.write("h2_server.py: %s\n" % e) if os.environ.get("H2_SERVER_DEBUG") else None
            try:
                self.flush()
            except OSError:
                pass
        finally:
            self.sock.close()


def silent(sock):
    """Never sends a byte: reads until the client goes."""
    try:
        while sock.recv(65536):
            pass
    except OSError:
        pass
    sock.close()


DIGEST_NONCE = "h2nonce-" + os.urandom(8).hex()


def digest_check(method, target, headers, query):
    """/digest?alg=ALG (MD5, SHA-256, ...-sess; default SHA-256), user "user",
    password "passwd", realm "h2", qop auth: (True, None) when the request's
    Authorization answers the challenge, else (False, the challenge)."""
    alg = arg(query, "alg") or "SHA-256"
    hname = "md5" if alg.upper().startswith("MD5") else "sha256"
    h = lambda text: hashlib.new(hname, text.encode()).hexdigest()
    challenge = 'Digest realm="h2", qop="auth", algorithm=%s, nonce="%s", opaque="o"' % (alg, DIGEST_NONCE)
    auth = headers.get("authorization", "")
    if not auth.startswith("Digest "):
        return False, challenge
    p = dict((k, v1 or v2) for k, v1, v2 in re.findall(r'([a-z]+)=(?:"([^"]*)"|([^,\s]*))', auth[7:]))
    ha1 = h("user:h2:passwd")
    if alg.lower().endswith("-sess"):
        ha1 = h("%s:%s:%s" % (ha1, DIGEST_NONCE, p.get("cnonce", "")))
    want = h("%s:%s:%s:%s:auth:%s" % (ha1, DIGEST_NONCE, p.get("nc", ""), p.get("cnonce", ""),
                                         h("%s:%s" % (method, target))))
    ok = (p.get("username") == "user" and p.get("uri") == target and p.get("response") == want
          and p.get("opaque") == "o" and p.get("qop") == "auth")
    return ok, challenge


def watch_stdin():
    while sys.stdin.buffer.read(1):
        pass
    os._exit(0)


def listener():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    return srv


def serve(srv, target):
    while True:
        sock, _ = srv.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=target, args=(sock,), daemon=True).start()


def main():
    lifetime = 600
    if "--lifetime" in sys.argv:
        lifetime = float(sys.argv[sys.argv.index("--lifetime") + 1])
    if "--watch-stdin" in sys.argv:
        threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Timer(lifetime, lambda: os._exit(0)).start()
    srv, quiet = listener(), listener()
    print("%d nosettings=%d" % (srv.getsockname()[1], quiet.getsockname()[1]), flush=True)
    threading.Thread(target=serve, args=(quiet, silent), daemon=True).start()
    serve(srv, lambda sock: Conn(sock).run())


if __name__ == "__main__":
    main()
