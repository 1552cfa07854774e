#!/usr/bin/env bash
# ./socnet bench search — people search (GET /user/search) under load, with and without the search index.
#
# Assumes the local cluster and the app are up (./socnet up) and the users table is seeded. Steps:
#   1. check the database has >= SOCNET_BENCH_MIN_USERS users and the app answers the search;
#   2. build socnet-loadtest; draw the feeder (name prefixes of real users) from the database;
#   3. measure the mean answer size (SearchResultSizeProbe; also warms the app up); EXPLAIN with the index;
#   4. WITH users_name_prefix_idx: warm-up, then Gatling at 1, 10, 100 concurrent users, DURATION_S each;
#   5. drop the index; EXPLAIN without it; warm-up; the same three runs WITHOUT the index;
#   6. recreate the index exactly as the V2 migration does (also on any exit: Ctrl-C, error) and ANALYZE;
#   7. write docs/benchmarks/search.{json,md}, the PNG charts and search-plans.txt (SearchReport).
# Runtime: about 6 x DURATION_S + 2 x WARMUP_S + 2 min (a Maven start per run, builds, probe, EXPLAIN,
# index rebuild): about 8.5 min with the defaults.
#
# Run by ./socnet with the repository root as working directory and socnet.env exported. Settings
# (environment, defaults in brackets):
#   SOCNET_BENCH_DURATION_S [60]        seconds per measured run
#   SOCNET_BENCH_WARMUP_S [10]          seconds of warm-up load (10 users) before each variant's runs
#   SOCNET_BENCH_USERS ["1 10 100"]     concurrency levels, virtual users sending back to back
#   SOCNET_BENCH_MIN_USERS [1000000]    refuse to run on a smaller users table (lower only for trials)
#   SOCNET_BENCH_FEEDER_ROWS [5000]     (first name, surname) prefix pairs in the feeder
#   SOCNET_BENCH_FIRST_PREFIX_CHARS [3] first-name prefix length, characters
#   SOCNET_BENCH_LAST_PREFIX_CHARS [3]  surname prefix length, characters
#   SOCNET_BENCH_PLAN_PREFIX ["ива"]    prefix of both names in the EXPLAIN query (lower case, as the app sends it)
#   SOCNET_BENCH_BASE_URL [http://127.0.0.1:$SOCNET_APP_PORT]
#   SOCNET_BENCH_DOCS_DIR [docs/benchmarks]  output directory of the report
set -euo pipefail

# shellcheck source=scripts/lib/bench.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/bench.sh"
bench_start search

DURATION_S=${SOCNET_BENCH_DURATION_S:-60}
WARMUP_S=${SOCNET_BENCH_WARMUP_S:-10}
read -r -a USERS_LEVELS <<< "${SOCNET_BENCH_USERS:-1 10 100}"
MIN_USERS=${SOCNET_BENCH_MIN_USERS:-1000000}
FEEDER_ROWS=${SOCNET_BENCH_FEEDER_ROWS:-5000}
FIRST_PREFIX_CHARS=${SOCNET_BENCH_FIRST_PREFIX_CHARS:-3}
LAST_PREFIX_CHARS=${SOCNET_BENCH_LAST_PREFIX_CHARS:-3}
PLAN_PREFIX=${SOCNET_BENCH_PLAN_PREFIX:-ива}
BASE_URL=${SOCNET_BENCH_BASE_URL:-http://127.0.0.1:${SOCNET_APP_PORT:-8080}}
WARMUP_USERS=10
PROBE_SAMPLES=500

INDEX=users_name_prefix_idx
INDEX_MIGRATION=socnet-app/src/main/resources/db/migration/V2__users_search_index.sql
SIMULATION=dev.socnet.loadtest.SearchSimulation
MODULE=socnet-loadtest
WORK=$MODULE/target/bench/search          # feeder, probe output, logs, Gatling reports (runs/<variant>/u<N>)
GATLING_OUT=$MODULE/target/gatling         # where gatling:test writes each report
DOCS=${SOCNET_BENCH_DOCS_DIR:-docs/benchmarks}   # where the report goes (a scratch directory for trials)
FEEDER=$ROOT/$WORK/feeder.csv
JAVA_BIN=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}

# synchronous_commit=local: the bench's own DDL (drop / create index) must not wait for a synchronous
# replica that happens to be down; the replicas still get it through streaming replication.
psql_db() { PGOPTIONS="-c synchronous_commit=local -c statement_timeout=0" psql -X -q -v ON_ERROR_STOP=1 "$PG_URL" "$@"; }
sql_value() { psql_db -At -c "$1"; }
index_exists() { [ "$(sql_value "select to_regclass('public.$INDEX') is not null")" = t ]; }

# Recreates the search index from the migration itself (so it is exactly what Flyway created) and refreshes
# the planner statistics of its expressions, which a dropped index takes with it.
restore_index() {
  if index_exists; then return 0; fi
  log "recreating $INDEX from $INDEX_MIGRATION"
  psql_db -f "$INDEX_MIGRATION"
  psql_db -c "analyze users"
}

on_exit() {
  local status=$?
  trap - EXIT INT TERM
  if ! restore_index; then
    printf '\033[1;31m[bench search]\033[0m %s\n' "could not recreate $INDEX: run psql -f $INDEX_MIGRATION then analyze users" >&2
    status=1
  fi
  exit "$status"
}

# gatling_run VARIANT USERS DURATION_S DEST: one Gatling run; its HTML report is moved to DEST.
gatling_run() {
  local variant=$1 users=$2 duration=$3 dest=$4
  log "$variant, $users virtual users, ${duration}s"
  rm -rf "$GATLING_OUT"
  mkdir -p "$WORK/logs"
  ./mvnw -q -pl "$MODULE" gatling:test \
    -Dgatling.simulationClass="$SIMULATION" \
    -Dgatling.runDescription="people search, $variant, $users users, ${duration}s" \
    -DbaseUrl="$BASE_URL" -Dusers="$users" -DdurationS="$duration" -DfeederFile="$FEEDER" \
    2>&1 | tee "$WORK/logs/$variant-u$users.log"
  local reports=("$GATLING_OUT"/searchsimulation-*)
  [ -f "${reports[0]}/index.html" ] || die "Gatling wrote no report for $variant, $users users (log: $WORK/logs/$variant-u$users.log)"
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "${reports[0]}" "$dest"
}

# explain TITLE: EXPLAIN (ANALYZE, BUFFERS) of the app's search query, prepared like the app's JDBC driver
# does ($1/$2 surname range, $3/$4 first-name range — see dev.socnet.user.PrefixRange — and $5 limit),
# appended to the plans file being built. Extra SQL (a SET) may be given as $2.
explain() {
  local title=$1 setup=${2:-}
  local from=$PLAN_PREFIX to
  to=$(python3 -c 'import sys; p=sys.argv[1]; print(p[:-1] + chr(ord(p[-1]) + 1))' "$from")
  {
    printf '\n== %s ==\n' "$title"
    psql_db -At <<SQL
$setup
prepare search(text, text, text, text, int) as
select id, first_name, second_name, birthdate, biography, city
  from users
 where lower(second_name) collate "C" >= \$1 and lower(second_name) collate "C" < \$2
   and lower(first_name) collate "C" >= \$3 and lower(first_name) collate "C" < \$4
 order by lower(second_name) collate "C", lower(first_name) collate "C", id
 limit \$5;
explain (analyze, buffers) execute search('$from', '$to', '$from', '$to', 100);
SQL
  } >> "$WORK/search-plans.txt"
}

command -v psql >/dev/null || die "psql not found (Debian package postgresql-client)"
command -v curl >/dev/null || die "curl not found"
[ -x "$JAVA_BIN" ] || command -v "$JAVA_BIN" >/dev/null || die "no java: set JAVA_HOME to a JDK 25"

# 1. Preconditions.
sql_value "select 1" >/dev/null 2>&1 || die "PostgreSQL is not reachable at 127.0.0.1:${SOCNET_PG_PORT:-15432}: run ./socnet up"
users_count=$(sql_value "select count(*) from users")
[ "$users_count" -ge "$MIN_USERS" ] \
  || die "users has $users_count rows, the benchmark needs at least $MIN_USERS: run ./socnet up (seeds an empty database) or ./socnet seed"
users_grouped=$(printf '%s' "$users_count" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')   # 1,000,000
http_status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE_URL/user/search?first_name=a&last_name=a" || true)
[ "$http_status" = 200 ] \
  || die "the app at $BASE_URL answered ${http_status:-nothing} to a search: run ./socnet up (./socnet status shows the app)"
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
restore_index   # a bench killed hard (SIGKILL) may have left it dropped

# 2. Build and feeder.
log "building $MODULE"
./mvnw -q -pl "$MODULE" test-compile
rm -rf "$WORK"
mkdir -p "$WORK/logs"
log "feeder: $FEEDER_ROWS (first name, surname) prefixes of $FIRST_PREFIX_CHARS + $LAST_PREFIX_CHARS characters"
# tablesample system(1) reads ~1% of the table's pages, chosen at random: real names in their real mix, without
# sorting a million rows. A small table (trials with SOCNET_BENCH_MIN_USERS lowered) is shuffled whole instead.
if [ "$users_count" -ge 100000 ]; then
  sample="users tablesample system (1)"
else
  sample="(select * from users order by random()) shuffled"
fi
psql_db -c "\\copy (select left(first_name, $FIRST_PREFIX_CHARS) as first_name, left(second_name, $LAST_PREFIX_CHARS) as last_name from $sample limit $FEEDER_ROWS) to '$FEEDER' with (format csv, header)"
feeder_rows=$(($(wc -l < "$FEEDER") - 1))
[ "$feeder_rows" -gt 0 ] || die "the feeder is empty"

# 3. Answer size, plans with the index.
report_cp="$MODULE/target/classes:$(cat "$MODULE/target/classpath.txt")"
log "measuring answer sizes over $PROBE_SAMPLES feeder entries"
"$JAVA_BIN" -cp "$report_cp" dev.socnet.loadtest.report.SearchResultSizeProbe \
  --base-url="$BASE_URL" --feeder="$FEEDER" --samples="$PROBE_SAMPLES" --out="$WORK/result-size.json"
{
  echo "People search query plans, captured by scripts/bench/search.sh at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "on $users_grouped users; both names prefixed '${PLAN_PREFIX}' (ranges, see PrefixRange), limit 100. The statement is prepared"
  echo "like the app's: PostgreSQL plans the first executions for the actual values (custom plan); the"
  echo "generic plan is the one it may switch to for a statement the JDBC driver has prepared server-side."
} > "$WORK/search-plans.txt"
explain "with $INDEX (custom plan)"
explain "with $INDEX, generic plan (plan_cache_mode = force_generic_plan)" "set plan_cache_mode = force_generic_plan;"

# 4. With the index.
gatling_run indexed "$WARMUP_USERS" "$WARMUP_S" "$WORK/warmup/indexed"
for users in "${USERS_LEVELS[@]}"; do
  gatling_run indexed "$users" "$DURATION_S" "$WORK/runs/indexed/u$users"
done

# 5. Without the index.
log "dropping $INDEX"
# lock_timeout: do not hang behind a long transaction of someone else's; stop instead.
psql_db -c "set lock_timeout = '30s'" -c "drop index $INDEX"
explain "without $INDEX"
gatling_run unindexed "$WARMUP_USERS" "$WARMUP_S" "$WORK/warmup/unindexed"
for users in "${USERS_LEVELS[@]}"; do
  gatling_run unindexed "$users" "$DURATION_S" "$WORK/runs/unindexed/u$users"
done

# 6. Index back (the EXIT trap does it too, if we never get here).
restore_index

# 7. Report.
mkdir -p "$DOCS"
cp "$WORK/search-plans.txt" "$DOCS/search-plans.txt"
pg_version=$(sql_value "show server_version")
replicas=$(sql_value "select count(*) from pg_stat_replication")
gatling_version=$(sed -n 's:.*<gatling.version>\(.*\)</gatling.version>.*:\1:p' pom.xml)
environment="$(nproc) CPU cores and $(free -g | awk '/^Mem:/ {print $2}') GiB shared by the app, PostgreSQL ${pg_version%% *} (primary + $replicas streaming replicas) and Gatling $gatling_version; $users_grouped users"
"$JAVA_BIN" -cp "$report_cp" dev.socnet.loadtest.report.SearchReport \
  --runs="$WORK/runs" --result-size="$WORK/result-size.json" --docs="$DOCS" \
  --duration-s="$DURATION_S" --first-prefix-chars="$FIRST_PREFIX_CHARS" --last-prefix-chars="$LAST_PREFIX_CHARS" \
  --environment="$environment"
log "done: $DOCS/search.md, $DOCS/search.json, $DOCS/search-*.png, $DOCS/search-plans.txt; Gatling reports in $WORK/runs"
