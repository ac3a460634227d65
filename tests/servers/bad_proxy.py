#!/usr/bin/env python3
"""bad_proxy.py: HTTP and SOCKS5 proxies for httpx.h's proxy tests, most of
which misbehave on purpose.

Standard library only. Listens on 127.0.0.1, one free port per mode, and
prints "mode=port mode=port ...\\n" on its first stdout line, then nothing.
Exits on SIGTERM/SIGINT, after --lifetime seconds (default 900), and, with
--watch-stdin, when stdin reaches end of file (the test process died).

Modes (HTTP proxies unless named socks-):
  auth       a working proxy that wants "Proxy-Authorization: Basic" of
             user:secret (else 407 Proxy Authentication Required). CONNECT
             tunnels to 127.0.0.1/localhost/::1 only; an absolute-form
             request is forwarded (origin form, "Connection: close") and
             the answer relayed until the origin closes. "GET http://proxy.log/"
             answers with every request head it received so far (the
             CONNECT heads and forwarded heads, as received, in order).
  refuse     CONNECT: "HTTP/1.1 403 Forbidden by proxy policy", then close.
  garbage    answers anything with "SSH-2.0-OpenSSH_9.2\\r\\n" and closes.
  badstatus  answers CONNECT with "HTTP/1.1 twohundred OK\\r\\n\\r\\n".
  close      reads the CONNECT head and closes without a word.
  silent     reads the CONNECT head and never answers (a timeout).
  huge       answers CONNECT with "HTTP/1.1 200 OK" and endless header lines.
  tls        an https:// proxy (TLS with --cert/--key): a working proxy,
             CONNECT and forwarding, no auth (absent without --cert).
  midtunnel  a working tunnel (no auth) that closes both sides once 64 KiB
             went from the origin to the client.
  socks-badver   answers the SOCKS5 greeting with version 4.
  socks-badatyp  accepts (no auth), answers CONNECT with address type 9.
  socks-refuse   accepts (no auth), answers CONNECT with reply 5 (refused).
"""
import argparse
import base64
import os
import select
import signal
import socket
import socketserver
import sys
import threading

GOOD_AUTH = "Basic " + base64.b64encode(b"user:secret").decode()
LOG = []
LOG_LOCK = threading.Lock()


def read_head(sock, limit=65536):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return None, b""
        data += chunk
        if len(data) > limit:
            return None, b""
    head, _, rest = data.partition(b"\r\n\r\n")
    return head + b"\r\n\r\n", rest


def header(head, name):
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == name.lower():
            return v.strip().decode("latin-1")
    return None


def relay(a, b, limit=None):
    """Copies both ways until one side closes; with limit, closes once that
    many bytes went from b to a."""
    sent = 0
    try:
        while True:
            # bytes TLS already decrypted do not wake select
            r = [s for s in (a, b) if hasattr(s, "pending") and s.pending()]
            if not r:
                r, _, _ = select.select([a, b], [], [], 60)
            if not r:
                return
            for s in r:
                data = s.recv(65536)
                if not data:
                    return
                if s is b and limit is not None:
                    data = data[:max(0, limit - sent)]
                    sent += len(data)
                (b if s is a else a).sendall(data)
                if limit is not None and sent >= limit:
                    return
    except OSError:
        return


def loopback(target):
    host, _, port = target.rpartition(":")
    host = host.strip("[]")
    if host not in ("127.0.0.1", "localhost", "::1") or not port.isdigit():
        return None
    return host, int(port)


def tunnel(c, head, rest, limit=None):
    target = head.split(b" ")[1].decode("latin-1")
    where = loopback(target)
    if not where:
        c.sendall(b"HTTP/1.1 403 Only loopback tunnels\r\nContent-Length: 0\r\n\r\n")
        return
    try:
        up = socket.create_connection(where, timeout=5)
    except OSError:
        c.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        return
    c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    if rest:
        up.sendall(rest)
    relay(c, up, limit)
    up.close()


def forward(c, head, rest):
    line, _, fields = head.partition(b"\r\n")
    method, url, version = line.split(b" ")
    url = url.decode("latin-1")
    if url == "http://proxy.log/":
        with LOG_LOCK:
            body = b"".join(LOG)
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
        return
    if not url.startswith("http://"):
        c.sendall(b"HTTP/1.1 400 Not absolute\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return
    authority, _, path = url[7:].partition("/")
    hostpart = authority.rpartition("]")[2] if authority.startswith("[") else authority
    where = loopback(authority if ":" in hostpart else authority + ":80")
    if not where:
        c.sendall(b"HTTP/1.1 403 Only loopback origins\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return
    try:
        up = socket.create_connection(where, timeout=5)
    except OSError:
        c.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return
    kept = [l for l in fields.split(b"\r\n") if l and not l.lower().startswith((b"connection:", b"proxy-"))]
    up.sendall(method + b" /" + path.encode("latin-1") + b" " + version + b"\r\n" +
               b"\r\n".join(kept + [b"Connection: close"]) + b"\r\n\r\n" + rest)
    relay(c, up)
    up.close()


def serve_http(mode, c):
    head, rest = read_head(c)
    if head is None:
        return
    with LOG_LOCK:
        LOG.append(head)
    connect = head.startswith(b"CONNECT ")
    if mode == "auth":
        if header(head, b"proxy-authorization") != GOOD_AUTH and not head.startswith(b"GET http://proxy.log/ "):
            c.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                      b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 6\r\nConnection: close\r\n\r\n"
                      b"denied")
            return
        if connect:
            tunnel(c, head, rest)
        else:
            forward(c, head, rest)
    elif mode == "tls":
        if connect:
            tunnel(c, head, rest)
        else:
            forward(c, head, rest)
    elif mode == "refuse":
        c.sendall(b"HTTP/1.1 403 Forbidden by proxy policy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    elif mode == "garbage":
        c.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
    elif mode == "badstatus":
        c.sendall(b"HTTP/1.1 twohundred OK\r\n\r\n")
    elif mode == "close":
        pass
    elif mode == "silent":
        select.select([c], [], [], 120)
    elif mode == "huge":
        c.sendall(b"HTTP/1.1 200 OK\r\n")
        try:
            for i in range(100000):
                c.sendall(b"X-Filler-%d: %s\r\n" % (i, b"y" * 100))
        except OSError:
            pass
    elif mode == "midtunnel":
        tunnel(c, head, rest, limit=64 * 1024)


def recv_exact(c, n):
    data = b""
    while len(data) < n:
        chunk = c.recv(n - len(data))
        if not chunk:
            raise OSError("closed")
        data += chunk
    return data


def serve_socks(mode, c):
    ver, nmethods = recv_exact(c, 2)
    recv_exact(c, nmethods)
    if mode == "socks-badver":
        c.sendall(b"\x04\x00")
        return
    c.sendall(b"\x05\x00")
    ver, cmd, _, atyp = recv_exact(c, 4)
    if atyp == 1:
        recv_exact(c, 4 + 2)
    elif atyp == 4:
        recv_exact(c, 16 + 2)
    elif atyp == 3:
        recv_exact(c, recv_exact(c, 1)[0] + 2)
    if mode == "socks-badatyp":
        c.sendall(b"\x05\x00\x00\x09" + b"\x00" * 6)
    else:
        c.sendall(b"\x05\x05\x00\x01" + b"\x00" * 6)


def handler_for(mode, tls_ctx=None):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            c = self.request
            c.settimeout(120)
            try:
                if tls_ctx:
                    c = tls_ctx.wrap_socket(c, server_side=True)
                (serve_socks if mode.startswith("socks-") else serve_http)(mode, c)
            except OSError:
                pass
            finally:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
    return Handler


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass


MODES = ["auth", "refuse", "garbage", "badstatus", "close", "silent", "huge", "midtunnel",
         "socks-badver", "socks-badatyp", "socks-refuse"]


def main():
    ap = argparse.ArgumentParser(description="misbehaving proxies")
    ap.add_argument("--lifetime", type=float, default=900.0)
    ap.add_argument("--watch-stdin", action="store_true")
    ap.add_argument("--cert")
    ap.add_argument("--key")
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
    servers = []
    modes = MODES + (["tls"] if args.cert else [])
    for mode in modes:
        ctx = None
        if mode == "tls":
            import ssl
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(args.cert, args.key)
        srv = Server(("127.0.0.1", 0), handler_for(mode, ctx))
        servers.append((mode, srv))
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.5}, daemon=True).start()
    sys.stdout.write(" ".join("%s=%d" % (m, s.server_address[1]) for m, s in servers) + "\n")
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    threading.Event().wait()


if __name__ == "__main__":
    main()
