#!/usr/bin/env python3
"""h2_server.py: an HTTP/2 (h2c, prior knowledge) test server for httpx.h.

Uses the h2 package (Debian: python3-h2). When the interpreter that runs it
has no h2, it runs itself again under /usr/bin/python3, which has it when the
Debian package is installed.

Binds 127.0.0.1 on a free port, prints the port on its first stdout line. Exits
on SIGTERM/SIGINT, after --lifetime seconds (default 600), and with
--watch-stdin as soon as its stdin reaches end of file. One thread per
connection; flow control is honoured both ways.

Endpoints
  GET  /bytes/N    N pattern bytes (byte i is i & 0xff), content-length N,
                   sent as fast as the client's windows allow.
  POST /echo       reads the body, then answers 200 with the same bytes.
  GET  /trailers   "body" then trailers x-checksum: 42.
  other            404.
"""
import os
import socket
import sys
import threading

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


def pattern(n):
    return bytes(i & 0xFF for i in range(256)) * (n // 256) + bytes(range(n % 256))


class Conn:
    def __init__(self, sock):
        self.sock = sock
        cfg = h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        self.h2 = h2.connection.H2Connection(config=cfg)
        self.bodies = {}     # stream id -> request body so far
        self.requests = {}   # stream id -> headers
        self.pending = {}    # stream id -> [bytes left to send, trailers or None]

    def flush(self):
        data = self.h2.data_to_send()
        if data:
            self.sock.sendall(data)

    def respond(self, sid, status, body, trailers=None):
        headers = [(":status", str(status)), ("content-length", str(len(body)))]
        self.h2.send_headers(sid, headers, end_stream=not body and not trailers)
        if body or trailers:
            self.pending[sid] = [body, trailers]
        self.pump()

    def pump(self):
        """Sends what the windows allow of every pending body."""
        for sid in list(self.pending):
            body, trailers = self.pending[sid]
            while body:
                room = min(self.h2.local_flow_control_window(sid), self.h2.max_outbound_frame_size, len(body))
                if room <= 0:
                    break
                self.h2.send_data(sid, body[:room], end_stream=not body[room:] and not trailers)
                body = body[room:]
            if body:
                self.pending[sid][0] = body
                continue
            if trailers:
                self.h2.send_headers(sid, trailers, end_stream=True)
            del self.pending[sid]

    def request_done(self, sid):
        headers = self.requests.pop(sid, {})
        body = bytes(self.bodies.pop(sid, b""))
        path, method = headers.get(":path", ""), headers.get(":method", "")
        if path.startswith("/bytes/") and method == "GET":
            self.respond(sid, 200, pattern(int(path[7:])))
        elif path == "/echo" and method == "POST":
            self.respond(sid, 200, body)
        elif path == "/trailers":
            self.respond(sid, 200, b"body", trailers=[("x-checksum", "42")])
        else:
            self.respond(sid, 404, b"")

    def handle(self, ev):
        if isinstance(ev, h2.events.RequestReceived):
            self.requests[ev.stream_id] = dict(ev.headers)
            self.bodies[ev.stream_id] = bytearray()
        elif isinstance(ev, h2.events.DataReceived):
            self.bodies.setdefault(ev.stream_id, bytearray()).extend(ev.data)
            self.h2.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
        elif isinstance(ev, h2.events.StreamEnded):
            self.request_done(ev.stream_id)
        elif isinstance(ev, h2.events.WindowUpdated):
            self.pump()
        elif isinstance(ev, h2.events.StreamReset):
            self.pending.pop(ev.stream_id, None)

    def run(self):
        self.h2.initiate_connection()
        self.flush()
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    break
                for ev in self.h2.receive_data(data):
                    self.handle(ev)
                self.pump()
                self.flush()
        except (OSError, h2.exceptions.ProtocolError) as e:
            sys.stderr.write("h2_server.py: %s\n" % e)
            try:
                self.flush()
            except OSError:
                pass
        finally:
            self.sock.close()


def watch_stdin():
    while sys.stdin.buffer.read(1):
        pass
    os._exit(0)


def main():
    lifetime = 600
    if "--lifetime" in sys.argv:
        lifetime = float(sys.argv[sys.argv.index("--lifetime") + 1])
    if "--watch-stdin" in sys.argv:
        threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Timer(lifetime, lambda: os._exit(0)).start()
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    print(srv.getsockname()[1], flush=True)
    while True:
        sock, _ = srv.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=Conn(sock).run, daemon=True).start()


if __name__ == "__main__":
    main()
