#!/usr/bin/env python3
"""httpbin_server.py: Debian's python3-httpbin (the Flask app behind
httpbin.org) under the standard library's WSGI server, for the tests that
want a server written by others: digest and basic auth above all
(/digest-auth/QOP/USER/PASS/ALGORITHM, /basic-auth/USER/PASS,
/hidden-basic-auth/USER/PASS), and any other httpbin endpoint.

When the interpreter that runs it has no httpbin, it runs itself again
under /usr/bin/python3, which has it when the Debian package is installed.

Binds 127.0.0.1 on a free port and prints it on one line. One thread per
connection. Exits on SIGTERM/SIGINT, after --lifetime seconds (default
600), and with --watch-stdin as soon as its stdin reaches end of file.
"""
import os
import socketserver
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

try:
    import httpbin
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.stderr.write("httpbin_server.py: httpbin is missing (apt-get install python3-httpbin)\n")
    sys.exit(2)


class ThreadedServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):   # the test output stays readable
        pass


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
    srv = make_server("127.0.0.1", 0, httpbin.app, server_class=ThreadedServer, handler_class=QuietHandler)
    print(srv.server_port, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
