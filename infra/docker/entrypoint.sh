#!/bin/sh
# Starts one control-plane service: `entrypoint.sh [service]`, or the image's SERVICE (build arg).
# For each VAR below, VAR_FILE (a mounted secret) is read into VAR when VAR itself is unset, so
# passwords and URLs with passwords never need to be in the environment definition.
set -eu

for var in DATABASE_URL NATS_URL ADMIN_PASSWORD ADMIN_EMAIL; do
  eval "file=\${${var}_FILE:-}"
  eval "value=\${${var}:-}"
  if [ -n "$file" ] && [ -z "$value" ]; then
    if [ ! -r "$file" ]; then
      echo "entrypoint: ${var}_FILE=$file is not readable" >&2
      exit 2
    fi
    # $(…) drops trailing newlines (files written by editors or `echo`).
    value=$(cat "$file")
    export "$var=$value"
  fi
  unset "${var}_FILE"
done

service="${1:-${SERVICE:-}}"
case "$service" in
  gateway) entry=gateway/dist/main.js ;;
  auth | billing-limits | provisioning | sync | audit) entry="services/$service/dist/main.js" ;;
  *)
    echo "entrypoint: unknown service \"$service\"; one of: gateway, auth, billing-limits, provisioning, sync, audit" >&2
    exit 2
    ;;
esac
export SERVICE="$service"

# exec: node is PID 1 (or tini's child) and gets SIGTERM directly; the service drains and exits.
exec node --enable-source-maps "${APP_DIR:-/app}/$entry"
