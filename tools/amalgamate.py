#!/usr/bin/env python3
"""Builds httpx.h from tools/src/.

    python3 tools/amalgamate.py           write httpx.h
    python3 tools/amalgamate.py --check   exit 1 (naming the first difference)
                                          when httpx.h does not match tools/src/

The order below is the order of the layers (DESIGN.md): a file may only use
what comes before it. An #include "x" of a file that is not in the list, or of a
system header that is not in SYSTEM_HEADERS, is refused, so that nothing
reaches users that we did not mean to ship.
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
INTERNAL = "internal.h"      # shared internal declarations
COMPONENTS = [               # implementation, bottom layer first
    "base.c",
    "url.c",
    "headers.c",
    "h1.c",
    "hpack.c",
    "h2_frame.c",
    "h2_session.c",
    "multipart.c",
    "body.c",
    "net.c",
    "dns.c",
    "tls.c",
    "conn.c",
    "client.c",
    "task.c",
    "response.c",
]
LICENSE = "license.txt"

SYSTEM_HEADERS = {
    "stddef.h", "stdbool.h", "stdint.h", "stdio.h", "stdlib.h", "string.h",
    "stdarg.h", "assert.h", "errno.h", "limits.h", "time.h", "ctype.h",
    "unistd.h", "fcntl.h", "poll.h", "signal.h", "netdb.h",
    "sys/types.h", "sys/socket.h", "sys/stat.h", "sys/time.h", "sys/un.h", "dirent.h", "pthread.h",
    "netinet/in.h", "netinet/tcp.h", "arpa/inet.h",
    "bearssl.h",
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def read(name):
    with open(os.path.join(SRC, name), encoding="utf-8") as f:
        return f.read()


def checked(name, text):
    """Returns text with local includes dropped; refuses unknown includes."""
    known = set(COMPONENTS) | {PUBLIC, INTERNAL}
    out = []
    for lineno, line in enumerate(text.splitlines(keepends=True), 1):
        m = INCLUDE.match(line)
        if m:
            kind, target = m.groups()
            if kind == '"':
                if target not in known:
                    sys.exit(f"{name}:{lineno}: unknown include \"{target}\"")
                continue  # the amalgamation already has it, earlier
            if target not in SYSTEM_HEADERS:
                sys.exit(f"{name}:{lineno}: system header <{target}> is not in "
                         "SYSTEM_HEADERS of tools/amalgamate.py; add it there on purpose")
        out.append(line)
    return "".join(out)


def banner_begin(name):
    anchor = os.path.splitext(name)[0]
    return (f"/* {'=' * 70}\n   Begin file {name}   (grep anchor: >>{anchor})\n"
            f"   {'=' * 70} */\n")


def banner_end(name):
    return f"/* End of {name} */\n\n"


def build():
    parts = [read(INTRO).rstrip() + "\n\n"]
    parts.append(banner_begin(PUBLIC) + checked(PUBLIC, read(PUBLIC)) + banner_end(PUBLIC))
    parts.append("#ifdef HTTPX_IMPLEMENTATION\n#ifndef HTTPX_IMPLEMENTATION_INCLUDED\n"
                 "#define HTTPX_IMPLEMENTATION_INCLUDED\n\n")
    parts.append(banner_begin(INTERNAL) + checked(INTERNAL, read(INTERNAL)) + banner_end(INTERNAL))
    for name in COMPONENTS:
        if not os.path.exists(os.path.join(SRC, name)):
            sys.exit(f"tools/src/{name} is listed in COMPONENTS but missing")
        parts.append(banner_begin(name) + checked(name, read(name)) + banner_end(name))
    parts.append("#endif /* HTTPX_IMPLEMENTATION_INCLUDED */\n#endif /* HTTPX_IMPLEMENTATION */\n\n")
    parts.append("/*\n" + read(LICENSE).rstrip() + "\n*/\n")
    listed = set(COMPONENTS) | {INTRO, PUBLIC, INTERNAL, LICENSE}
    for f in sorted(os.listdir(SRC)):
        if f not in listed:
            sys.exit(f"tools/src/{f} is not listed in tools/amalgamate.py")
    return "".join(parts)


def main():
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
