#!/bin/sh
# Generates the secrets docker-compose.yml mounts (once; existing files are kept, so a re-run never
# rotates a key under a running installation). Usage: infra/secrets/generate.sh [--force]
#
#   postgres_password        PostgreSQL password of the `vpn` role
#   database_url             postgres://vpn:<password>@postgres:5432/vpn (services read DATABASE_URL_FILE)
#   admin_password           the first admin's password (auth reads ADMIN_PASSWORD_FILE)
#   provisioner_ssh_key      ed25519 OpenSSH private key of provisioning and sync (SSH_PRIVATE_KEY_FILE)
#   provisioner_ssh_key.pub  its authorized_keys line (the wg-host test server authorizes it)
#   jwt_private_key.pem      P-256 (ES256) PKCS#8 key that signs access tokens (auth: JWT_PRIVATE_KEY_FILE)
#
# The directory is 0700, so on the host only its owner can reach the files; the files themselves are
# 0644 because compose bind-mounts them unchanged and the services run as uid 1000 (`node`), which is
# usually not the host user that owns them.
set -eu
cd "$(dirname "$0")"
umask 077
force=0
[ "${1:-}" = "--force" ] && force=1

need() { command -v "$1" >/dev/null 2>&1 || { echo "generate.sh: $1 is required" >&2; exit 1; }; }
fresh() { [ "$force" = 1 ] || [ ! -s "$1" ]; }
random() { need openssl; openssl rand -base64 48 | tr -d '\n/+=' | cut -c1-"$1"; }

chmod 700 .

if fresh postgres_password || fresh database_url; then
  pw=$(random 32)
  printf '%s' "$pw" > postgres_password
  printf 'postgres://vpn:%s@postgres:5432/vpn' "$pw" > database_url
  echo "wrote postgres_password, database_url"
fi

if fresh admin_password; then
  printf '%s' "$(random 24)" > admin_password
  echo "wrote admin_password (admin@localhost unless ADMIN_EMAIL is set)"
fi

if fresh provisioner_ssh_key; then
  need ssh-keygen
  rm -f provisioner_ssh_key provisioner_ssh_key.pub
  ssh-keygen -q -t ed25519 -N '' -C vpn-provisioner -f provisioner_ssh_key
  echo "wrote provisioner_ssh_key, provisioner_ssh_key.pub"
fi

if fresh jwt_private_key.pem; then
  if command -v openssl >/dev/null 2>&1 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out jwt_private_key.pem 2>/dev/null; then :
  else
    need node
    node -e "process.stdout.write(require('crypto').generateKeyPairSync('ec',{namedCurve:'P-256'}).privateKey.export({type:'pkcs8',format:'pem'}))" > jwt_private_key.pem
  fi
  echo "wrote jwt_private_key.pem"
fi

chmod 644 postgres_password database_url admin_password provisioner_ssh_key provisioner_ssh_key.pub jwt_private_key.pem
