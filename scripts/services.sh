#!/usr/bin/env bash
# Start PostgreSQL and Redis on this machine if they are down, and create the database.
# Usage: scripts/services.sh DATABASE_NAME
set -euo pipefail
DB="${1:-cchc}"

wait_for() {  # wait_for DESCRIPTION COMMAND...
    local what="$1"; shift
    for _ in $(seq 1 30); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 1
    done
    echo "error: $what did not come up" >&2
    return 1
}

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        echo "error: PostgreSQL is not running on 127.0.0.1:5432 and pg_ctlcluster is not installed." >&2
        echo "       Debian/Ubuntu: apt-get install postgresql (then run make test again)." >&2
        exit 1
    fi
    echo "Starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
    wait_for "PostgreSQL on 127.0.0.1:5432" pg_isready -h 127.0.0.1 -p 5432 -q
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    if ! command -v redis-server >/dev/null 2>&1; then
        echo "error: Redis is not running on 127.0.0.1:6379 and redis-server is not installed." >&2
        echo "       Debian/Ubuntu: apt-get install redis-server (then run make test again)." >&2
        exit 1
    fi
    echo "Starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for "Redis on 127.0.0.1:6379" redis-cli -h 127.0.0.1 -p 6379 ping
fi

if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    echo "Creating database $DB"
    createdb -h 127.0.0.1 -U postgres "$DB"
fi
