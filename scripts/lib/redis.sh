# shellcheck shell=bash
# The project's own Redis under .local/redis (cache only: no persistence). Access control by an ACL
# file (.local/redis/users.acl, mode 0600): one user, SOCNET_REDIS_USER, with the generated
# SOCNET_REDIS_PASSWORD (.local/secrets.env; the file keeps only its SHA-256), and the default
# passwordless user off, so a client without the password gets NOAUTH for every command.

redis_pidfile() { echo "$LOCAL/run/redis.pid"; }
redis_acl_file() { echo "$LOCAL/redis/users.acl"; }

# redis-cli as our user; the password travels in the environment (REDISCLI_AUTH), not the command line.
redis_cli() {
  REDISCLI_AUTH=$SOCNET_REDIS_PASSWORD redis-cli --no-auth-warning --user "${SOCNET_REDIS_USER:-socnet}" \
    -h 127.0.0.1 -p "$SOCNET_REDIS_PORT" "$@"
}
# Ready = up and we are our ACL user (a Redis without our ACL would let the failed AUTH pass as the
# default user, and PING would still answer PONG).
redis_ready() { [ "$(redis_cli acl whoami 2>/dev/null)" = "${SOCNET_REDIS_USER:-socnet}" ]; }

redis_write_acl() {
  local hash; hash=$(printf '%s' "$SOCNET_REDIS_PASSWORD" | sha256sum | cut -d' ' -f1)
  (umask 077; cat > "$(redis_acl_file)" <<ACL
user default off
user ${SOCNET_REDIS_USER:-socnet} on #$hash ~* &* +@all
ACL
  )
}

redis_start() {
  require_secret SOCNET_REDIS_PASSWORD
  redis_ready && return 0
  mkdir -p "$LOCAL/redis" "$LOCAL/run" "$LOCAL/logs"
  # Ours, running, but not letting our user in: started before the ACL existed (every client then was
  # a superuser) or with an older password. A cache: restarted empty.
  if pid_alive "$(redis_pidfile)"; then
    warn "Redis on :$SOCNET_REDIS_PORT does not accept ${SOCNET_REDIS_USER:-socnet}'s password: restarting it with its ACL (the cache starts empty)"
    stop_pid "$(redis_pidfile)" Redis
  fi
  redis_write_acl
  log "starting Redis on :$SOCNET_REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$SOCNET_REDIS_PORT" --daemonize yes \
    --pidfile "$(redis_pidfile)" --dir "$LOCAL/redis" --logfile "$LOCAL/logs/redis.log" \
    --aclfile "$(redis_acl_file)" \
    --save '' --appendonly no --maxmemory 2gb --maxmemory-policy allkeys-lru >/dev/null
  wait_for 20 Redis redis_ready || die "Redis failed to start, see $LOCAL/logs/redis.log"
}

redis_stop() {
  if ! redis_ready; then
    pid_alive "$(redis_pidfile)" && stop_pid "$(redis_pidfile)" Redis
    rm -f "$(redis_pidfile)"; return 0
  fi
  log "stopping Redis"
  redis_cli shutdown nosave >/dev/null 2>&1 || stop_pid "$(redis_pidfile)" Redis
  rm -f "$(redis_pidfile)"
}
