#!/usr/bin/env python3
"""tls_server.py: TLS misbehaviour that nginx cannot be made to show, for the
httpx.h TLS tests. Standard library only.

Listens on five ports of 127.0.0.1 and prints them on its first stdout line
as "truncate=P clean=P hangup=P alpn=P bigrecord=P", then nothing more:

  truncate  TLS. Reads a request head, answers "HTTP/1.1 200 OK" with
            Content-Length: 100 but sends 10 body bytes, then closes the TCP
            connection without a TLS close_notify (a truncation attack).
  clean     TLS. Reads a request head, answers 200 with the body "clean\\n"
            and "Connection: close", then sends close_notify and closes.
  hangup    plain TCP. Accepts, reads what comes (a ClientHello), closes:
            a server that goes away during the handshake.
  alpn      plain TCP posing as TLS 1.2: reads the ClientHello and answers a
            ServerHello that picks one of the client's cipher suites and the
            ALPN protocol "h3", which no client of ours offers (RFC 7301
            3.2: the client must abort). Then it reads until the client
            goes: a client that went on would wait for a Certificate.
  bigrecord TLS. Reads a request head, then sends, outside TLS, a record
            header announcing 18433 bytes (over the 16384 + 2048 of RFC
            5246 6.2.3) and that many bytes.

Exits on SIGTERM/SIGINT, after --lifetime seconds (default 600), and, with
--watch-stdin, when stdin reaches end of file (the test binary holds the
other end of a pipe, so the server dies with it, however it dies).
"""
import argparse
import os
import signal
import socket
import ssl
import sys
import threading


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def truncate(conn):
    read_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
    # No unwrap(): the TCP connection ends without close_notify.
    socket.socket.shutdown(conn, socket.SHUT_RDWR)


def clean(conn):
    read_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nclean\n")
    conn.unwrap()


def client_suites(hello):
    """The cipher suites of a ClientHello record, in the client's order."""
    body = hello[5 + 4:]                     # record header, handshake header
    at = 2 + 32                              # version, random
    at += 1 + body[at]                       # session id
    n = int.from_bytes(body[at:at + 2], "big")
    return [body[at + 2 + i:at + 4 + i] for i in range(0, n, 2)]


def alpn(conn):
    conn.settimeout(5)
    hello = b""
    while len(hello) < 5 or len(hello) < 5 + int.from_bytes(hello[3:5], "big"):
        chunk = conn.recv(4096)
        if not chunk:
            return
        hello += chunk
    suites = client_suites(hello)
    suite = b"\xc0\x2f" if b"\xc0\x2f" in suites else suites[0]
    name = b"h3"
    ext_alpn = b"\x00\x10" + (len(name) + 3).to_bytes(2, "big") + (len(name) + 1).to_bytes(2, "big") + \
        bytes([len(name)]) + name
    ext_reneg = b"\xff\x01\x00\x01\x00"
    exts = ext_reneg + ext_alpn
    body = b"\x03\x03" + os.urandom(32) + b"\x00" + suite + b"\x00" + len(exts).to_bytes(2, "big") + exts
    hs = b"\x02" + len(body).to_bytes(3, "big") + body
    conn.sendall(b"\x16\x03\x03" + len(hs).to_bytes(2, "big") + hs)
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


def bigrecord(conn):
    read_head(conn)
    n = 16384 + 2048 + 1
    socket.socket.sendall(conn, b"\x17\x03\x03" + n.to_bytes(2, "big") + b"\x00" * n)
    conn.settimeout(5)
    try:
        while socket.socket.recv(conn, 4096):
            pass
    except OSError:
        pass


def hangup(conn):
    conn.settimeout(5)
    try:
        conn.recv(4096)
    except OSError:
        pass


def serve(listener, handler, ctx):
    while True:
        try:
            raw, _ = listener.accept()
        except OSError:
            return

        def run(raw=raw):
            try:
                raw.settimeout(10)
                conn = ctx.wrap_socket(raw, server_side=True) if ctx else raw
                try:
                    handler(conn)
                finally:
                    conn.close()
            except (OSError, ssl.SSLError):
                pass
            finally:
                raw.close()

        threading.Thread(target=run, daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--lifetime", type=float, default=600)
    ap.add_argument("--watch-stdin", action="store_true")
    args = ap.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    ports = []
    for name, handler, c in (("truncate", truncate, ctx), ("clean", clean, ctx), ("hangup", hangup, None),
                             ("alpn", alpn, None), ("bigrecord", bigrecord, ctx)):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        ports.append("%s=%d" % (name, s.getsockname()[1]))
        threading.Thread(target=serve, args=(s, handler, c), daemon=True).start()
    print(" ".join(ports), flush=True)

    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    if args.watch_stdin:
        def watch():
            while os.read(0, 1024):
                pass
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    threading.Event().wait(args.lifetime)
    os._exit(0)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
