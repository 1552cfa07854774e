#!/usr/bin/env bash
# ./socnet bench failover — automatic failover under writes (issue #12).
#
#   SOCNET_BENCH_FAILOVER_RUNS times (default 5): 4 writers register users through HAProxy back to back;
#   10 s in, the primary crashes (./socnet db kill: SIGKILL to its keeper and PostgreSQL);
#   pg_auto_failover promotes a standby on its own; 10 s after the first acknowledged write the
#   writers stop, every acknowledged user id is looked up on the new primary, and the old primary is
#   started again (it rejoins as a standby) before the next run. FailoverBench writes
#   docs/benchmarks/failover.{md,json} and failover-writes.png.
# Runtime about 5 x (10 s + failover + 10 s + rejoin), 3-4 min.
#
# Run by ./socnet (repository root as working directory, socnet.env and secrets exported).
# Settings: SOCNET_BENCH_FAILOVER_RUNS [5], SOCNET_BENCH_WRITE_CLIENTS [4], SOCNET_BENCH_DOCS_DIR [docs/benchmarks].
set -euo pipefail

# shellcheck source=scripts/lib/bench.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/bench.sh"
bench_start failover

RUNS=${SOCNET_BENCH_FAILOVER_RUNS:-5}
WRITERS=${SOCNET_BENCH_WRITE_CLIENTS:-4}
DOCS=${SOCNET_BENCH_DOCS_DIR:-docs/benchmarks}
MODULE=socnet-loadtest
WORK=$MODULE/target/bench/failover

find_java
pg_formation_healthy || die "the formation is not healthy (./socnet status): start every node first"
bench_build
rm -rf "$WORK"; mkdir -p "$WORK"
log "$RUNS runs, $WRITERS writers"
bench_tool dev.socnet.loadtest.report.FailoverBench \
  --base-url="http://127.0.0.1:$SOCNET_APP_PORT" --docs="$DOCS" --work="$ROOT/$WORK" --runs="$RUNS" --writers="$WRITERS"
log "done: $DOCS/failover.md, failover.json, failover-writes.png"
