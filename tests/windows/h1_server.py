#!/usr/bin/env python3
"""h1_server.py: a small HTTP/1.1 server on 127.0.0.1 for tests/windows:
GET /bytes/N (byte i is i & 0xff), POST /echo. Prints its port, exits when
its stdin closes."""
import http.server, socketserver, sys, threading, os

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def send(self, body):
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if self.path.startswith("/bytes/"):
            n = int(self.path[7:])
            self.send(bytes(i & 0xff for i in range(n)))
        else:
            self.send_error(404)
    def do_POST(self):
        n = int(self.headers.get("content-length", "0"))
        self.send(self.rfile.read(n))

class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

srv = S(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
threading.Thread(target=srv.serve_forever, daemon=True).start()
sys.stdin.read()
os._exit(0)
