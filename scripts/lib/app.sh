# shellcheck shell=bash
# Building and running the socnet application jar.

APP_JAR=socnet-app/target/socnet-app.jar
app_pidfile() { echo "$LOCAL/run/app.pid"; }

# Builds the application jar when it is missing or older than any source or pom.
app_build() {
  find_java
  if [ -f "$APP_JAR" ] && [ -z "$(find pom.xml socnet-app/pom.xml socnet-app/src -newer "$APP_JAR" -print -quit)" ]; then
    return 0
  fi
  log "building socnet-app (./mvnw package)"
  ./mvnw -q -B -DskipTests -pl socnet-app -am package >"$LOCAL/logs/build.log" 2>&1 \
    || { tail -n 40 "$LOCAL/logs/build.log" >&2; die "build failed, see $LOCAL/logs/build.log"; }
}

app_ready() { curl -fs -o /dev/null "http://127.0.0.1:$SOCNET_APP_PORT/actuator/health/readiness"; }

# Environment the application reads: socnet.env plus the generated secrets.
app_env() {
  set -a
  # shellcheck disable=SC1091
  . ./socnet.env
  # shellcheck disable=SC1091
  . "$LOCAL/secrets.env"
  set +a
  SOCNET_DB_URL=$(pg_jdbc_primary_url "$SOCNET_DB_NAME")
  SOCNET_DB_REPLICA_URL=$(pg_jdbc_replica_url "$SOCNET_DB_NAME")
  export SOCNET_DB_URL SOCNET_DB_REPLICA_URL
}

app_start() {
  if pid_alive "$(app_pidfile)" && app_ready; then return 0; fi
  find_java
  log "starting socnet-app on :$SOCNET_APP_PORT"
  ( app_env; nohup "$JAVA" -XX:+UseZGC -Xms512m -Xmx2g -jar "$APP_JAR" >"$LOCAL/logs/app.log" 2>&1 & echo $! > "$(app_pidfile)" )
  wait_for 120 socnet-app app_ready || { tail -n 40 "$LOCAL/logs/app.log" >&2; die "socnet-app did not become healthy, see $LOCAL/logs/app.log"; }
}

app_stop() { stop_pid "$(app_pidfile)" socnet-app; }

# app_command ARGS...: runs a one-shot command of the application jar (seed, import).
app_command() {
  find_java
  ( app_env; "$JAVA" -XX:+UseParallelGC -Xmx4g -jar "$APP_JAR" "$@" )
}
