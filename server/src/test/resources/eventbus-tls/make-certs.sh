#!/bin/sh
# Makes the event bus TLS test files of this directory (README.md beside it says what each is). OpenSSL 3.
# The CA keys are thrown away: to change a file, run this again and commit all of them.
set -eu
cd "$(dirname "$0")"
days=36500
ca() { # ca NAME: a self-signed CA certificate NAME.pem (P-256)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -days $days -sha256 \
    -subj "/CN=$1" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -out "$1.pem"
}
member() { # member NAME CA [USAGES]: NAME.key (PKCS#8, P-256) and NAME.pem, signed by CA, for 127.0.0.1
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=switchboard $1" -out "$1.csr"
  printf '%s\n' 'subjectAltName=IP:127.0.0.1' 'basicConstraints=critical,CA:FALSE' \
    'keyUsage=critical,digitalSignature' "extendedKeyUsage=${3:-serverAuth,clientAuth}" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days $days -sha256 \
    -extfile "$1.ext" -out "$1.pem"
  rm "$1.csr" "$1.ext"
}
ca cluster-ca
ca other-ca
member member cluster-ca
member rogue other-ca
member server-only cluster-ca serverAuth
rm cluster-ca.key other-ca.key ./*.srl
