# shellcheck shell=bash
# The project's own Redis under .local/redis (cache only: no persistence).

redis_pidfile() { echo "$LOCAL/run/redis.pid"; }
redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$SOCNET_REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

redis_start() {
  redis_ready && return 0
  mkdir -p "$LOCAL/redis" "$LOCAL/run" "$LOCAL/logs"
  log "starting Redis on :$SOCNET_REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$SOCNET_REDIS_PORT" --daemonize yes \
    --pidfile "$(redis_pidfile)" --dir "$LOCAL/redis" --logfile "$LOCAL/logs/redis.log" \
    --save '' --appendonly no --maxmemory 2gb --maxmemory-policy allkeys-lru >/dev/null
  wait_for 20 Redis redis_ready || die "Redis failed to start, see $LOCAL/logs/redis.log"
}

redis_stop() {
  redis_ready || { rm -f "$(redis_pidfile)"; return 0; }
  log "stopping Redis"
  redis-cli -h 127.0.0.1 -p "$SOCNET_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || stop_pid "$(redis_pidfile)" Redis
  rm -f "$(redis_pidfile)"
}
