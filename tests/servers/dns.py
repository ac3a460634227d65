#!/usr/bin/env python3
"""dns.py: a DNS server for the tests of httpx.h's stub resolver, which
answers, delays, lies and drops as the query name tells it.

Standard library only. Binds UDP and TCP on 127.0.0.1, the same port for both
(--port, default 0: a free one), prints the port on its first stdout line, and
then nothing more. It exits on SIGTERM/SIGINT, after --lifetime seconds
(default 600), and, with --watch-stdin, when its stdin reaches end of file.

The behaviour is the first label of the query name (case-insensitive); further
labels are free, so a test can make each name unique ("drop-once.r17.test").
Only class IN; every answer echoes the question; TTL 60.

  ok           A 127.0.0.1; AAAA ::1
  v4only       A 127.0.0.1; AAAA: no data (NOERROR, no records)
  v6only       AAAA ::1; A: no data
  nodata       NOERROR, no records, for both types
  aaaa-servfail  A 127.0.0.1; AAAA: SERVFAIL
  delay-MS     like ok, answered MS ms later (the server goes on serving)
  delayfirst-MS  every query answered MS ms later: the first for each (name,
               type) like ok, later ones (retries) with A 127.0.0.2 / AAAA ::2,
               so a test sees which answer the client took
  drop         never answers
  nxfirst-N    NXDOMAIN for the first N queries of each (name, type), then
               like v4only (a client's connection retries)
  drop-once    drops the first query for each (name, type), answers the rest like ok
  wrongid      an answer with a wrong id, then the right answer (like ok)
  wrongid-never  only the answer with the wrong id
  wrongq       an answer for another question with the right id, then the right one
  noqr         the right id but QR clear (a query, not a response), then the right answer
  short        a 5-byte datagram, then the right answer
  malformed    the right id and question, ANCOUNT 1, and the record cut short
  badrdlen     an A record with RDLENGTH 5
  ptrloop      the answer's owner name is a compression pointer to itself
  ptrfwd       the answer's owner name points forward
  nxdomain     RCODE 3
  servfail     RCODE 2
  refused      RCODE 5
  trunc        over UDP: TC set and one A 127.0.0.1; over TCP: A 127.0.0.10..19,
               AAAA ::10
  trunc-close  over UDP: TC set; over TCP: closes without answering
  cname        CNAME alias.cname-mid.test, CNAME final.cname-end.test, then
               A 127.0.0.3 / AAAA ::3 (records shuffled)
  cnameloop    CNAME to itself
  many         A 127.0.1.1 .. 127.0.1.20; AAAA: no data
  many6        AAAA 2001:db8::1 .. ::20; A 127.0.0.1
  case         like ok, but the question and answer names come back in mixed case
  fuzz-N       (N a number) 30 hostile answers, all with the right id, made
               from seed N: random bytes, a valid answer with random bytes
               changed, a valid head and question then random bytes, a valid
               answer cut at a random length; then a valid SERVFAIL.
  host         only as "host.<anything>.internal" (a search domain): A 127.0.0.5;
               "host.test" itself: A 127.0.0.6
  anything else: NXDOMAIN
"""
import argparse
import heapq
import os
import random
import selectors
import signal
import socket
import struct
import sys
import time

A, CNAME, AAAA = 1, 5, 28


def parse_query(data):
    """(id, flags, labels (bytes), qtype, qclass, question end) or None."""
    if len(data) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", data[:6])
    if qd != 1:
        return None
    labels, off = [], 12
    while True:
        if off >= len(data):
            return None
        n = data[off]
        off += 1
        if n == 0:
            break
        if n > 63 or off + n > len(data):
            return None
        labels.append(data[off:off + n])
        off += n
    if off + 4 > len(data):
        return None
    qtype, qclass = struct.unpack("!HH", data[off:off + 4])
    return qid, flags, labels, qtype, qclass, off + 4


def encode_name(name):
    out = b""
    for label in name.split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rr(name_wire, rtype, rdata):
    return name_wire + struct.pack("!HHIH", rtype, 1, 60, len(rdata)) + rdata


def ip4(s):
    return socket.inet_pton(socket.AF_INET, s)


def ip6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def message(qid, question, answers=(), rcode=0, tc=False, qr=True):
    flags = (0x8000 if qr else 0) | 0x0100 | 0x0080 | (0x0200 if tc else 0) | rcode
    return struct.pack("!HHHHHH", qid, flags, 1, len(answers), 0, 0) + question + b"".join(answers)


class Server:
    def __init__(self, port, lifetime, watch_stdin):
        self.sel = selectors.PollSelector()   # poll, unlike epoll, takes a file or /dev/null as stdin
        self.timers = []          # (when, seq, fn)
        self.seq = 0
        self.seen = {}            # (name, qtype) -> count, for drop-once
        self.end = time.monotonic() + lifetime
        self.udp, self.tcp = self.bind(port)
        self.sel.register(self.udp, selectors.EVENT_READ, self.on_udp)
        self.sel.register(self.tcp, selectors.EVENT_READ, self.on_accept)
        if watch_stdin:
            self.sel.register(sys.stdin, selectors.EVENT_READ, self.on_stdin)
        self.running = True

    @staticmethod
    def bind(port):
        for _ in range(50):
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind(("127.0.0.1", port))
            p = udp.getsockname()[1]
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                tcp.bind(("127.0.0.1", p))
            except OSError:
                udp.close()
                tcp.close()
                if port:
                    raise
                continue
            tcp.listen(16)
            udp.setblocking(False)
            tcp.setblocking(False)
            return udp, tcp
        raise OSError("no port free for both UDP and TCP")

    def later(self, seconds, fn):
        self.seq += 1
        heapq.heappush(self.timers, (time.monotonic() + seconds, self.seq, fn))

    # ---- I/O ----

    def on_stdin(self, f):
        try:
            data = os.read(f.fileno(), 4096)
        except OSError:
            data = b""
        if not data:
            self.running = False

    def on_udp(self, sock):
        for _ in range(64):
            try:
                data, addr = sock.recvfrom(4096)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return

            def send(pkt, addr=addr):
                try:
                    sock.sendto(pkt, addr)
                except OSError:
                    pass
            self.handle(data, send, udp=True)

    def on_accept(self, sock):
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        conn.setblocking(False)
        state = {"in": b"", "out": b"", "close": False}
        self.sel.register(conn, selectors.EVENT_READ, lambda c, st=state: self.on_tcp(c, st))

    def on_tcp(self, conn, st):
        try:
            data = conn.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.close_tcp(conn)
            return
        st["in"] += data
        while len(st["in"]) >= 2:
            n = struct.unpack("!H", st["in"][:2])[0]
            if len(st["in"]) < 2 + n:
                break
            msg, st["in"] = st["in"][2:2 + n], st["in"][2 + n:]

            def send(pkt, conn=conn):
                try:
                    conn.setblocking(True)
                    conn.sendall(struct.pack("!H", len(pkt)) + pkt)
                    conn.setblocking(False)
                except OSError:
                    pass
            if self.handle(msg, send, udp=False) == "close":
                self.close_tcp(conn)
                return

    def close_tcp(self, conn):
        try:
            self.sel.unregister(conn)
        except (KeyError, ValueError):
            pass
        conn.close()

    def run(self):
        while self.running and time.monotonic() < self.end:
            timeout = 1.0
            if self.timers:
                timeout = max(0.0, min(timeout, self.timers[0][0] - time.monotonic()))
            for key, _ in self.sel.select(timeout):
                key.data(key.fileobj)
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                heapq.heappop(self.timers)[2]()

    # ---- answers ----

    def handle(self, data, send, udp):
        q = parse_query(data)
        if not q:
            return None
        qid, flags, labels, qtype, qclass, qend = q
        question = data[12:qend]
        try:
            name = b".".join(labels).decode("ascii").lower()
        except UnicodeDecodeError:
            send(message(qid, question, rcode=1))
            return None
        first = name.split(".")[0] if name else ""
        qwire = b"\xc0\x0c"   # the question's name, compressed
        ok_answers = {A: [rr(qwire, A, ip4("127.0.0.1"))], AAAA: [rr(qwire, AAAA, ip6("::1"))]}

        def ok():
            send(message(qid, question, ok_answers.get(qtype, [])))

        if first == "ok":
            ok()
        elif first == "v4only":
            send(message(qid, question, ok_answers[A] if qtype == A else []))
        elif first == "v6only":
            send(message(qid, question, ok_answers[AAAA] if qtype == AAAA else []))
        elif first == "aaaa-servfail":
            send(message(qid, question, ok_answers[A]) if qtype == A else message(qid, question, rcode=2))
        elif first == "nodata":
            send(message(qid, question))
        elif first.startswith("delay-") and first[6:].isdigit():
            self.later(int(first[6:]) / 1000.0, ok)
        elif first.startswith("delayfirst-") and first[11:].isdigit():
            key = (name, qtype)
            self.seen[key] = self.seen.get(key, 0) + 1
            if self.seen[key] == 1:
                self.later(int(first[11:]) / 1000.0, ok)
            else:
                retry = {A: [rr(qwire, A, ip4("127.0.0.2"))], AAAA: [rr(qwire, AAAA, ip6("::2"))]}
                self.later(int(first[11:]) / 1000.0,
                           lambda: send(message(qid, question, retry.get(qtype, []))))
        elif first == "drop":
            pass
        elif first.startswith("nxfirst-") and first[8:].isdigit():
            # a name that does not exist for the first N queries of each
            # (name, type), then like v4only (a client's retries)
            key = (name, qtype)
            self.seen[key] = self.seen.get(key, 0) + 1
            if self.seen[key] <= int(first[8:]):
                send(message(qid, question, rcode=3))
            else:
                send(message(qid, question, ok_answers[A] if qtype == A else []))
        elif first == "drop-once":
            key = (name, qtype)
            self.seen[key] = self.seen.get(key, 0) + 1
            if self.seen[key] > 1:
                ok()
        elif first == "wrongid":
            send(message(qid ^ 0x5A5A, question, ok_answers.get(qtype, [])))
            ok()
        elif first == "wrongid-never":
            send(message(qid ^ 0x5A5A, question, ok_answers.get(qtype, [])))
        elif first == "wrongq":
            other = encode_name("evil.example") + struct.pack("!HH", qtype, 1)
            send(message(qid, other, [rr(b"\xc0\x0c", A, ip4("6.6.6.6"))]))
            ok()
        elif first == "noqr":
            send(message(qid, question, ok_answers.get(qtype, []), qr=False))
            ok()
        elif first == "short":
            send(struct.pack("!H", qid) + b"\x81\x80\x00")
            ok()
        elif first == "malformed":
            send(message(qid, question, [rr(qwire, A, ip4("127.0.0.1"))[:7]]))
        elif first == "badrdlen":
            send(message(qid, question, [qwire + struct.pack("!HHIH", A, 1, 60, 5) + b"\x7f\0\0\x01\0"]))
        elif first == "ptrloop":
            pos = 12 + len(question)
            send(message(qid, question, [struct.pack("!H", 0xC000 | pos) + struct.pack("!HHIH", A, 1, 60, 4)
                                         + ip4("127.0.0.1")]))
        elif first == "ptrfwd":
            pos = 12 + len(question)
            send(message(qid, question, [struct.pack("!H", 0xC000 | (pos + 2)) + struct.pack("!HHIH", A, 1, 60, 4)
                                         + ip4("127.0.0.1")]))
        elif first == "nxdomain":
            send(message(qid, question, rcode=3))
        elif first == "servfail":
            send(message(qid, question, rcode=2))
        elif first == "refused":
            send(message(qid, question, rcode=5))
        elif first == "trunc":
            if udp:
                send(message(qid, question, ok_answers[A] if qtype == A else [], tc=True))
            elif qtype == A:
                send(message(qid, question, [rr(qwire, A, ip4("127.0.0.%d" % i)) for i in range(10, 20)]))
            else:
                send(message(qid, question, [rr(qwire, AAAA, ip6("::10"))]))
        elif first == "trunc-close":
            if udp:
                send(message(qid, question, tc=True))
            else:
                return "close"
        elif first == "cname":
            mid, end = encode_name("alias.cname-mid.test"), encode_name("final.cname-end.test")
            recs = [rr(qwire, CNAME, mid), rr(mid, CNAME, end)]
            recs.append(rr(end, A, ip4("127.0.0.3")) if qtype == A else rr(end, AAAA, ip6("::3")))
            recs.append(rr(encode_name("unrelated.test"), A, ip4("6.6.6.6")))
            random.shuffle(recs)
            send(message(qid, question, recs))
        elif first == "cnameloop":
            send(message(qid, question, [rr(qwire, CNAME, qwire)]))
        elif first == "many":
            send(message(qid, question, [rr(qwire, A, ip4("127.0.1.%d" % i)) for i in range(1, 21)]
                         if qtype == A else []))
        elif first == "many6":
            if qtype == AAAA:
                send(message(qid, question, [rr(qwire, AAAA, ip6("2001:db8::%x" % i)) for i in range(1, 21)]))
            else:
                ok()
        elif first == "case":
            mixed = bytes(c ^ 0x20 if (65 <= c <= 90 or 97 <= c <= 122) and i % 2 else c
                          for i, c in enumerate(question))
            send(message(qid, mixed, ok_answers.get(qtype, [])))
        elif first.startswith("fuzz-") and first[5:].isdigit():
            self.fuzz(int(first[5:]), qid, question, qtype, send)
        elif first == "host" and name.endswith(".internal") and name.count(".") >= 2:
            send(message(qid, question, [rr(qwire, A, ip4("127.0.0.5"))] if qtype == A else []))
        elif name == "host.test":
            send(message(qid, question, [rr(qwire, A, ip4("127.0.0.6"))] if qtype == A else []))
        else:
            send(message(qid, question, rcode=3))
        return None

    @staticmethod
    def fuzz(seed, qid, question, qtype, send):
        rnd = random.Random(seed * 2 + (qtype == AAAA))
        idb = struct.pack("!H", qid)
        good = message(qid, question, [rr(b"\xc0\x0c", CNAME, encode_name("x.y")),
                                       rr(encode_name("x.y"), qtype, ip4("127.0.0.1") if qtype == A else ip6("::1")),
                                       rr(b"\xc0\x0c", A, ip4("127.0.0.2"))])
        for _ in range(30):
            kind = rnd.randrange(4)
            if kind == 0:
                pkt = idb + bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 80)))
            elif kind == 1:
                pkt = bytearray(good)
                for _ in range(rnd.randrange(1, 6)):
                    i = rnd.randrange(2, len(pkt))
                    pkt[i] = rnd.randrange(256)
                pkt = bytes(pkt)
            elif kind == 2:
                pkt = good[:12 + len(question)] + bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 60)))
                pkt = pkt[:6] + struct.pack("!H", rnd.randrange(0, 40)) + pkt[8:]
            else:
                pkt = good[:rnd.randrange(2, len(good))]
            send(pkt)
        send(message(qid, question, rcode=2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=600)
    ap.add_argument("--watch-stdin", action="store_true")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    server = Server(args.port, args.lifetime, args.watch_stdin)
    sys.stdout.write("%d\n" % server.udp.getsockname()[1])
    sys.stdout.flush()
    server.run()


if __name__ == "__main__":
    main()
