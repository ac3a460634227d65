#!/usr/bin/env python3
"""chaos.py: the soak's server (tests/soak/test_soak.c). HTTP/1.1 and HTTP/2
(h2c prior knowledge, and HTTP/2 or HTTP/1.1 over TLS by ALPN when --cert and
--key are given) on free ports of 127.0.0.1, one thread per connection.

Prints one line: "H1PORT H2PORT TLSPORT RESETPORT" (the TLS ones 0 without a
certificate). RESETPORT completes a TLS handshake (ALPN h2 when the client
offers it) and closes the connection at once.
Exits on SIGTERM, after --lifetime seconds, and as soon as stdin reaches end
of file (the test keeps the other end of a pipe).

The client chooses what happens to each request, by its path:
    /c/ACTION/ID/SIZE
and the server does it. The answer's body is SIZE bytes, byte i being
(i + ID) % 251, with x-id, x-len and x-crc (CRC-32 of the body, hex) in the
head; a request body is read whole and its length and CRC-32 come back in
x-up-len and x-up-crc. ACTION:
    ok       the answer (HTTP/1.1: Content-Length, or chunked in random
             pieces when ID is odd)
    close    HTTP/1.1 "Connection: close" then close; HTTP/2: the answer,
             then GOAWAY (last stream: the highest seen) and a close once
             the streams below it are done. The request itself succeeds.
    drop     the connection closes before any answer
    cut      the head and half the body, then the connection closes
    reset    HTTP/1.1: a TCP reset (SO_LINGER 0) after half the body;
             HTTP/2: RST_STREAM (INTERNAL_ERROR) after half the body
    stall    no answer ever (the client's timeout ends it)
    badchunk HTTP/1.1: chunked, half the body, then a close without the
             last chunk; HTTP/2: as cut
Besides, with --idle-close P (default 0.01) the server closes a connection
by itself after an "ok" answer with probability P, without notice: the
client finds a pooled connection dead. Randomness: --seed (printed by the
test) seeds one generator per connection (seed, connection number).
"""
import argparse
import os
import random
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import zlib

try:
    import h2.config
    import h2.connection
    import h2.events
    import h2.errors
    import h2.exceptions
    import h2.settings
    HAVE_H2 = True
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    HAVE_H2 = False

MAXBODY = 1 << 20
PATTERN = bytes(i % 251 for i in range(MAXBODY + 251))
ARGS = None
COUNTER = [0]
COUNTER_LOCK = threading.Lock()


def body_of(ident, size):
    off = ident % 251
    return PATTERN[off:off + size]


def parse_path(path):
    """(action, id, size) or None."""
    parts = path.split("?")[0].split("/")
    if len(parts) != 5 or parts[1] != "c":
        return None
    try:
        return parts[2], int(parts[3]), min(int(parts[4]), MAXBODY)
    except ValueError:
        return None


def conn_rng():
    with COUNTER_LOCK:
        COUNTER[0] += 1
        n = COUNTER[0]
    return random.Random(ARGS.seed * 1000003 + n)


# ---- HTTP/1.1 ----

class H1Conn:
    def __init__(self, sock, rng):
        self.sock = sock
        self.rng = rng
        self.buf = b""

    def fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def read_head(self):
        while True:
            i = self.buf.find(b"\r\n\r\n")
            if i >= 0:
                head, self.buf = self.buf[:i], self.buf[i + 4:]
                return head
            if len(self.buf) > 65536:
                raise EOFError
            self.fill()

    def read_exact(self, n):
        while len(self.buf) < n:
            self.fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_line(self):
        while b"\r\n" not in self.buf:
            self.fill()
        i = self.buf.find(b"\r\n")
        out, self.buf = self.buf[:i], self.buf[i + 2:]
        return out

    def read_body(self, headers):
        """(length, crc) of the request body, read as it comes."""
        te = headers.get("transfer-encoding", "")
        length, crc = 0, 0
        if "chunked" in te.lower():
            while True:
                n = int(self.read_line().split(b";")[0], 16)
                if n == 0:
                    while self.read_line():
                        pass
                    return length, crc
                data = self.read_exact(n)
                self.read_exact(2)
                length += n
                crc = zlib.crc32(data, crc)
        n = int(headers.get("content-length", "0"))
        while n > 0:
            if not self.buf:
                self.fill()
            take = self.buf[:n]
            self.buf = self.buf[len(take):]
            n -= len(take)
            length += len(take)
            crc = zlib.crc32(take, crc)
        return length, crc

    def serve(self):
        while True:
            head = self.read_head()
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            if headers.get("expect", "").lower() == "100-continue":
                self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            uplen, upcrc = self.read_body(headers)
            what = parse_path(target)
            if not what:
                self.sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                continue
            if not self.answer(method, what, uplen, upcrc):
                return

    def answer(self, method, what, uplen, upcrc):
        """Whether the connection goes on."""
        action, ident, size = what
        body = body_of(ident, size)
        half = size // 2
        if action == "drop":
            return False
        if action == "stall":
            try:
                while self.sock.recv(65536):
                    pass
            except OSError:
                pass
            return False
        chunked = action == "badchunk" or (action == "ok" and ident % 2 == 1)
        head = ["HTTP/1.1 200 OK", "x-id: %d" % ident, "x-len: %d" % size,
                "x-crc: %08x" % zlib.crc32(body), "x-up-len: %d" % uplen, "x-up-crc: %08x" % upcrc]
        head.append("Transfer-Encoding: chunked" if chunked else "Content-Length: %d" % size)
        if action == "close":
            head.append("Connection: close")
        data = ("\r\n".join(head) + "\r\n\r\n").encode()
        if method == "HEAD":
            self.sock.sendall(data)
            return True
        if action in ("cut", "reset", "badchunk"):
            part = body[:half]
            self.sock.sendall(data + (b"%x\r\n%s\r\n" % (len(part), part) if chunked and part else part))
            if action == "reset":
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if chunked:
            out, i = [data], 0
            while i < size:
                n = min(size - i, self.rng.choice((1, 7, 100, 1000, 4096, 20000)))
                out.append(b"%x\r\n" % n + body[i:i + n] + b"\r\n")
                i += n
            out.append(b"0\r\n\r\n")
            self.sock.sendall(b"".join(out))
        else:
            self.sock.sendall(data + body)
        if action == "close":
            linger(self.sock)
            return False
        return self.rng.random() >= ARGS.idle_close


def linger(sock):
    """A graceful close, as servers do after "Connection: close" or GOAWAY:
    no more output, and what the client still sends is read and dropped
    for a while, so that no reset destroys the last answer before the
    client has read it."""
    try:
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(2)
        end = time.time() + 2
        while time.time() < end and sock.recv(65536):
            pass
    except (OSError, ValueError):
        pass


def h1_thread(sock):
    try:
        H1Conn(sock, conn_rng()).serve()
    except (EOFError, OSError, ValueError, IndexError):
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass


# ---- HTTP/2 ----

class H2Conn:
    def __init__(self, sock, rng):
        self.sock = sock
        self.rng = rng
        cfg = h2.config.H2Configuration(client_side=False, header_encoding="utf-8", validate_inbound_headers=False)
        self.conn = h2.connection.H2Connection(config=cfg)
        self.streams = {}      # id -> [method, path, uplen, upcrc]
        self.pending = {}      # id -> [remaining bytes, stop after (None: all), then ("cut"|"reset"|None)]
        self.goaway = False
        self.closing = False

    def send(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def respond(self, sid, method, path, uplen, upcrc):
        what = parse_path(path)
        if not what:
            self.conn.send_headers(sid, [(":status", "404"), ("content-length", "0")], end_stream=True)
            return
        action, ident, size = what
        body = body_of(ident, size)
        if action == "drop":
            self.closing = True
            return
        if action == "stall":
            return
        headers = [(":status", "200"), ("x-id", str(ident)), ("x-len", str(size)),
                   ("x-crc", "%08x" % zlib.crc32(body)), ("x-up-len", str(uplen)), ("x-up-crc", "%08x" % upcrc),
                   ("content-length", str(size))]
        if method == "HEAD" or size == 0:
            self.conn.send_headers(sid, headers, end_stream=True)
            self.after_answer(action)
            return
        self.conn.send_headers(sid, headers)
        if action in ("cut", "badchunk"):
            self.pending[sid] = [memoryview(body[:size // 2]), "cut"]
        elif action == "reset":
            self.pending[sid] = [memoryview(body[:size // 2]), "reset"]
        else:
            self.pending[sid] = [memoryview(body), action]

    def after_answer(self, action):
        if action == "close" and not self.goaway:
            # GOAWAY written by hand: the h2 package would refuse to send the
            # rest of the streams below last_stream_id after its own
            self.goaway = True
            self.send()
            self.sock.sendall(struct.pack(">I", 8)[1:] + b"\x07\x00\x00\x00\x00\x00" + struct.pack(">II", self.conn.highest_inbound_stream_id, 0))
        elif action == "ok" and self.rng.random() < ARGS.idle_close and not self.streams and not self.pending:
            self.closing = True      # an idle close without GOAWAY

    def flush(self):
        for sid in list(self.pending):
            rest, how = self.pending[sid]
            while len(rest):
                try:
                    window = self.conn.local_flow_control_window(sid)
                except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError):
                    window = -1
                if window < 0:
                    break
                n = min(window, self.conn.max_outbound_frame_size, len(rest))
                if n <= 0:
                    break
                try:
                    self.conn.send_data(sid, rest[:n].tobytes())
                except h2.exceptions.StreamClosedError:
                    window = -1
                    break
                rest = rest[n:]
            if window < 0:
                del self.pending[sid]
                continue
            self.pending[sid][0] = rest
            if len(rest):
                continue
            del self.pending[sid]
            if how == "cut":
                self.send()
                self.closing = True
                return
            try:
                if how == "reset":
                    self.conn.reset_stream(sid, error_code=h2.errors.ErrorCodes.INTERNAL_ERROR)
                    continue
                self.conn.end_stream(sid)
            except h2.exceptions.StreamClosedError:
                continue
            self.after_answer(how)

    def serve(self):
        self.conn.initiate_connection()
        self.conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 1 << 20})
        self.send()
        while not self.closing:
            data = self.sock.recv(65536)
            if not data:
                return
            try:
                events = self.conn.receive_data(data)
            except h2.exceptions.ProtocolError:
                self.send()
                return
            for ev in events:
                if isinstance(ev, h2.events.RequestReceived):
                    h = dict(ev.headers)
                    self.streams[ev.stream_id] = [h.get(":method", "GET"), h.get(":path", "/"), 0, 0]
                elif isinstance(ev, h2.events.DataReceived):
                    st = self.streams.get(ev.stream_id)
                    if st:
                        st[2] += len(ev.data)
                        st[3] = zlib.crc32(ev.data, st[3])
                    self.conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                elif isinstance(ev, h2.events.StreamEnded):
                    st = self.streams.pop(ev.stream_id, None)
                    if st:
                        try:
                            self.respond(ev.stream_id, *st)
                        except h2.exceptions.ProtocolError:       # the client cancelled it, or left
                            self.pending.pop(ev.stream_id, None)
                elif isinstance(ev, h2.events.StreamReset):
                    self.streams.pop(ev.stream_id, None)
                    self.pending.pop(ev.stream_id, None)
                elif isinstance(ev, h2.events.ConnectionTerminated):
                    self.send()
                    return
            self.flush()
            self.send()
            if self.goaway and not self.pending and not self.streams:
                linger(self.sock)
                return


def h2_thread(sock):
    try:
        H2Conn(sock, conn_rng()).serve()
    except (OSError, ssl.SSLError):
        pass
    except Exception as e:       # a server defect, not chaos: say so
        sys.stderr.write("chaos.py: HTTP/2 connection failed: %r\n" % (e,))
    finally:
        try:
            sock.close()
        except OSError:
            pass


def tls_thread(sock, ctx):
    try:
        sock.settimeout(30)
        tsock = ctx.wrap_socket(sock, server_side=True)
        tsock.settimeout(None)
    except (OSError, ssl.SSLError):
        sock.close()
        return
    if tsock.selected_alpn_protocol() == "h2":
        h2_thread(tsock)
    else:
        h1_thread(tsock)


def tls_reset_thread(sock, ctx):
    """The handshake (ALPN h2), then a close at once: the client's first
    writes after its handshake fail."""
    try:
        sock.settimeout(30)
        tsock = ctx.wrap_socket(sock, server_side=True)
        tsock.close()
    except (OSError, ssl.SSLError):
        sock.close()


def listen():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(1024)
    return s


def accept_loop(lsock, target, *extra):
    while True:
        try:
            sock, _ = lsock.accept()
        except OSError:
            return
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=target, args=(sock,) + extra, daemon=True).start()


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--idle-close", type=float, default=0.01)
    ap.add_argument("--lifetime", type=float, default=3600)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--watch-stdin", action="store_true")   # always watched: the flag is for fxc_start_python
    ARGS = ap.parse_args()
    threading.stack_size(256 * 1024)
    h1 = listen()
    h2s = listen() if HAVE_H2 else None
    tls = tls_reset = None
    if ARGS.cert and ARGS.key:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(ARGS.cert, ARGS.key)
        ctx.set_alpn_protocols(["h2", "http/1.1"] if HAVE_H2 else ["http/1.1"])
        tls = listen()
        threading.Thread(target=accept_loop, args=(tls, tls_thread, ctx), daemon=True).start()
        tls_reset = listen()
        threading.Thread(target=accept_loop, args=(tls_reset, tls_reset_thread, ctx), daemon=True).start()
    threading.Thread(target=accept_loop, args=(h1, h1_thread), daemon=True).start()
    if h2s:
        threading.Thread(target=accept_loop, args=(h2s, h2_thread), daemon=True).start()
    print("%d %d %d %d" % (h1.getsockname()[1], h2s.getsockname()[1] if h2s else 0,
                           tls.getsockname()[1] if tls else 0, tls_reset.getsockname()[1] if tls else 0), flush=True)

    def stdin_watch():
        while sys.stdin.buffer.read(4096):
            pass
        os._exit(0)
    threading.Thread(target=stdin_watch, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    time.sleep(ARGS.lifetime)
    os._exit(0)


if __name__ == "__main__":
    main()
