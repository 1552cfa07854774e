# shellcheck shell=bash
# Common helpers of ./socnet: logging, Java lookup, package install, pid files, waiting.

# The tag in brackets: SOCNET_LOG_TAG, "socnet" unless a caller (a benchmark: bench_init) sets another.
log()  { printf '\033[1;34m[%s]\033[0m %s\n' "${SOCNET_LOG_TAG:-socnet}" "$*" >&2; }
warn() { printf '\033[1;33m[%s]\033[0m %s\n' "${SOCNET_LOG_TAG:-socnet}" "$*" >&2; }
die()  { printf '\033[1;31m[%s]\033[0m %s\n' "${SOCNET_LOG_TAG:-socnet}" "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Runs a command as the postgres OS user (PostgreSQL refuses to run as root).
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# Finds a JDK 25+: JAVA_HOME when set (and new enough), else an installed JDK 25 under /usr/lib/jvm.
# Exports JAVA_HOME and JAVA; stops with a clear message when there is none.
find_java() {
  [ -n "${JAVA:-}" ] && return 0
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local d
  for d in /usr/lib/jvm/*25* /usr/lib/jvm/*-25-* /usr/lib/jvm/jdk-25*; do
    [ -x "$d/bin/java" ] && candidates+=("$d")
  done
  for d in "${candidates[@]}"; do
    local v
    v=$("$d/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$d" JAVA="$d/bin/java"
      return 0
    fi
    [ "$d" = "${JAVA_HOME:-}" ] && warn "JAVA_HOME=$d is Java $v; socnet needs Java 25, looking for one under /usr/lib/jvm"
  done
  die "No JDK 25 found. Install one (e.g. Temurin 25 under /usr/lib/jvm) or set JAVA_HOME to a JDK 25."
}

# Installs the Debian packages the local cluster needs, only when something is missing.
ensure_packages() {
  local missing=()
  [ -x "$PGBIN/postgres" ] || missing+=(postgresql-15)
  [ -f "/usr/share/postgresql/15/extension/pg_stat_statements.control" ] || missing+=(postgresql-contrib)
  [ -x /usr/bin/pg_autoctl ] || missing+=(postgresql-15-auto-failover)
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v curl >/dev/null || missing+=(curl)
  command -v socat >/dev/null || missing+=(socat)
  # headless Chromium and its driver: the web client's browser tests (WebClientIT, docs/web-client.md)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  # Prometheus and its exporters (scripts/lib/monitoring.sh, docs/observability.md), installed without
  # their recommended extras (smartmontools, ipmitool, nvme-cli, the node exporter's collector scripts)
  local lean=()
  command -v prometheus >/dev/null || lean+=(prometheus)
  command -v prometheus-node-exporter >/dev/null || lean+=(prometheus-node-exporter)
  command -v prometheus-postgres-exporter >/dev/null || lean+=(prometheus-postgres-exporter)
  command -v prometheus-redis-exporter >/dev/null || lean+=(prometheus-redis-exporter)
  command -v prometheus-process-exporter >/dev/null || lean+=(prometheus-process-exporter)
  # Citus' build (scripts/lib/citus.sh), only while citus.so of its version is not installed
  if declare -F citus_installed >/dev/null && ! citus_installed; then
    [ -f /usr/include/postgresql/15/server/postgres.h ] || missing+=(postgresql-server-dev-15)
    [ -f /usr/include/x86_64-linux-gnu/curl/curl.h ] || [ -f /usr/include/curl/curl.h ] || missing+=(libcurl4-openssl-dev)
    [ -f /usr/include/lz4.h ] || missing+=(liblz4-dev)
    [ -f /usr/include/zstd.h ] || missing+=(libzstd-dev)
    [ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
    [ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
    { command -v gcc && command -v make; } >/dev/null || missing+=(build-essential)
  fi
  [ ${#missing[@]} -eq 0 ] && [ ${#lean[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]} ${lean[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # policy-rc.d keeps the packages' own system services from starting: socnet runs its own instances.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null && as_root chmod +x "$policy" && created_policy=1
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || { [ $created_policy = 1 ] && as_root rm -f "$policy"; die "apt-get install ${missing[*]} failed"; }
  fi
  if [ ${#lean[@]} -gt 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null \
      || { [ $created_policy = 1 ] && as_root rm -f "$policy"; die "apt-get install ${lean[*]} failed"; }
  fi
  [ $created_policy = 1 ] && as_root rm -f "$policy"
  return 0
}

# random_hex BYTES: BYTES random bytes from /dev/urandom as lowercase hex (safe unquoted in a conninfo,
# a JDBC URL, YAML and a Redis ACL rule).
random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# require_secret NAME: stops unless the generated secret NAME (.local/secrets.env) is set.
require_secret() {
  [ -n "${!1:-}" ] || die "$1 is not set (./socnet up generates it into .local/secrets.env)"
}

# pid_alive FILE: true when FILE holds the pid of a running process.
pid_alive() {
  [ -s "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null
}

pid_of() { [ -s "$1" ] && head -n1 "$1" || echo "-"; }

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.5 s until it succeeds.
wait_for() {
  local timeout=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && { warn "$what not ready after ${timeout}s"; return 1; }
    sleep 0.5
  done
}

# stop_pid FILE NAME: TERM, wait up to 30 s, then KILL; removes the pid file.
stop_pid() {
  local file=$1 name=$2
  if pid_alive "$file"; then
    local pid; pid=$(head -n1 "$file")
    log "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { warn "$name did not stop, killing"; kill -9 "$pid" 2>/dev/null || true; }
  fi
  rm -f "$file"
}

# binary_replaced PID: true when the program PID runs was replaced on disk after it started (a package
# upgrade under a running server: its libraries no longer match, e.g. "plpgsql.so: undefined symbol").
binary_replaced() {
  local exe
  exe=$(as_root readlink "/proc/$1/exe" 2>/dev/null) || return 1
  [[ $exe == *' (deleted)' ]]
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
