#!/usr/bin/env python3
"""Builds httpx.h from tools/src/.

    python3 tools/amalgamate.py           write httpx.h
    python3 tools/amalgamate.py --check   exit 1 (naming the first difference)
                                          when httpx.h does not match tools/src/
    python3 tools/amalgamate.py --self-test   checks the layer check itself
    --src DIR, --out FILE                 other sources / output (the compile
                                          matrix builds a doctored copy)

The order below is the order of the layers (DESIGN.md): a file may only use
what comes before it. An #include "x" of a file that is not in the list, or of a
system header that is not in SYSTEM_HEADERS, is refused, so that nothing
reaches users that we did not mean to ship. A component made of several files
(dns*.c, tls*.c) shares its private declarations through a private header
(PRIVATE_HEADERS, x_private.h), which only its own files may include.
What a component offers the others is in its shared header (SHARED_HEADERS,
x_internal.h), which any file (or shared header) that uses it includes;
internal.h holds only what everything shares.

For debuggers and compiler messages, each file part carries a #line marker
that takes effect when HTTPX_LINES is defined: errors then point at
tools/src/x.c:N instead of httpx.h. A dropped #include line becomes a
comment line, so that one marker per file keeps the numbers right.

No call cycles: a file may call (or take the address of) only functions
defined in itself or in an earlier file of COMPONENTS; a lower layer reaches
a higher one through a pointer the higher one installs (an exchange's sink).
The files of one component (those that share a private header) count as one
file. A use of a later function fails the build, naming file, line and
function; LAYER_ALLOWED lists the exceptions that are still to go.
"""
import difflib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "tools", "src")
OUT = os.path.join(ROOT, "httpx.h")

INTRO = "intro.h"            # the documentation comment at the top
PUBLIC = "public.h"          # declarations, always visible
PLATFORM = "platform.h"      # what differs between systems, first of the implementation
INTERNAL = "internal.h"      # shared internal declarations
COMPONENTS = [               # implementation, bottom layer first
    "platform.c",
    "base.c",
    "hash.c",               # MD5 and SHA-256 for digest auth, whether or not TLS is built in
    "url.c",
    "headers.c",
    "h1.c",
    "h1_session.c",
    "hpack.c",
    "h2_frame.c",
    "h2_session.c",
    "utf8.c",
    "json.c",
    "jsonw.c",
    "inflate.c",
    "content_coding.c",     # Content-Encoding layers over inflate.c (and brotli, zstd) and the bomb limits
    "cookie.c",
    "net.c",
    "multipart.c",          # after net.c: its boundary comes from httpx__random
    "dns.c",
    "dns_conf.c",
    "dns_wire.c",
    "dns_stub.c",
    "dns_thread.c",
    "tls_config.c",
    "tls_x509.c",
    "tls.c",
    "tls_openssl.c",        # the same interface over OpenSSL 3 (HTTPX_OPENSSL instead of HTTPX_BEARSSL)
    "proxy.c",              # after tls.c and net.c: streams stacked over theirs
    "proxy_env.c",
    "digest.c",             # digest auth's challenges and answers (pure)
    "netrc.c",
    "request.c",
    "exchange.c",
    "conn.c",
    "h1_proto.c",
    "h2_proto.c",
    "loop.c",
    "hooks.c",              # before response.c and hop.c, which call the hooks
    "retry.c",              # the retry policy: response.c asks it at the door, hop.c resends
    "body_decode.c",        # Content-Encoding undone at the door (response.c calls it)
    "response.c",
    "history.c",            # r.history, r.next_request's URL: read-only responses, after response.c
    "links.c",              # r.links: the Link header parsed
    "app.c",
    "mock_routes.c",         # the routes are a handler of app.c's kind
    "hop_cookies.c",        # the client's cookie jar in each hop (cookie.c's jar, hop.c's calls)
    "auth_flow.c",          # the rounds of an auth flow, which hop.c runs
    "hop.c",
    "client.c",
    "task.c",
    "text.c",
    "cookie_response.c",
]
# What each component offers the others, bottom layer first: any file or
# shared header may include them. A header is emitted once, after the headers
# it includes and before the first file that includes it.
SHARED_HEADERS = [
    "hash_internal.h",       # hash.c
    "url_internal.h",        # url.c
    "headers_internal.h",    # headers.c
    "h1_internal.h",         # h1.c, h1_session.c
    "h2_internal.h",         # hpack.c, h2_frame.c, h2_session.c
    "json_internal.h",       # utf8.c, json.c, jsonw.c
    "inflate_internal.h",    # inflate.c, content_coding.c
    "cookie_internal.h",     # cookie.c
    "net_internal.h",        # net.c: sockets and streams
    "multipart_internal.h",  # multipart.c
    "dns_internal.h",        # dns.c: the resolver's interface
    "tls_internal.h",        # tls.c: the TLS interface
    "proxy_internal.h",      # proxy.c, proxy_env.c: proxy streams and choosing a proxy
    "engine_internal.h",     # request.c ... task.c: the engine and the faces
    "text_internal.h",       # text.c
]
# A component of several files may have a private header for what its
# pieces share. It is emitted once, before the first piece that includes it,
# and only the pieces listed may include it.
PRIVATE_HEADERS = {
    "dns_private.h": ("dns.c", "dns_conf.c", "dns_wire.c", "dns_stub.c", "dns_thread.c"),
    "tls_private.h": ("tls_config.c", "tls_x509.c", "tls.c"),
}
LICENSE = "license.txt"

# Uses of a function defined in a later file that the layer check lets pass
# for now: (file, function). Empty: keep it so (an entry is a debt to repay).
LAYER_ALLOWED = set()

SYSTEM_HEADERS = {
    "stddef.h", "stdbool.h", "stdint.h", "stdio.h", "stdlib.h", "string.h",
    "stdarg.h", "assert.h", "locale.h", "float.h", "errno.h", "limits.h", "time.h", "ctype.h",
    "unistd.h", "fcntl.h", "poll.h", "signal.h", "netdb.h",
    "sys/types.h", "sys/socket.h", "sys/stat.h", "sys/time.h", "sys/un.h", "dirent.h", "pthread.h", "sched.h",
    "netinet/in.h", "netinet/tcp.h", "arpa/inet.h",
    "bearssl.h",
    "openssl/ssl.h", "openssl/err.h", "openssl/x509v3.h",   # HTTPX_OPENSSL
    # Windows (platform.h and platform.c; dns.c's io.h, dns_thread.c's process.h)
    "winsock2.h", "ws2tcpip.h", "windows.h", "bcrypt.h", "afunix.h", "io.h", "process.h",
    "brotli/decode.h", "zstd.h",   # HTTPX_BROTLI, HTTPX_ZSTD
}

# The system's socket and poll headers: the platform section (platform.h,
# platform.c), net.c and the resolver's configuration reader alone include
# them, so that a port to another system edits those files only.
SOCKET_HEADERS = {
    "poll.h", "netdb.h", "sys/socket.h", "sys/un.h", "netinet/in.h", "netinet/tcp.h", "arpa/inet.h",
    "winsock2.h", "ws2tcpip.h", "afunix.h",
}
SOCKET_HEADER_USERS = {"platform.h", "platform.c", "net.c", "dns_conf.c"}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
LINES_MACRO = "HTTPX_LINES"
HERE = "@@line-of-httpx.h@@"     # replaced by the marker's own line number


def read(name):
    with open(os.path.join(SRC, name), encoding="utf-8") as f:
        return f.read()


def checked(name, text):
    """Returns text with local includes dropped; refuses unknown includes."""
    known = set(COMPONENTS) | set(SHARED_HEADERS) | {PUBLIC, PLATFORM, INTERNAL}
    out = []
    for lineno, line in enumerate(text.splitlines(keepends=True), 1):
        m = INCLUDE.match(line)
        if m:
            kind, target = m.groups()
            if kind == '"':
                if target in PRIVATE_HEADERS and name not in PRIVATE_HEADERS[target]:
                    sys.exit(f"{name}:{lineno}: \"{target}\" is private to "
                             f"{', '.join(PRIVATE_HEADERS[target])} (PRIVATE_HEADERS in tools/amalgamate.py)")
                if target not in known and target not in PRIVATE_HEADERS:
                    sys.exit(f"{name}:{lineno}: unknown include \"{target}\"")
                # the amalgamation already has it, earlier; a line stays to keep the numbers
                out.append(f"/* #include \"{target}\": earlier in httpx.h */\n")
                continue
            if target not in SYSTEM_HEADERS:
                sys.exit(f"{name}:{lineno}: system header <{target}> is not in "
                         "SYSTEM_HEADERS of tools/amalgamate.py; add it there on purpose")
            if target in SOCKET_HEADERS and name not in SOCKET_HEADER_USERS:
                sys.exit(f"{name}:{lineno}: <{target}> is the platform's: only "
                         f"{', '.join(sorted(SOCKET_HEADER_USERS))} include socket and poll headers "
                         "(the rest use platform.h's names and net.c's calls)")
        out.append(line)
    return "".join(out)


def code_line_starts(text):
    """The numbers of the lines that begin outside comments, strings and
    continued lines: where a preprocessor directive may go."""
    starts, state, lineno, i, n = {1}, "code", 1, 0, len(text)
    while i < n:
        c, nxt = text[i], text[i + 1] if i + 1 < n else ""
        if c == "\\" and nxt == "\n":           # a continued line does not begin afresh
            i, lineno = i + 2, lineno + 1
            continue
        if c == "\n":
            if state != "block":
                state = "code"
            lineno += 1
            if state == "code":
                starts.add(lineno)
        elif state == "code":
            if c == "/" and nxt in "*/":
                state = "block" if nxt == "*" else "line"
                i += 1
            elif c in "\"'":
                state = c
        elif state == "block":
            if c == "*" and nxt == "/":
                state = "code"
                i += 1
        elif state in "\"'":
            if c == "\\":
                i += 1
            elif c == state:
                state = "code"
        i += 1
    return starts


IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def strip_c(text):
    """text with comments, string and character literals blanked (newlines
    kept, so line numbers stay)."""
    out, i, n, state = [], 0, len(text), "code"
    while i < n:
        c, nxt = text[i], text[i + 1] if i + 1 < n else ""
        if state == "code":
            if c == "/" and nxt == "*":
                state, i = "block", i + 2
                out.append("  ")
                continue
            if c == "/" and nxt == "/":
                state, i = "line", i + 2
                out.append("  ")
                continue
            if c in "\"'":
                state = c
                out.append(" ")
                i += 1
                continue
            out.append(c)
        elif state == "block":
            if c == "*" and nxt == "/":
                state, i = "code", i + 2
                out.append("  ")
                continue
            out.append("\n" if c == "\n" else " ")
        elif state == "line":
            if c == "\n":
                state = "code"
                out.append("\n")
            else:
                out.append(" ")
        else:                                   # inside a string or character literal
            if c == "\\":
                out.append("  " if nxt != "\n" else " \n")
                i += 2
                continue
            if c == state:
                state = "code"
            out.append("\n" if c == "\n" else " ")
        i += 1
    return "".join(out)


def find_defs(text):
    """(name, offset) of each function defined at file level in stripped text."""
    defs, depth, i, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and (c.isalpha() or c == "_") and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = IDENT.match(text, i)
            name = m.group(0)
            j = m.end()
            while j < n and text[j] in " \t\n":
                j += 1
            if name.startswith("httpx_") and j < n and text[j] == "(":
                k, par = j, 0
                while k < n:
                    if text[k] == "(":
                        par += 1
                    elif text[k] == ")":
                        par -= 1
                        if par == 0:
                            break
                    k += 1
                k += 1
                while k < n and text[k] in " \t\n":
                    k += 1
                if k < n and text[k] == "{":
                    defs.append((name, i))
            i = j
            continue
        i += 1
    return defs


def layer_violations(sources):
    """sources: [(name, text)] in amalgamation order. Returns (file, line,
    function, defining file) for each use of a function defined in a later
    file."""
    stripped = [(name, strip_c(text)) for name, text in sources]
    first_def = {}
    def_at = set()
    for idx, (name, text) in enumerate(stripped):
        for fn, off in find_defs(text):
            first_def.setdefault(fn, idx)
            def_at.add((idx, off))
    found = []
    for idx, (name, text) in enumerate(stripped):
        for m in re.finditer(r"\bhttpx_[A-Za-z0-9_]*", text):
            fn = m.group(0)
            if (fn in first_def and first_def[fn] > idx and (idx, m.start()) not in def_at
                    and unit_of(stripped[first_def[fn]][0]) != unit_of(name)):
                line = text.count("\n", 0, m.start()) + 1
                found.append((name, line, fn, stripped[first_def[fn]][0]))
    return found


def unit_of(name):
    """The component a file belongs to: itself, or its private header when it
    shares one (dns*.c, tls*.c call each other freely)."""
    for header, files in PRIVATE_HEADERS.items():
        if name in files:
            return header
    return name


def check_layers():
    """Exits naming every use of a function defined in a later file that
    LAYER_ALLOWED does not list (and every entry of it that is no longer
    needed)."""
    found = layer_violations([(name, read(name)) for name in COMPONENTS])
    bad = [v for v in found if (v[0], v[2]) not in LAYER_ALLOWED]
    stale = LAYER_ALLOWED - {(v[0], v[2]) for v in found}
    msgs = [f"tools/src/{f}:{line}: calls {fn}, which is defined later, in {where} "
            "(a lower file reaches a higher one only through a pointer it installs)"
            for f, line, fn, where in bad]
    msgs += [f"tools/amalgamate.py: LAYER_ALLOWED lists ({f}, {fn}), which is no longer used: remove it"
             for f, fn in sorted(stale)]
    if msgs:
        sys.exit("\n".join(msgs))


def self_test():
    """The layer check finds a call to a later file (by file, line and
    function), and ignores comments, strings, same-file and earlier calls,
    and calls inside one component."""
    a = ('/* httpx__up() in a comment */\n'
         'static int httpx__low(void) { return 1; }\n'
         'static int httpx__use(void) {\n'
         '    const char *s = "httpx__up()";\n'
         '    return httpx__low() + httpx__up(s);\n'
         '}\n')
    b = ('static int httpx__up(const char *s) { return httpx__low() + (s != 0); }\n'
         'static const struct { int (*f)(void); } t = { httpx__later };\n'
         'static int httpx__later(void) { return 0; }\n')
    found = layer_violations([("a.c", a), ("b.c", b)])
    want = [("a.c", 5, "httpx__up", "b.c")]
    if found != want:
        sys.exit(f"amalgamate.py --self-test: the layer check found {found}, expected {want}")
    found = layer_violations([("dns.c", a), ("dns_stub.c", b)])   # one component (dns_private.h)
    if found:
        sys.exit(f"amalgamate.py --self-test: calls inside one component were refused: {found}")
    print("amalgamate.py --self-test: the layer check works")


def line_marker(number, path):
    return f"#if defined({LINES_MACRO})\n#line {number} \"{path}\"\n#endif\n"


def with_marker(name, text):
    """text with a #line marker before its first line (from the second on)
    where a directive may stand, so that the lines after it count as
    tools/src/name's own."""
    lines = text.splitlines(keepends=True)
    starts = code_line_starts(text)
    for k in range(2, len(lines) + 1):
        if k in starts:
            return "".join(lines[:k - 1]) + line_marker(k - 1, f"tools/src/{name}") + "".join(lines[k - 1:])
    return text


def part(name, text):
    """One file of tools/src as it stands in httpx.h: banners, its #line
    marker, and a marker after it that gives the lines back to httpx.h."""
    return (banner_begin(name) + with_marker(name, checked(name, text)) + banner_end(name)
            + line_marker(HERE, "httpx.h"))


def header_includes(text):
    """The shared and private headers text includes, in order."""
    found = []
    for line in text.splitlines():
        m = INCLUDE.match(line)
        if (m and m.group(1) == '"' and (m.group(2) in PRIVATE_HEADERS or m.group(2) in SHARED_HEADERS)
                and m.group(2) not in found):
            found.append(m.group(2))
    return found


def emit_header(header, parts, emitted, within=()):
    """Appends header to parts unless it is there already, after the headers
    it includes (a cycle of headers is refused)."""
    if header in emitted:
        return
    if header in within:
        sys.exit(f"tools/src/{header}: headers include each other: {' -> '.join(within + (header,))}")
    text = read(header)
    if header in SHARED_HEADERS:
        for inner in header_includes(text):
            if inner in PRIVATE_HEADERS:
                sys.exit(f"tools/src/{header} includes the private header {inner}")
    for inner in header_includes(text):
        emit_header(inner, parts, emitted, within + (header,))
    emitted.add(header)
    parts.append(part(header, text))


def banner_begin(name):
    anchor = os.path.splitext(name)[0]
    return (f"/* {'=' * 70}\n   Begin file {name}   (grep anchor: >>{anchor})\n"
            f"   {'=' * 70} */\n")


def banner_end(name):
    return f"/* End of {name} */\n\n"


def build():
    check_layers()
    parts = [read(INTRO).rstrip() + "\n\n"]
    parts.append(part(PUBLIC, read(PUBLIC)))
    parts.append("#ifdef HTTPX_IMPLEMENTATION\n#ifndef HTTPX_IMPLEMENTATION_INCLUDED\n"
                 "#define HTTPX_IMPLEMENTATION_INCLUDED\n\n")
    parts.append(part(PLATFORM, read(PLATFORM)))
    parts.append(part(INTERNAL, read(INTERNAL)))
    emitted = set()
    for name in COMPONENTS:
        if not os.path.exists(os.path.join(SRC, name)):
            sys.exit(f"tools/src/{name} is listed in COMPONENTS but missing")
        text = read(name)
        for header in header_includes(text):
            emit_header(header, parts, emitted)
        parts.append(part(name, text))
    parts.append("#endif /* HTTPX_IMPLEMENTATION_INCLUDED */\n#endif /* HTTPX_IMPLEMENTATION */\n\n")
    parts.append("/*\n" + read(LICENSE).rstrip() + "\n*/\n")
    for header in sorted(set(PRIVATE_HEADERS) - emitted):
        sys.exit(f"tools/src/{header} is in PRIVATE_HEADERS but no component includes it")
    for header in sorted(set(SHARED_HEADERS) - emitted):
        sys.exit(f"tools/src/{header} is in SHARED_HEADERS but no component includes it")
    listed = set(COMPONENTS) | set(SHARED_HEADERS) | set(PRIVATE_HEADERS) | {INTRO, PUBLIC, PLATFORM, INTERNAL, LICENSE}
    for f in sorted(os.listdir(SRC)):
        if f not in listed:
            sys.exit(f"tools/src/{f} is not listed in tools/amalgamate.py")
    lines = "".join(parts).splitlines(keepends=True)
    for i, line in enumerate(lines):
        if HERE in line:       # "#line K" numbers the next line (the #endif, at i + 2) K
            lines[i] = line.replace(HERE, str(i + 2))
    return "".join(lines)


def main():
    global SRC, OUT
    args = sys.argv[1:]
    for opt in ("--src", "--out"):
        if opt in args:
            k = args.index(opt)
            if k + 1 >= len(args):
                sys.exit(f"{opt} needs a value")
            if opt == "--src":
                SRC = os.path.abspath(args[k + 1])
            else:
                OUT = os.path.abspath(args[k + 1])
    if "--self-test" in args:
        self_test()
        return 0
    text = build()
    if "--check" in sys.argv[1:]:
        try:
            with open(OUT, encoding="utf-8") as f:
                old = f.read()
        except FileNotFoundError:
            print("httpx.h is missing: run python3 tools/amalgamate.py")
            return 1
        if old == text:
            return 0
        diff = difflib.unified_diff(old.splitlines(), text.splitlines(),
                                    "httpx.h", "tools/src (amalgamated)", lineterm="", n=1)
        print("httpx.h does not match tools/src/:")
        for i, line in enumerate(diff):
            if i >= 12:
                print("...")
                break
            print(line)
        return 1
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
