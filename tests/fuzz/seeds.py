#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, made from tests/data (and a few
messages written here), one directory per target under the given folder:
    python3 tests/fuzz/seeds.py build/fuzz/seeds
Nothing is committed but this script: the corpora are rebuilt by make."""
import glob, hashlib, json, os, re, struct, sys

DATA = os.path.join(os.path.dirname(__file__), '..', 'data')
out_root = sys.argv[1]


def put(target, blob):
    d = os.path.join(out_root, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(blob, str):
        blob = blob.encode('utf-8', 'surrogatepass')
    name = hashlib.sha1(blob).hexdigest()[:16]
    with open(os.path.join(d, name), 'wb') as f:
        f.write(blob)


def llhttp_blocks(path):
    """The ```http blocks of an llhttp test file, lines ended by CRLF (as
    tests/test_h1_llhttp.c reads them), escapes \\t \\r \\n honoured."""
    text = open(path, encoding='utf-8').read()
    for m in re.finditer(r'```http\n(.*?)```', text, re.S):
        lines = m.group(1).split('\n')[:-1]
        s = '\r\n'.join(lines)
        s = s.replace('\\t', '\t').replace('\\r', '\r').replace('\\n', '\n')
        yield s.encode('latin-1', 'replace')


def frame(ftype, flags, sid, payload):
    return struct.pack('>I', len(payload))[1:] + bytes([ftype, flags]) + struct.pack('>I', sid) + payload


def settings(*pairs):
    return frame(4, 0, 0, b''.join(struct.pack('>HI', i, v) for i, v in pairs))


# HPACK: ':status: 200' is static index 8; literal fields without indexing
def hpack_lit(name, value):
    return bytes([0x00, len(name)]) + name + bytes([len(value)]) + value


H200 = bytes([0x88])
H200_LEN = H200 + hpack_lit(b'content-length', b'5')
H_TRAILER = hpack_lit(b'x-trailer', b'yes')

# ---- HTTP/1.1 ----
responses = []
for path in sorted(glob.glob(os.path.join(DATA, 'http1-llhttp', 'response', '*.md'))):
    responses.extend(llhttp_blocks(path))
responses += [
    b'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello',
    b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n',
    b'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    b'HTTP/1.1 301 Moved\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n',
    b'HTTP/1.0 200 OK\nContent-Type: text/plain; charset=utf-16\n\n\xff\xfeh\x00i\x00',
]
for r in responses:
    put('h1_head', r)
    head_end = r.find(b'\r\n\r\n')
    body = r[head_end + 4:] if head_end >= 0 else r
    put('h1_chunked', b'\x00\x01' + body)
    put('api_h1', b'\x00' + r)
for path in glob.glob(os.path.join(DATA, 'http1-llhttp', 'request', 'transfer-encoding.md')):
    for r in llhttp_blocks(path):
        i = r.find(b'\r\n\r\n')
        if i >= 0:
            put('h1_chunked', b'\x07\x03' + r[i + 4:])

# ---- URLs ----
for case in json.load(open(os.path.join(DATA, 'url-whatwg', 'urltestdata.json'), encoding='utf-8')):
    if isinstance(case, dict) and 'input' in case:
        base = case.get('base') or ''
        put('url', (base + '\0' + case['input']) if base else case['input'])
rfc = json.load(open(os.path.join(DATA, 'url-rfc3986', 'rfc3986-5.4.json'), encoding='utf-8'))
for case in rfc['cases']:
    put('url', rfc['base'] + '\0' + case['reference'])

# ---- HPACK: decode mode (0x00) and round-trip mode (0x01) ----
for path in sorted(glob.glob(os.path.join(DATA, 'hpack', '*', '*.json')))[:400]:
    try:
        story = json.load(open(path, encoding='utf-8'))
    except (ValueError, UnicodeDecodeError):
        continue
    cases = story.get('cases', [])
    blob = b'\x00\x20\x00\x00'
    fields = b''
    for c in cases[:8]:
        wire = bytes.fromhex(c.get('wire', ''))
        blob += struct.pack('>H', len(wire)) + wire
        for h in c.get('headers', []):
            for k, v in h.items():
                fields += k.encode() + b'\0' + v.encode() + b'\0'
    put('hpack', blob)
    put('hpack', b'\x01\x10\x00\x10\x00\x00\x08' + fields)

# ---- JSON: parse mode (any first byte but 'w') ----
for path in sorted(glob.glob(os.path.join(DATA, 'json-testsuite', 'test_*', '*.json'))):
    put('json', b' ' + open(path, 'rb').read())
put('json', b'w' + bytes([0x00, 0x34]) + b'abc' + bytes([0x35]) + b'xyz' + bytes([0x06]) + struct.pack('<d', -0.5) + bytes([0x01]))

# ---- text: the first byte is the encoding (0 sniff, 1 utf-8, 2 utf-16le, 3 utf-16be, 4 utf-16, 5 latin-1, 6 cp1252, 7 ascii) ----
sample = 'h\u00e9llo \u20ac \U0001F600 \ufffd end'
for enc, data in [(0, b'\xef\xbb\xbf' + sample.encode()), (0, b'\xff\xfe' + sample.encode('utf-16-le')),
                  (1, sample.encode()), (1, b'bad \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 cut \xe2\x82'),
                  (2, sample.encode('utf-16-le')), (3, sample.encode('utf-16-be')),
                  (4, b'\xfe\xff' + sample.encode('utf-16-be')), (4, 'x\ud800y'.encode('utf-16-le', 'surrogatepass')),
                  (5, bytes(range(256))), (6, bytes(range(128, 256))), (7, b'ascii \x80\xff')]:
    put('text', bytes([enc, 3, 7]) + data)

# ---- DNS answers ----
def qname(name):
    return b''.join(bytes([len(l)]) + l.encode() for l in name.split('.')) + b'\0'

def dns(qtype, answers, rcode=0, tc=False):
    flags = 0x8180 | rcode | (0x200 if tc else 0)
    hdr = struct.pack('>HHHHHH', 0x1234, flags, 1, len(answers), 0, 0)
    q = qname('www.example.com') + struct.pack('>HH', qtype, 1)
    return hdr + q + b''.join(answers)

def rr(owner, rtype, rdata):
    return owner + struct.pack('>HHIH', rtype, 1, 60, len(rdata)) + rdata

put('dns', dns(1, [rr(b'\xc0\x0c', 1, bytes([93, 184, 216, 34]))]))
put('dns', dns(28, [rr(b'\xc0\x0c', 28, bytes(range(16)))]))
put('dns', dns(1, [rr(b'\xc0\x0c', 5, qname('cdn.example.net')),
                   rr(qname('cdn.example.net'), 1, bytes([10, 0, 0, 1]))]))
put('dns', dns(1, [], rcode=3))
put('dns', dns(1, [], tc=True))

# ---- HTTP/2: server bytes (no preface: the server's first frame is SETTINGS) ----
h2_inputs = []
srv = settings((3, 100), (4, 65535), (5, 16384))
h2_inputs.append(srv + frame(4, 1, 0, b'') + frame(1, 4, 1, H200_LEN) + frame(0, 1, 1, b'hello'))
h2_inputs.append(srv + frame(1, 4, 1, H200) + frame(0, 0, 1, b'abc') + frame(1, 5, 1, H_TRAILER))
h2_inputs.append(srv + frame(1, 4, 1, H200) + frame(0, 8, 1, b'\x03abc\0\0\0') + frame(3, 0, 1, b'\0\0\0\0'))
h2_inputs.append(srv + frame(8, 0, 0, struct.pack('>I', 100000)) + frame(8, 0, 1, struct.pack('>I', 1000)) +
                 frame(6, 0, 0, b'12345678') + frame(7, 0, 0, struct.pack('>II', 1, 0)))
h2_inputs.append(srv + frame(1, 0, 1, bytes([0x48, 0x03]) + b'100') + frame(9, 4, 1, b'') +
                 frame(1, 5, 1, H200))
h2_inputs.append(settings((4, 10), (1, 0)) + frame(1, 4, 3, H200) + frame(0, 1, 3, b'x' * 10))
for path in sorted(glob.glob(os.path.join(DATA, 'http2-frames', '*', '*.json'))):
    try:
        wire = bytes.fromhex(json.load(open(path, encoding='utf-8'))['wire'])
    except (ValueError, KeyError):
        continue
    h2_inputs.append(srv + frame(1, 4, 1, H200) + wire)
for blob in h2_inputs:
    put('h2_session', b'\x03\x00\x00' + blob)
    put('api_h2', b'\x00' + blob)
