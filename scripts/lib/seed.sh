# shellcheck shell=bash
# Seeding as recorded, resumable steps of `./socnet up`: the users step (seed --users N) and the graph
# step (seed-graph). Each step marks itself started and, in the same transaction as its rows,
# completed (table seed_steps, dev.socnet.seed.SeedSteps in socnet-tools); `up` reads that record, runs what never
# ran, redoes what was interrupted, and fails loudly when a step fails.

# psql on the current primary as the application role: libpq picks the read-write node among all three.
# Maintenance, not a request: exempt from the role's statement_timeout (counting 34M follows takes longer).
seed_psql() { # seed_psql SQL: one value, unaligned
  PGPASSWORD=$SOCNET_DB_PASSWORD PGOPTIONS='-c statement_timeout=0' "$PGBIN/psql" -X -At -v ON_ERROR_STOP=1 \
    "postgresql://$SOCNET_DB_USER@127.0.0.1:$SOCNET_PG_PORT,127.0.0.1:$SOCNET_PG_REPLICA1_PORT,127.0.0.1:$SOCNET_PG_REPLICA2_PORT/$SOCNET_DB_NAME?target_session_attrs=read-write&connect_timeout=2" \
    -c "$1"
}

# seed_step_state STEP: done | interrupted (started, never completed) | none (never started)
seed_step_state() {
  local table; table=$(seed_psql "select to_regclass('seed_steps') is not null") || return 1
  [ "$table" = t ] || { echo none; return 0; }   # not migrated yet: the command's Flyway run creates it
  seed_psql "select coalesce((select case when completed_at is not null then 'done' else 'interrupted' end
                               from seed_steps where step = '$1'), 'none')"
}

# One line for the end of `up`: what the database holds.
seed_summary() {
  seed_psql "select format('%s users, %s follows, %s posts, %s celebrities',
                (select count(*) from users), (select count(*) from friends),
                (select count(*) from posts), (select count(*) from celebrities))"
}

# seed_run_step STEP DESCRIPTION COMMAND ARGS...: runs the step (a socnet-tools command) unless it completed; its output goes to
# .local/logs/seed-STEP.log; a failure stops `up` with the cause in one line.
seed_run_step() {
  local step=$1 what=$2; shift 2
  local state; state=$(seed_step_state "$step") || die "cannot read the seed steps (seed_steps) from PostgreSQL"
  case $state in
    done) return 0 ;;
    interrupted) log "the $step step of an earlier run did not complete (its rows were rolled back): redoing it" ;;
  esac
  log "$what"
  local logfile=$LOCAL/logs/seed-$step.log rc=0
  # in the background, so that an interrupted `up` (Ctrl-C, kill) stops the command too: its
  # transaction is rolled back and the next `up` redoes the step
  tools_command_exec "$@" >"$logfile" 2>&1 &
  SEED_PID=$!
  trap 'kill "$SEED_PID" 2>/dev/null || true; wait "$SEED_PID" 2>/dev/null || true; die "interrupted during the $step step: its rows are rolled back, ./socnet up redoes it"' INT TERM
  wait "$SEED_PID" || rc=$?
  trap - INT TERM
  if [ $rc != 0 ]; then
    local cause; cause=$(grep -m1 -E "^(seed|seed-graph|import|socnet-tools): " "$logfile" || grep -m1 -oE '"message":"[^"]{1,300}' "$logfile" | cut -c12- || true)
    die "the $step step failed: ${cause:-see $logfile} (full output: $logfile; ./socnet up redoes the step)"
  fi
  grep -v '^{' "$logfile" >&2 || true
  [ "$(seed_step_state "$step")" = done ] || die "the $step step ended without recording its completion, see $logfile"
}
