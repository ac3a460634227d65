#!/bin/sh
# The one certificate script: the TLS tests, the benchmarks (tests/bench) and
# the demo (tools/demo.sh) all make their certificates here.
# Generates into DIR (made if missing):
#   ca.pem                  the test CA (RSA) that clients trust
#   inter.pem               an intermediate CA under ca.pem
#   other-ca.pem            a CA nobody trusts
#   client-ca.pem           the CA nginx trusts for client certificates
#   server-rsa.{pem,key}    RSA leaf by ca: DNS localhost, IP 127.0.0.1 and ::1
#   server-ec.{pem,key}     the same with a P-256 key
#   chain.{pem,key}         leaf by inter, chain.pem = leaf + inter
#   expired, notyet         valid names, dates in the past / in the future
#   wronghost               DNS wrong.example, IP 10.9.8.7 only
#   selfsigned              self-signed leaf with the right names
#   otherca                 right names, signed by other-ca
#   client-rsa, client-ec   client certificates by client-ca (.pem, .key)
#   client-other            a client certificate by other-ca
# Usage: gencerts.sh DIR [servers]. With "servers", only ca.pem and the
# server-rsa and server-ec pairs (what the benchmarks and the demo serve).
# Needs the openssl command (1.1.1 or later).
set -eu
dir=$1
what=${2:-all}
mkdir -p "$dir"
cd "$dir"
o() { openssl "$@" 2>/dev/null; }

cat > ca.cnf <<'CNF'
[ ca ]
default_ca = test_ca
[ test_ca ]
dir             = .
database        = $dir/index.txt
new_certs_dir   = $dir/newcerts
serial          = $dir/serial
default_md      = sha256
policy          = any
unique_subject  = no
copy_extensions = none
[ any ]
commonName      = supplied
[ v3_ca ]
basicConstraints       = critical, CA:true
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
[ v3_server ]
basicConstraints       = CA:false
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, IP:127.0.0.1, IP:::1
[ v3_wronghost ]
basicConstraints       = CA:false
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:wrong.example, IP:10.9.8.7
[ v3_client ]
basicConstraints       = CA:false
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
CNF
rm -rf newcerts index.txt* serial*
mkdir newcerts
: > index.txt
echo 1000 > serial

rsakey() { o genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1"; }
eckey()  { o genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# selfca NAME CN: a self-signed CA
selfca() {
    rsakey "$1.key"
    o req -new -x509 -key "$1.key" -out "$1.pem" -days 3650 -subj "/CN=$2" \
        -config ca.cnf -extensions v3_ca -sha256
}
# sign NAME CA EXT START END CN: NAME.key (made if missing) -> NAME.pem signed by CA
sign() {
    [ -f "$1.key" ] || rsakey "$1.key"
    o req -new -key "$1.key" -out "$1.csr" -subj "/CN=$6"
    o ca -batch -config ca.cnf -cert "$2.pem" -keyfile "$2.key" -extensions "$3" \
        -startdate "$4" -enddate "$5" -in "$1.csr" -out "$1.pem" -notext
    rm -f "$1.csr"
}
now=20200101000000Z
later=20991231000000Z

selfca ca "httpx test CA"
sign server-rsa ca v3_server $now $later localhost
eckey server-ec.key
sign server-ec ca v3_server $now $later localhost
if [ "$what" = servers ]; then
    chmod 644 ./*.pem ./*.key
    echo ok
    exit 0
fi
selfca other-ca "httpx other CA"
selfca client-ca "httpx client CA"
sign inter ca v3_ca $now $later "httpx intermediate CA"
sign chain-leaf inter v3_server $now $later localhost
cat chain-leaf.pem inter.pem > chain.pem
cp chain-leaf.key chain.key
sign expired ca v3_server 20100101000000Z 20110101000000Z localhost
sign notyet ca v3_server 20980101000000Z $later localhost
sign wronghost ca v3_wronghost $now $later wrong.example
sign otherca other-ca v3_server $now $later localhost
rsakey selfsigned.key
o req -new -x509 -key selfsigned.key -out selfsigned.pem -days 3650 -subj "/CN=localhost" \
    -config ca.cnf -extensions v3_server -sha256

sign client-rsa client-ca v3_client $now $later "httpx client rsa"
eckey client-ec.key
sign client-ec client-ca v3_client $now $later "httpx client ec"
sign client-other other-ca v3_client $now $later "httpx client other"

# an EC key in the traditional "EC PRIVATE KEY" form (with an EC PARAMETERS block
# first, as `openssl ecparam -genkey` writes it), and an RSA key in PKCS#1 form
o ec -in client-ec.key -out client-ec-trad.key
o ecparam -name prime256v1 -out ecparams.pem
cat ecparams.pem client-ec-trad.key > client-ec-params.key
o rsa -in client-rsa.key -traditional -out client-rsa-pkcs1.key
chmod 644 ./*.pem ./*.key
echo ok
