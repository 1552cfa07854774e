# shellcheck shell=bash
# Observability (issue 14; docs/observability.md): the project's own Prometheus (Debian `prometheus`)
# and exporters, every one on 127.0.0.1, state under .local/prometheus, pid files in .local/run.
#
#   prometheus        :SOCNET_PROMETHEUS_PORT (19090) — scrapes every SOCNET_SCRAPE_INTERVAL, evaluates
#                     ops/prometheus/rules/*.yml, serves the console ops/prometheus/consoles/ at /consoles/
#   node exporter     :SOCNET_NODE_EXPORTER_PORT (19100) — the host (CPU, memory, disks, network)
#   redis exporter    :SOCNET_REDIS_EXPORTER_PORT (19101)
#   postgres exporter one process per PostgreSQL node, run as the postgres OS user over the unix socket:
#                     main formation at SOCNET_PG_EXPORTER_BASE_PORT + 0..3 (primary, replica1, replica2,
#                     monitor), the dialog cluster at SOCNET_DIALOGS_PG_EXPORTER_BASE_PORT + 0 (coordinator)
#                     and + N (workerN); extra queries in ops/prometheus/postgres/*.yaml
#   RabbitMQ          each node's rabbitmq_prometheus plugin, SOCNET_RABBITMQ_PROMETHEUS_PORTS (scripts/lib/rabbitmq.sh)
#   HAProxy           its built-in exporter on SOCNET_HAPROXY_PROMETHEUS_PORT (scripts/lib/haproxy.sh)
#   process exporter  :SOCNET_PROCESS_EXPORTER_PORT (19104) — CPU and memory of the processes no exporter
#                     of their own reports: each PostgreSQL node (its postmaster and every backend) and
#                     HAProxy (prometheus-process-exporter, groups in .local/prometheus/process-exporter.yml)
#   app instances     /actuator/prometheus on their management ports (SOCNET_APP_MANAGEMENT_PORTS)
#   socnet-dialogs    /actuator/prometheus on SOCNET_DIALOGS_PORT
#
# The scrape configuration .local/prometheus/prometheus.yml is generated here from socnet.env, and only
# here; Prometheus reloads it (SIGHUP) when `up` or `test` runs again. Debian's own prometheus services
# (ports 9090, 9100, 9121, 9187), if a host runs them, never clash with these ports.
# Hooks called by ./socnet: monitoring_ready, monitoring_up, monitoring_down, monitoring_status_lines,
# cmd_monitor.

OPS_PROMETHEUS=$ROOT/ops/prometheus
PROMETHEUS_DIR=$LOCAL/prometheus

prom_cfg() { echo "$PROMETHEUS_DIR/prometheus.yml"; }
prom_pidfile() { echo "$LOCAL/run/prometheus.pid"; }
prom_url() { echo "http://127.0.0.1:$SOCNET_PROMETHEUS_PORT"; }
prom_ready() { curl -fs -o /dev/null --max-time 2 "$(prom_url)/-/ready"; }

# The PostgreSQL nodes that get an exporter, one "CLUSTER NODE PGPORT EXPORTERPORT QUERIES" line each:
# the main formation (its monitor too) and the dialog cluster (the coordinator, every worker that has a
# data directory).
monitoring_pg_targets() {
  local i=0 n
  for n in "${PG_NODES[@]}" monitor; do
    echo "main $n $(pg_node_port "$n") $((SOCNET_PG_EXPORTER_BASE_PORT + i)) main"
    i=$((i + 1))
  done
  if declare -F dlg_worker_dirs >/dev/null && [ -d "$LOCAL/dialogs/coordinator" ]; then
    echo "dialogs coordinator $(dlg_port coordinator) $SOCNET_DIALOGS_PG_EXPORTER_BASE_PORT citus"
    local w
    for w in $(dlg_worker_dirs); do
      echo "dialogs $w $(dlg_port "$w") $((SOCNET_DIALOGS_PG_EXPORTER_BASE_PORT + ${w#worker})) citus"
    done
  fi
}

# monitoring_start_exporter NAME PORT USER COMMAND...: runs an exporter in the background as USER
# (root or postgres; setpriv execs, so the pid file holds the exporter itself), unless it runs already.
monitoring_start_exporter() {
  local name=$1 port=$2 user=$3; shift 3
  local pidfile=$LOCAL/run/exporter-$name.pid
  pid_alive "$pidfile" && return 0
  if port_open "$port"; then
    die "port $port (exporter $name) is taken by another process: pick another one in socnet.local.env"
  fi
  local run=()
  [ "$user" = root ] || run=(setpriv "--reuid=$user" "--regid=$user" --init-groups --)
  # 8>&- 9>&-: an exporter started by `shards add-worker` or cluster_up must not inherit their lock
  # (flock) descriptors, or it holds the lock for its whole life and the next shard command waits
  nohup "${run[@]}" "$@" >"$LOCAL/logs/exporter-$name.log" 2>&1 8>&- 9>&- &
  printf '%s\n%s\n' $! "$port" > "$pidfile"   # the pid, then the port (for status)
}

monitoring_exporters_up() {
  mkdir -p "$LOCAL/run" "$LOCAL/logs" "$PROMETHEUS_DIR"
  monitoring_start_exporter node "$SOCNET_NODE_EXPORTER_PORT" root \
    prometheus-node-exporter "--web.listen-address=127.0.0.1:$SOCNET_NODE_EXPORTER_PORT" \
    --no-collector.systemd --no-collector.textfile
  # Redis' ACL user and password through the exporter's environment (REDIS_USER, REDIS_PASSWORD), not
  # its command line
  monitoring_start_exporter redis "$SOCNET_REDIS_EXPORTER_PORT" root \
    env REDIS_USER="${SOCNET_REDIS_USER:-socnet}" REDIS_PASSWORD="$SOCNET_REDIS_PASSWORD" \
    prometheus-redis-exporter -redis.addr "redis://127.0.0.1:$SOCNET_REDIS_PORT" \
    -web.listen-address "127.0.0.1:$SOCNET_REDIS_EXPORTER_PORT"
  monitoring_process_groups > "$PROMETHEUS_DIR/process-exporter.yml"
  monitoring_start_exporter process "$SOCNET_PROCESS_EXPORTER_PORT" root \
    prometheus-process-exporter "-web.listen-address=127.0.0.1:$SOCNET_PROCESS_EXPORTER_PORT" \
    -config.path "$PROMETHEUS_DIR/process-exporter.yml" -threads=false -gather-smaps=false
  local cluster node pgport port queries db
  while read -r cluster node pgport port queries; do
    db=$SOCNET_DB_NAME; [ "$cluster" = dialogs ] && db=dialogs; [ "$node" = monitor ] && db=pg_auto_failover
    # the monitor has no pg_stat_statements: only the built-in metrics
    local extend=(--extend.query-path="$OPS_PROMETHEUS/postgres/$queries.yaml")
    [ "$node" = monitor ] && extend=()
    # A node that is slow or shutting down holds a scrape at most the scrape interval (connect and
    # statement timeouts), so scrapes do not pile up; Citus hides its shards from catalog queries of
    # other applications: shown to the exporter's sessions.
    # (session options through libpq's environment: the exporter's own DSN parser refuses an options
    # value with more than one '=')
    local options='-c statement_timeout=4000'
    [ "$cluster" = dialogs ] && options+=' -c citus.show_shards_for_app_name_prefixes=*'
    monitoring_start_exporter "pg-$cluster-$node" "$port" postgres \
      env DATA_SOURCE_NAME="postgresql:///$db?host=$LOCAL/run&port=$pgport&user=postgres&sslmode=disable" \
      PGCONNECT_TIMEOUT=3 PGOPTIONS="$options" \
      prometheus-postgres-exporter "--web.listen-address=127.0.0.1:$port" "${extend[@]}" \
      --disable-settings-metrics --log.level=warn
  done < <(monitoring_pg_targets)
}

# The process exporter's groups (its YAML configuration): one per PostgreSQL node of this checkout,
# named postgresql-CLUSTER-NODE (the postmaster, matched by its data directory, and its children: the
# backends and background workers), and haproxy (matched by its configuration file). Only this
# checkout's processes: other checkouts on the host run the same programs with other directories.
# Series: namedprocess_namegroup_cpu_seconds_total{groupname, mode="user"|"system"} and the like.
monitoring_process_groups() {
  local local_dir; local_dir=$(cd "$LOCAL" && pwd -P)   # the path the processes were started with
  local re_dir; re_dir=$(printf '%s' "$local_dir" | sed 's/[.[\*^$()+?{|]/\\&/g')
  cat <<CFG
# generated by ./socnet (scripts/lib/monitoring.sh: monitoring_process_groups)
process_names:
  - name: 'postgresql-main-{{.Matches.node}}'
    cmdline: ['/postgres -D $re_dir/pg/(?P<node>[a-z0-9]+)( |\$)']
  - name: 'postgresql-dialogs-{{.Matches.node}}'
    cmdline: ['/postgres -D $re_dir/dialogs/(?P<node>[a-z0-9]+)( |\$)']
  - name: 'haproxy'
    comm: [haproxy]
    cmdline: ['-f $re_dir/haproxy\.cfg( |\$)']
CFG
}

# Every exporter pid file, for stop and status.
monitoring_exporter_pidfiles() {
  local f
  for f in "$LOCAL"/run/exporter-*.pid; do [ -e "$f" ] && echo "$f"; done
}

# The scrape configuration, from socnet.env. Labels: job (component), node (which one of a cluster),
# cluster (main | dialogs, PostgreSQL only).
prom_write_cfg() {
  mkdir -p "$PROMETHEUS_DIR/targets"
  local scrape=${SOCNET_SCRAPE_INTERVAL:-5s}
  {
    cat <<CFG
# generated by ./socnet from socnet.env (scripts/lib/monitoring.sh) — edit the ports there, not here
global:
  scrape_interval: $scrape
  scrape_timeout: $scrape
  evaluation_interval: $scrape
rule_files:
  - $OPS_PROMETHEUS/rules/*.yml
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:$SOCNET_PROMETHEUS_PORT']
        labels: {node: prometheus}
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$SOCNET_NODE_EXPORTER_PORT']
        labels: {node: host}
  - job_name: socnet-app
    metrics_path: /actuator/prometheus
    static_configs:
CFG
    local n
    for n in $(app_instances); do
      echo "      - targets: ['127.0.0.1:$(app_management_port "$n")']"
      echo "        labels: {node: app$n}"
    done
    cat <<CFG
    # further instances (a test's own, for one) announce themselves with a file here
    file_sd_configs:
      - files: ['$PROMETHEUS_DIR/targets/socnet-app-*.json']
        refresh_interval: 5s
  - job_name: socnet-dialogs
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ['127.0.0.1:$SOCNET_DIALOGS_PORT']
        labels: {node: dialogs}
  - job_name: postgres
    static_configs:
CFG
    local cluster node pgport port queries
    while read -r cluster node pgport port queries; do
      echo "      - targets: ['127.0.0.1:$port']"
      echo "        labels: {cluster: $cluster, node: $node, pg_port: '$pgport'}"
    done < <(monitoring_pg_targets)
    cat <<CFG
  - job_name: redis
    static_configs:
      - targets: ['127.0.0.1:$SOCNET_REDIS_EXPORTER_PORT']
        labels: {node: redis}
  - job_name: rabbitmq
    static_configs:
CFG
    local r
    for r in $(rabbitmq_nodes); do
      echo "      - targets: ['127.0.0.1:$(rabbitmq_prometheus_port "$r")']"
      echo "        labels: {node: rabbitmq$r, rabbitmq_node: '$(rabbitmq_node_name "$r")'}"
    done
    cat <<CFG
  - job_name: haproxy
    static_configs:
      - targets: ['127.0.0.1:$SOCNET_HAPROXY_PROMETHEUS_PORT']
        labels: {node: haproxy}
  - job_name: process
    static_configs:
      - targets: ['127.0.0.1:$SOCNET_PROCESS_EXPORTER_PORT']
        labels: {node: host}
CFG
  } > "$(prom_cfg).tmp"
  mv "$(prom_cfg).tmp" "$(prom_cfg)"
}

# The console's libraries: Debian's prom.lib (graph helpers) beside our menu.lib (the console's menu).
prom_console_libraries() {
  local debian=/usr/share/doc/prometheus/examples/console_libraries dir=$PROMETHEUS_DIR/console_libraries
  mkdir -p "$dir"
  if [ -f "$debian/prom.lib" ]; then
    cp "$debian/prom.lib" "$dir/prom.lib"
  elif [ ! -f "$dir/prom.lib" ]; then
    warn "no $debian/prom.lib (the prometheus package's console library): the console pages will not render"
  fi
  cp "$OPS_PROMETHEUS/console_libraries/"*.lib "$dir/"
}

prom_start() {
  prom_write_cfg
  prom_console_libraries
  promtool check config "$(prom_cfg)" >"$LOCAL/logs/promtool.log" 2>&1 \
    || { cat "$LOCAL/logs/promtool.log" >&2; die "invalid Prometheus configuration $(prom_cfg) or rules"; }
  if pid_alive "$(prom_pidfile)"; then
    kill -HUP "$(cat "$(prom_pidfile)")"   # reload: configuration, rules, console libraries
    return 0
  fi
  port_open "$SOCNET_PROMETHEUS_PORT" \
    && die "port $SOCNET_PROMETHEUS_PORT (Prometheus) is taken by another process: set SOCNET_PROMETHEUS_PORT in socnet.local.env"
  log "starting Prometheus on 127.0.0.1:$SOCNET_PROMETHEUS_PORT (console: $(prom_url)/consoles/index.html)"
  mkdir -p "$PROMETHEUS_DIR/data"
  nohup prometheus --config.file="$(prom_cfg)" --storage.tsdb.path="$PROMETHEUS_DIR/data" \
    --storage.tsdb.retention.time="${SOCNET_PROMETHEUS_RETENTION:-7d}" \
    --web.listen-address="127.0.0.1:$SOCNET_PROMETHEUS_PORT" \
    --web.console.templates="$OPS_PROMETHEUS/consoles" \
    --web.console.libraries="$PROMETHEUS_DIR/console_libraries" \
    >"$LOCAL/logs/prometheus.log" 2>&1 8>&- 9>&- &
  echo $! > "$(prom_pidfile)"
  wait_for 60 Prometheus prom_ready || die "Prometheus failed to start, see $LOCAL/logs/prometheus.log"
}

monitoring_ready() {
  prom_ready || return 1
  local f
  for f in $(monitoring_exporter_pidfiles); do pid_alive "$f" || return 1; done
  [ -n "$(monitoring_exporter_pidfiles)" ]
}

monitoring_up() {
  monitoring_exporters_up
  prom_start
}

monitoring_down() {
  stop_pid "$(prom_pidfile)" Prometheus
  local f
  for f in $(monitoring_exporter_pidfiles); do
    local name=${f##*/exporter-}
    stop_pid "$f" "${name%.pid} exporter"
  done
}

# After `./socnet shards add-worker` or `remove-worker` (scripts/lib/shards.sh), when Prometheus runs:
# the exporter of a worker whose data directory is gone is stopped, a new worker's is started, and the
# configuration is regenerated and reloaded. Writes nothing to stdout (add-worker prints the worker's name).
monitoring_refresh() {
  prom_ready || return 0
  local f w
  for f in "$LOCAL"/run/exporter-pg-dialogs-worker*.pid; do
    [ -e "$f" ] || continue
    w=${f##*/exporter-pg-dialogs-}; w=${w%.pid}
    [ -f "$LOCAL/dialogs/$w/PG_VERSION" ] || stop_pid "$f" "$w exporter"
  done
  monitoring_exporters_up
  prom_start
} >&2

# One status line for Prometheus (with how many of its targets are up) and one per exporter.
monitoring_status_lines() {
  local fmt='%-12s %-7s %-9s %s\n' h=down
  if prom_ready; then
    h="up ($(curl -fs --max-time 2 "$(prom_url)/api/v1/targets?state=active" \
      | jq -r '.data.activeTargets | "\(map(select(.health == "up")) | length)/\(length) targets up"' 2>/dev/null || echo '?'))"
  fi
  # shellcheck disable=SC2059
  printf "$fmt" prometheus "$SOCNET_PROMETHEUS_PORT" "$(pid_of "$(prom_pidfile)")" "$h"
  local f name
  for f in $(monitoring_exporter_pidfiles); do
    name=${f##*/exporter-}; name=${name%.pid}
    h=down; pid_alive "$f" && h="up ($name exporter)"
    # shellcheck disable=SC2059
    printf "$fmt" exporter "$(sed -n 2p "$f")" "$(pid_of "$f")" "$h"
  done
}

# The console's pages (ops/prometheus/consoles/*.html), index first.
monitoring_console_pages() {
  echo index
  local f
  for f in "$OPS_PROMETHEUS"/consoles/*.html; do
    f=${f##*/}; f=${f%.html}
    [ "$f" = index ] || echo "$f"
  done
}

# ./socnet monitor [--screenshots]: where the console and Prometheus are, and which targets are down;
# with --screenshots, a headless-Chromium picture of each console page (last hour) into
# docs/observability/PAGE.png.
cmd_monitor() {
  prom_ready || die "Prometheus is not running: ./socnet up starts it"
  if [ "${1:-}" = --screenshots ]; then
    mkdir -p "$ROOT/docs/observability"
    local page
    for page in $(monitoring_console_pages); do
      # --virtual-time-budget: the graphs' queries answer and render before the picture is taken
      timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1600 \
        --virtual-time-budget=10000 --screenshot="$ROOT/docs/observability/$page.png" \
        "$(prom_url)/consoles/$page.html" >/dev/null 2>&1 || die "chromium could not take $page.html"
      echo "docs/observability/$page.png"
    done
    return 0
  fi
  echo "console:    $(prom_url)/consoles/index.html"
  echo "Prometheus: $(prom_url)/ (targets: $(prom_url)/targets, alerts: $(prom_url)/alerts)"
  curl -fs --max-time 5 "$(prom_url)/api/v1/targets?state=active" \
    | jq -r '.data.activeTargets[] | select(.health != "up") | "down: \(.labels.job) \(.labels.node // .labels.instance) — \(.lastError)"'
}
