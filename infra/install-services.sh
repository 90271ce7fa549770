#!/usr/bin/env bash
# Installs (if absent) and starts the two services the project needs, from Debian's packages, without Docker:
# PostgreSQL (≥ 13, for xid8) on 127.0.0.1:5432 and Redis on 127.0.0.1:6379. Run as root on Debian or Ubuntu.
# Idempotent: services already answering are left alone. For local development and CI only: when the local
# PostgreSQL refuses the passwordless `postgres` user on 127.0.0.1, it adds a trust rule for 127.0.0.1 to pg_hba.conf.
set -euo pipefail

log() { printf '[infra] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

pg_answers() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; }
redis_answers() { command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# PostgreSQL
if pg_answers; then
  log "PostgreSQL answers on 127.0.0.1:5432"
else
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "installing PostgreSQL from Debian packages"
    apt_install postgresql postgresql-client
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  [ -n "$version" ] || { log "no PostgreSQL cluster found in /etc/postgresql"; exit 1; }
  log "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
  pg_answers || { log "PostgreSQL did not start"; exit 1; }
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  log "allowing the passwordless postgres user on 127.0.0.1 (local development only): $hba"
  as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
fi

# Redis
if redis_answers; then
  log "Redis answers on 127.0.0.1:6379"
else
  if ! command -v redis-server >/dev/null 2>&1; then
    log "installing Redis from Debian packages"
    apt_install redis-server
  fi
  log "starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_answers && break; sleep 1; done
  redis_answers || { log "Redis did not start"; exit 1; }
fi

log "ready: PostgreSQL $(psql -h 127.0.0.1 -U postgres -tAc 'show server_version' 2>/dev/null), Redis $(redis-cli -h 127.0.0.1 info server 2>/dev/null | grep -m1 redis_version | cut -d: -f2 | tr -d '\r')"
