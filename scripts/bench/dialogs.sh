#!/usr/bin/env bash
# ./socnet bench dialogs — dialogs on Citus (issue #11, docs/dialogs.md): how dialog ids spread over the
# 32 shards of dialog_messages, send/list throughput and latency through the gateway with 2 workers and
# with 3, and the pause clients see while Citus moves shards under load.
#
# Assumes the local cluster, the app (the gateway) and the dialogs part are up (./socnet up), the users table
# is seeded, and the dialog cluster has two workers. Steps:
#   1. check the gateway serves /dialog/*, the dialogs service is ready, two workers, no rebalance running;
#   2. build socnet-loadtest; draw FEEDER_USERS real users, mint their tokens (BenchTokens), pair each with a
#      random other user (the feeder of DialogsSimulation);
#   3. write the spread data through the dialogs service's internal API (DialogsSpreadProbe): DIALOGS dialogs
#      of one message, one user writing to FAN_OUT others, one dialog of LONG_DIALOG messages, PAIR_HISTORY
#      messages in each feeder dialog; count rows of the first two sets per Citus shard on the coordinator
#      (worker_hash of the dialog id against pg_dist_shard's hash ranges); note each feeder dialog's shard;
#      EXPLAIN a page of the long dialog on the coordinator (one task: the router planner);
#   4. two workers: warm-up, then Gatling send and list, DURATION_S each;
#   5. ./socnet shards add-worker, then ./socnet shards rebalance (Citus' background rebalancer) starting
#      REBALANCE_DELAY_S after the first requests of a Gatling run of send + list (REBALANCE_RUN_S), every
#      request logged with its timestamps; meanwhile the coordinator's get_rebalance_progress() is polled every POLL_S with
#      timestamps (which shard moves, and its phase: copy, catch-up, final catch-up with writes blocked);
#   6. three workers: Gatling send and list, DURATION_S each;
#   7. ./socnet shards remove-worker (drain and remove; back to two workers — also on any exit once the
#      worker was added), then Gatling send and list again with two workers (drift over the run shows);
#   8. write docs/benchmarks/dialogs.{json,md}, the PNG charts and dialogs-plans.txt (DialogsReport), with
#      the postgres_fdw design's figures (docs/benchmarks/dialogs-fdw.json, history) beside the new ones.
# Runtime: about 6 x DURATION_S + REBALANCE_RUN_S + WARMUP_S + the drain + 6 min (builds, Gatling start-ups,
# 212,000 writes); about 15 min with the defaults, 21 min on 2 cores under load average 15-20 (the writes
# slow down most). The spread data stays in the dialogs database
# (texts start with the run's marker, "bench-<unix time>").
#
# Run by ./socnet with the repository root as working directory and socnet.env + .local/secrets.env exported.
# Settings (environment, defaults in brackets):
#   SOCNET_BENCH_DURATION_S [30]          seconds per measured run
#   SOCNET_BENCH_WARMUP_S [30]            seconds of warm-up load before the first run
#   SOCNET_BENCH_REBALANCE_RUN_S [150]    seconds of load around the rebalance
#   SOCNET_BENCH_REBALANCE_DELAY_S [15]   seconds of that load (from its first requests) before the rebalance starts
#   SOCNET_BENCH_POLL_S [0.2]             interval of the get_rebalance_progress() polls, s
#   SOCNET_BENCH_USERS [32]               concurrent Gatling users, back to back
#   SOCNET_BENCH_FEEDER_USERS [2000]      real users in the feeder
#   SOCNET_BENCH_DIALOGS [100000]         dialogs of the spread set
#   SOCNET_BENCH_FAN_OUT [10000]          recipients of the one-sender set
#   SOCNET_BENCH_LONG_DIALOG [2000]       messages of the long dialog
#   SOCNET_BENCH_PAIR_HISTORY [50]        messages written into each feeder dialog before the runs (a full page)
#   SOCNET_BENCH_BASE_URL [http://127.0.0.1:$SOCNET_APP_PORT]   the gateway
#   SOCNET_BENCH_DOCS_DIR [docs/benchmarks]  output directory of the report
set -euo pipefail

# shellcheck source=scripts/lib/bench.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/bench.sh"
bench_start dialogs
export PATH="$PGBIN:$PATH"

DURATION_S=${SOCNET_BENCH_DURATION_S:-30}
WARMUP_S=${SOCNET_BENCH_WARMUP_S:-30}
REBALANCE_RUN_S=${SOCNET_BENCH_REBALANCE_RUN_S:-150}
REBALANCE_DELAY_S=${SOCNET_BENCH_REBALANCE_DELAY_S:-15}
POLL_S=${SOCNET_BENCH_POLL_S:-0.2}
USERS=${SOCNET_BENCH_USERS:-32}
FEEDER_USERS=${SOCNET_BENCH_FEEDER_USERS:-2000}
DIALOGS=${SOCNET_BENCH_DIALOGS:-100000}
FAN_OUT=${SOCNET_BENCH_FAN_OUT:-10000}
LONG_DIALOG=${SOCNET_BENCH_LONG_DIALOG:-2000}
# A full page of history in every dialog Gatling lists (the gateway's default limit), so list runs compare.
PAIR_HISTORY=${SOCNET_BENCH_PAIR_HISTORY:-50}
BASE_URL=${SOCNET_BENCH_BASE_URL:-http://127.0.0.1:${SOCNET_APP_PORT:-8080}}
SERVICE_URL=http://127.0.0.1:$SOCNET_DIALOGS_PORT
DOCS=${SOCNET_BENCH_DOCS_DIR:-docs/benchmarks}
# The postgres_fdw design's results (decision 0006), kept as history and shown beside the Citus ones.
FDW_HISTORY=docs/benchmarks/dialogs-fdw.json

SIMULATION=dev.socnet.loadtest.DialogsSimulation
MODULE=socnet-loadtest
WORK=$ROOT/$MODULE/target/bench/dialogs      # feeder, measurements, logs, Gatling reports (runs/...)
GATLING_OUT=$MODULE/target/gatling
MARKER="bench-$(date +%s)"
JAVA_BIN=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
APP_PG_URL="postgresql://$SOCNET_DB_USER:$SOCNET_DB_PASSWORD@127.0.0.1:$(pg_primary_port)/$SOCNET_DB_NAME?options=-c%20statement_timeout%3D0"
DIALOGS_PG_URL="postgresql://$SOCNET_DB_USER:$SOCNET_DB_PASSWORD@127.0.0.1:$SOCNET_DIALOGS_PG_PORT/$DIALOGS_DB?options=-c%20statement_timeout%3D0"
ADDED_WORKER=
POLLER_PID=


# The progress poller is stopped and a worker this run added is removed again, whatever happens.
on_exit() {
  local status=$?
  trap - EXIT INT TERM
  stop_poller
  if [ -n "$ADDED_WORKER" ]; then
    log "removing $ADDED_WORKER again"
    # A rebalance job still running (the bench interrupted) is stopped first: its moves are Citus
    # transactions, the shards not moved yet stay where they are; remove-worker drains the rest.
    dlg_value coordinator "select citus_rebalance_stop() from citus_rebalance_status()
                            where state in ('scheduled', 'running', 'failing')" >/dev/null 2>&1 || true
    ./socnet shards remove-worker "$ADDED_WORKER" \
      || { printf '\033[1;31m[bench dialogs]\033[0m %s\n' "could not remove $ADDED_WORKER: ./socnet shards status" >&2; status=1; }
  fi
  exit "$status"
}

# SIGINT ends psql's \watch and psql with it, its output flushed (SIGTERM would lose the buffered tail).
stop_poller() {
  [ -n "$POLLER_PID" ] || return 0
  kill -INT "$POLLER_PID" 2>/dev/null || true
  local i
  for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$POLLER_PID" 2>/dev/null || break; sleep 0.5; done
  kill "$POLLER_PID" 2>/dev/null || true
  wait "$POLLER_PID" 2>/dev/null || true
  POLLER_PID=
}

# gatling_run NAME MODE DURATION_S DEST [REQUEST_LOG]: one Gatling run; its HTML report is moved to DEST.
# With REQUEST_LOG, DialogsSimulation writes every request's timestamps there.
gatling_run() {
  local name=$1 mode=$2 duration=$3 dest=$4 request_log=${5:-}
  log "$name: $USERS concurrent users, $mode, ${duration}s"
  rm -rf "$GATLING_OUT"
  ./mvnw -q -pl "$MODULE" gatling:test \
    -Dgatling.simulationClass="$SIMULATION" \
    -Dgatling.runDescription="dialogs, $name, $USERS users, ${duration}s" \
    -DbaseUrl="$BASE_URL" -Dmode="$mode" -Dusers="$USERS" -DdurationS="$duration" -DfeederFile="$WORK/pairs.csv" \
    ${request_log:+-DrequestLog="$request_log"} \
    > "$WORK/logs/$(basename "$dest")-$mode.log" 2>&1 || true   # a KO fails the goal; the report still counts it
  local reports=("$GATLING_OUT"/dialogssimulation-*)
  [ -f "${reports[0]}/index.html" ] || die "Gatling wrote no report for $name (log: $WORK/logs/$(basename "$dest")-$mode.log)"
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "${reports[0]}" "$dest"
}

# shard_rows WHERE: CSV of rows of dialog_messages matching WHERE per Citus shard (every shard, with its
# hash range and worker): the dialog ids are counted on the shards (grouped by the distribution column),
# hashed on the coordinator with Citus' worker_hash and matched to pg_dist_shard's ranges.
shard_rows() {
  dlg_psql coordinator -c "\\copy (
    with d as materialized (select dialog_id, count(*) as n from dialog_messages where $1 group by dialog_id),
         h as (select worker_hash(dialog_id) as hash, n from d)
    select s.shardid as shard, s.shardminvalue::int as hash_min, s.shardmaxvalue::int as hash_max,
           (select string_agg('worker' || (nd.nodeport - $SOCNET_DIALOGS_WORKER_BASE_PORT + 1), ' ')
              from pg_dist_placement p join pg_dist_node nd using (groupid) where p.shardid = s.shardid) as worker,
           coalesce(sum(h.n), 0) as rows
      from pg_dist_shard s
      left join h on h.hash between s.shardminvalue::int and s.shardmaxvalue::int
     where s.logicalrelid = 'dialog_messages'::regclass
     group by s.shardid, s.shardminvalue, s.shardmaxvalue
     order by s.shardminvalue::int) to stdout with (format csv, header)"
}

command -v psql >/dev/null || die "psql not found (Debian package postgresql-client)"
[ -x "$JAVA_BIN" ] || command -v "$JAVA_BIN" >/dev/null || die "no java: set JAVA_HOME to a JDK 25"

# 1. Preconditions.
dialogs_cluster_ready || die "the dialogs part is not up: run ./socnet up (./socnet status shows dlg-* and dialogs)"
workers=$(dlg_workers | wc -l)
[ "$workers" = 2 ] || die "the bench compares 2 and 3 workers and expects 2 now, found $workers: ./socnet shards remove-worker WORKER"
[ -z "$(dlg_value coordinator "select job_id from citus_rebalance_status() where state in ('scheduled', 'running', 'cancelling', 'failing')")" ] \
  || die "a rebalance job is running (./socnet shards status); wait for it or stop it (select citus_rebalance_stop())"
probe=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE_URL/dialog/$(cat /proc/sys/kernel/random/uuid)/list" || true)
[ "$probe" = 401 ] || die "the gateway at $BASE_URL answered ${probe:-nothing} (not 401) to an anonymous /dialog/*/list: is it a build with the dialogs gateway?"
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 2. Build, feeder.
log "building $MODULE"
./mvnw -q -pl "$MODULE" test-compile
rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/runs"
report_cp="$MODULE/target/classes:$(cat "$MODULE/target/classpath.txt")"
log "feeder: $FEEDER_USERS users with tokens, each paired with a random other user"
psql -X -q -At "$APP_PG_URL" -c "select id from users tablesample system (1) limit $FEEDER_USERS" > "$WORK/users.txt"
[ "$(wc -l < "$WORK/users.txt")" -ge 2 ] || die "too few users in the database: run ./socnet up (seeds) or ./socnet seed"
"$JAVA_BIN" -cp "$report_cp" dev.socnet.loadtest.report.BenchTokens --users="$WORK/users.txt" --out="$WORK/tokens.csv" >/dev/null
{
  echo "user_id,token,peer_id"
  paste -d, <(tail -n +2 "$WORK/tokens.csv") <(shuf "$WORK/users.txt")
} > "$WORK/pairs.csv"

# 3. Spread data, rows per shard, the feeder dialogs' shards, plans.
log "writing $DIALOGS dialogs, one sender to $FAN_OUT users, a dialog of $LONG_DIALOG messages and $PAIR_HISTORY messages in each feeder dialog (marker $MARKER)"
"$JAVA_BIN" -cp "$report_cp" dev.socnet.loadtest.report.DialogsSpreadProbe --service-url="$SERVICE_URL" \
  --dialogs="$DIALOGS" --fan-out="$FAN_OUT" --long-dialog="$LONG_DIALOG" --concurrency=64 \
  --pairs="$WORK/pairs.csv" --pair-messages="$PAIR_HISTORY" \
  --marker="$MARKER" --out="$WORK/spread.json"
gaga=$(sed -n 's/.*"gagaUser" *: *"\([^"]*\)".*/\1/p' "$WORK/spread.json")
long_left=$(tr -d '\n ' < "$WORK/spread.json" | sed -n 's/.*"longDialog":\["\([^"]*\)","\([^"]*\)"\].*/\1/p')
long_right=$(tr -d '\n ' < "$WORK/spread.json" | sed -n 's/.*"longDialog":\["\([^"]*\)","\([^"]*\)"\].*/\2/p')
log "counting rows per shard"
shard_rows "text = '$MARKER spread'" > "$WORK/spread.csv"
shard_rows "from_user = '$gaga'" > "$WORK/gaga.csv"
# The shard of each dialog Gatling uses (a move keeps a shard's id), so that the report can tell requests
# to a moving shard from the others.
dlg_psql coordinator -c "\\copy (
  with d as materialized (select dialog_id, min(least(from_user::text, to_user::text)) as user_a,
                                 max(greatest(from_user::text, to_user::text)) as user_b
                            from dialog_messages where text = '$MARKER history' group by dialog_id)
  select d.user_a, d.user_b, d.dialog_id, s.shardid as shard
    from d join pg_dist_shard s on s.logicalrelid = 'dialog_messages'::regclass
     and worker_hash(d.dialog_id) between s.shardminvalue::int and s.shardmaxvalue::int
   order by 1, 2) to stdout with (format csv, header)" > "$WORK/pair-shards.csv"

log "EXPLAIN of a page of the long dialog on the coordinator"
long_dialog=$(dlg_value coordinator "select dialog_id from dialog_messages where text = '$MARKER long' limit 1")
long_shard=$(dlg_value coordinator "select get_shard_id_for_distribution_column('dialog_messages', '$long_dialog'::uuid)")
long_worker=$(dlg_worker_of_port "$(dlg_value coordinator "select nodeport from citus_shards where shardid = $long_shard")")
cursor=$(dlg_value coordinator "select id from dialog_messages where dialog_id = '$long_dialog' order by id desc offset $((LONG_DIALOG / 2)) limit 1")
{
  echo "Dialog page plans, captured by scripts/bench/dialogs.sh at $(date -u +%Y-%m-%dT%H:%M:%SZ): the dialog of"
  echo "$long_left and $long_right ($LONG_DIALOG messages, dialog_id $long_dialog,"
  echo "shard $long_shard on $long_worker). On the Citus coordinator, as the service's role ($SOCNET_DB_USER),"
  echo "with the statements of DialogMessageRepository: each is one task, sent whole to the one shard (router planner)."
  psql -X -q -v ON_ERROR_STOP=1 "$DIALOGS_PG_URL" <<SQL
\\echo '\n== newest page (DialogMessageRepository.NEWEST), limit 50 =='
explain (analyze, verbose, costs off, timing off)
select dialog_id, id, from_user, to_user, text, created_at from dialog_messages
 where dialog_id = '$long_dialog' order by id desc limit 50;
\\echo '\n== older page (DialogMessageRepository.OLDER), from the middle of the dialog, limit 50 =='
explain (analyze, verbose, costs off, timing off)
select dialog_id, id, from_user, to_user, text, created_at from dialog_messages
 where dialog_id = '$long_dialog' and id < '$cursor' order by id desc limit 50;
\\echo '\n== insert =='
begin;
explain (analyze, verbose, costs off, timing off)
insert into dialog_messages (dialog_id, id, from_user, to_user, text, created_at)
values ('$long_dialog', gen_random_uuid(), '$long_left', '$long_right', 'explain', now());
rollback;
SQL
} > "$WORK/dialogs-plans.txt" 2>&1
grep -q 'Task Count: 1' "$WORK/dialogs-plans.txt" || die "the page's plan is not one task: $WORK/dialogs-plans.txt"

# 4. Two workers.
gatling_run "warm-up" mixed "$WARMUP_S" "$WORK/warmup"
gatling_run "send, 2 workers" send "$DURATION_S" "$WORK/runs/workers2/send"
gatling_run "list, 2 workers" list "$DURATION_S" "$WORK/runs/workers2/list"

# 5. A third worker, shards moved onto it under load. The poller writes one line per poll and moving
# shard (a line with an empty shard when none moves): at_ms (coordinator clock = this machine's), shard,
# status — Citus' phase of the move from get_rebalance_progress() (Setting Up, Copying Data, Catching Up,
# Creating Constraints, Final Catchup, Creating Foreign Keys, Completing), or "task running" for the
# background task moving it (pg_dist_background_task) — and the source and target port.
ADDED_WORKER=$(./socnet shards add-worker | tail -n1)
log "added $ADDED_WORKER; rebalancing under load"
echo "at_ms,shard,status,source_port,target_port" > "$WORK/moves.csv"
cat > "$WORK/poll.sql" <<SQL
with moving as (
  select p.shardid, p.status, p.sourceport, p.targetport from get_rebalance_progress() p
   where p.table_name = 'dialog_messages'::regclass and p.progress = 1
  union all
  select substring(t.command from 'citus_move_shard_placement\\((\\d+)')::bigint, 'task running', null, null
    from pg_dist_background_task t where t.status = 'running')
select (extract(epoch from clock_timestamp()) * 1000)::bigint, m.shardid, m.status, m.sourceport, m.targetport
  from (select 1) as one left join moving m on true
\\watch $POLL_S
SQL
# psql itself in the background (over TCP as the superuser, not through runuser), so that its pid is $!.
PGPASSWORD=$(dialogs_admin_password) PGOPTIONS='-c client_min_messages=warning' \
  psql -X -q -At -F, -h 127.0.0.1 -p "$SOCNET_DIALOGS_PG_PORT" -U postgres -d "$DIALOGS_DB" -f "$WORK/poll.sql" \
  >> "$WORK/moves.csv" 2>"$WORK/logs/poller.log" </dev/null &
POLLER_PID=$!
gatling_run "send + list while rebalancing" mixed "$REBALANCE_RUN_S" "$WORK/runs/rebalance" "$WORK/requests.csv" &
gatling_pid=$!
# The delay counts from the run's first requests, not from the launch: Maven and Gatling take tens of
# seconds to start on a loaded machine. The request log gets its header when the simulation is built.
logged_requests() { [ -f "$WORK/requests.csv" ] && [ "$(wc -l < "$WORK/requests.csv")" -ge 2 ]; }
for _ in $(seq 1 600); do
  logged_requests && break
  kill -0 "$gatling_pid" 2>/dev/null || break
  sleep 0.5
done
logged_requests || die "the rebalance run logged no request within 5 min (log: $WORK/logs/rebalance-mixed.log)"
sleep "$REBALANCE_DELAY_S"
rebalance_start_ms=$(date +%s%3N)
./socnet shards rebalance 2>&1 | tee "$WORK/logs/rebalance.log" >&2
rebalance_end_ms=$(date +%s%3N)
wait "$gatling_pid"
stop_poller
dlg_psql coordinator -c "\\copy (select job_id, state, (extract(epoch from started_at) * 1000)::bigint as started_ms,
    (extract(epoch from finished_at) * 1000)::bigint as finished_ms
    from pg_dist_background_job order by job_id desc limit 1) to stdout with (format csv, header)" > "$WORK/rebalance-job.csv"
[ "$(wc -l < "$WORK/requests.csv")" -gt 1 ] || die "the rebalance run logged no request ($WORK/requests.csv)"

# 6. Three workers.
gatling_run "send, 3 workers" send "$DURATION_S" "$WORK/runs/workers3/send"
gatling_run "list, 3 workers" list "$DURATION_S" "$WORK/runs/workers3/list"

# 7. Back to two workers, measured again (drift over the run shows as a difference between the two 2-worker phases).
./socnet shards remove-worker "$ADDED_WORKER"
ADDED_WORKER=
gatling_run "send, 2 workers again" send "$DURATION_S" "$WORK/runs/workers2-again/send"
gatling_run "list, 2 workers again" list "$DURATION_S" "$WORK/runs/workers2-again/list"

# 8. Report.
mkdir -p "$DOCS"
cp "$WORK/dialogs-plans.txt" "$DOCS/dialogs-plans.txt"
citus_version=$(dlg_value coordinator "select extversion from pg_extension where extname = 'citus'")
environment="$(nproc) CPU cores and $(free -g | awk '/^Mem:/ {print $2}') GiB shared by the gateway, socnet-dialogs, the Citus $citus_version coordinator and workers (PostgreSQL $(dlg_value coordinator 'show server_version')), the main PostgreSQL, Redis, RabbitMQ and Gatling $(sed -n 's:.*<gatling.version>\(.*\)</gatling.version>.*:\1:p' pom.xml); load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
"$JAVA_BIN" -cp "$report_cp" dev.socnet.loadtest.report.DialogsReport \
  --load="$WORK/spread.json" --spread="$WORK/spread.csv" --gaga="$WORK/gaga.csv" \
  --moves="$WORK/moves.csv" --requests="$WORK/requests.csv" --pair-shards="$WORK/pair-shards.csv" \
  --rebalance-start-ms="$rebalance_start_ms" --rebalance-end-ms="$rebalance_end_ms" \
  --runs="$WORK/runs" --docs="$DOCS" --history="$FDW_HISTORY" \
  --duration-s="$DURATION_S" --rebalance-run-s="$REBALANCE_RUN_S" --users="$USERS" --environment="$environment"
log "done: $DOCS/dialogs.md, $DOCS/dialogs.json, $DOCS/dialogs-*.png, $DOCS/dialogs-plans.txt; Gatling reports in $WORK/runs"
