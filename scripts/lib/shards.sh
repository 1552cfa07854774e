# shellcheck shell=bash
# ./socnet shards ... (issue #11, docs/dialogs.md): thin wrappers over Citus' own functions on the
# dialog coordinator. Citus keeps the placement (pg_dist_placement), moves shards (logical replication:
# copy, catch-up, then writes to the moving shard blocked for its final catch-up) and cleans up after
# itself (pg_dist_cleanup); nothing here moves rows or keeps state of its own. Node lifecycle (create,
# start, stop a worker): scripts/lib/dialogs.sh.

# Citus' shard transfer mode for every move here: logical replication, so reads and writes of a moving
# shard go on during the copy (force_logical fails rather than falling back to blocking writes).
SHARDS_TRANSFER_MODE=${SHARDS_TRANSFER_MODE:-force_logical}
# Balance shard counts (within one per worker); Citus' default, by_disk_size, balances bytes.
SHARDS_REBALANCE_STRATEGY=${SHARDS_REBALANCE_STRATEGY:-by_shard_count}

shards_usage() {
  cat <<USAGE
Usage: ./socnet shards COMMAND

  status                     shard -> worker, rows and bytes per shard (citus_shards) and per worker
  add-worker                 create and start the next worker (worker3 on :$(dlg_port worker3), ...) and register
                             it (citus_add_node); it holds no shard until a rebalance
  rebalance                  move shards online until every worker holds as many as the others, within one
                             (citus_rebalance_start, progress from citus_rebalance_status)
  drain WORKER               move every shard off WORKER online, and no new ones onto it (citus_drain_node)
  remove-worker WORKER       drain WORKER, unregister it (citus_remove_node), stop it and delete its data
  hot [N]                    the N (10) dialogs with the most queries in the current and last period of
                             Citus' per-tenant statistics (citus_stat_tenants), with their shard and worker
  isolate DIALOG_ID [WORKER] move one dialog into a shard of its own (isolate_tenant_to_new_shard), online,
                             then that shard onto WORKER (citus_move_shard_placement)
USAGE
}

cmd_shards() {
  local sub=${1:-status}; [ $# -gt 0 ] && shift
  case $sub in
    status) shards_require_up; shards_status ;;
    add-worker) shards_locked shards_add_worker ;;
    rebalance) shards_locked shards_rebalance ;;
    drain) [ $# -eq 1 ] || die "usage: ./socnet shards drain WORKER"; shards_locked shards_drain "$1" ;;
    remove-worker) [ $# -eq 1 ] || die "usage: ./socnet shards remove-worker WORKER"; shards_locked shards_remove_worker "$1" ;;
    hot) shards_require_up; shards_hot "${1:-10}" ;;
    isolate) [ $# -ge 1 ] && [ $# -le 2 ] || die "usage: ./socnet shards isolate DIALOG_ID [WORKER]"; shards_locked shards_isolate "$@" ;;
    help|-h|--help) shards_usage ;;
    *) shards_usage; die "unknown shards command: $sub" ;;
  esac
}

shards_require_up() {
  dlg_ready coordinator || die "the dialogs coordinator is down: run ./socnet up"
  local w
  for w in $(dlg_workers); do dlg_ready "$w" || die "dialogs $w is down: ./socnet dialogs start $w (or ./socnet up)"; done
}

# shards_locked FUNCTION ARGS...: runs a changing command alone (one shard command at a time).
shards_locked() {
  mkdir -p "$LOCAL/run"
  (
    flock -w 600 8 || die "another shard command holds $LOCAL/run/shards.lock"
    shards_require_up
    "$@"
  ) 8>"$LOCAL/run/shards.lock"
}

shards_registered() { # WORKER: dies unless WORKER is registered on the coordinator
  [[ " $(dlg_workers | tr '\n' ' ') " == *" $1 "* ]] || die "$1 is not a registered worker ($(dlg_workers | tr '\n' ' '))"
}

shards_status() {
  printf '%-10s %-9s %7s %10s %12s  %s\n' SHARD WORKER PORT ROWS BYTES 'HASH RANGE'
  dlg_value coordinator "
    select s.shardid, s.nodeport, r.result, s.shard_size, i.shardminvalue || '..' || i.shardmaxvalue
      from citus_shards s
      join pg_dist_shard i using (shardid)
      left join run_command_on_shards('dialog_messages', 'select count(*) from %s') r using (shardid)
     where s.table_name = 'dialog_messages'::regclass
     order by i.shardminvalue::bigint" |
    while IFS='|' read -r shard port rows bytes range; do
      printf '%-10s %-9s %7s %10s %12s  %s\n' "$shard" "$(dlg_worker_of_port "$port")" "$port" "${rows:-?}" "$bytes" "$range"
    done
  echo
  printf '%-9s %-6s %-14s %7s %10s %12s\n' WORKER PORT SHOULDHAVESHARDS SHARDS ROWS BYTES
  dlg_value coordinator "
    with rows as (select shardid, result::bigint as n from run_command_on_shards('dialog_messages', 'select count(*) from %s'))
    select n.nodeport, n.shouldhaveshards, count(s.shardid), coalesce(sum(r.n), 0), coalesce(sum(s.shard_size), 0)
      from pg_dist_node n
      left join citus_shards s on s.nodeport = n.nodeport and s.table_name = 'dialog_messages'::regclass
      left join rows r on r.shardid = s.shardid
     where n.groupid <> 0
     group by n.nodeport, n.shouldhaveshards order by n.nodeport" |
    while IFS='|' read -r port should shards rows bytes; do
      printf '%-9s %-6s %-14s %7s %10s %12s\n' "$(dlg_worker_of_port "$port")" "$port" "$should" "$shards" "$rows" "$bytes"
    done
  local job
  job=$(dlg_value coordinator "select format('rebalance job %s: %s', job_id, state) from citus_rebalance_status()
                                 where state not in ('finished', 'cancelled', 'failed')" 2>/dev/null || true)
  [ -z "$job" ] || { echo; echo "$job"; }
}

shards_add_worker() {
  local n=1 taken
  taken=" $(dlg_workers | tr '\n' ' ') $(dlg_worker_dirs | tr '\n' ' ') "
  while [[ $taken == *" worker$n "* ]]; do n=$((n + 1)); done
  local worker=worker$n
  port_open "$(dlg_port "$worker")" && ! dlg_ready "$worker" && die "port $(dlg_port "$worker") of $worker is taken by something else"
  dlg_init_node "$worker"
  dlg_start_node "$worker"
  dlg_bootstrap_node "$worker"
  dlg_add_worker "$worker"
  log "$worker is up on :$(dlg_port "$worker") and registered (citus_add_node); it holds no shard yet: ./socnet shards rebalance"
  # its exporter and scrape target (scripts/lib/monitoring.sh)
  if declare -F monitoring_refresh >/dev/null; then monitoring_refresh; fi
  echo "$worker"
}

# Starts Citus' background rebalance and follows it (citus_rebalance_status) until it ends.
shards_rebalance() {
  local t0=$SECONDS job
  job=$(dlg_value coordinator "select citus_rebalance_start(rebalance_strategy => '$SHARDS_REBALANCE_STRATEGY',
                                                             shard_transfer_mode => '$SHARDS_TRANSFER_MODE')")
  if [ -z "$job" ]; then
    log "nothing to move: the shards are balanced ($(shards_per_worker))"
    return 0
  fi
  log "rebalance job $job started (citus_rebalance_start, $SHARDS_REBALANCE_STRATEGY, $SHARDS_TRANSFER_MODE)"
  shards_follow_job "$job"
  log "rebalanced in $((SECONDS - t0)) s: $(shards_per_worker)"
}

# Prints each change of the job's task counts; returns when the job has finished, dies when it failed.
shards_follow_job() { # JOB_ID
  local job=$1 line last='' state counts
  while true; do
    line=$(dlg_value coordinator "select state, coalesce(details->>'task_state_counts', '') from citus_rebalance_status()
                                    where job_id = $job")
    IFS='|' read -r state counts <<< "$line"
    if [ "$line" != "$last" ]; then
      log "  job $job: $state, tasks $counts; $(shards_per_worker)"
      last=$line
    fi
    case $state in
      finished) return 0 ;;
      failed|cancelled|failing|cancelling)
        dlg_value coordinator "select format('task %s: %s %s', task_id, status, message) from pg_dist_background_task
                                where job_id = $job and status not in ('done', 'runnable', 'blocked')" >&2 || true
        die "rebalance job $job $state (citus_rebalance_status); the shards not moved stay where they were" ;;
    esac
    sleep 1
  done
}

# "worker1 16, worker2 16": shards of dialog_messages per registered worker.
shards_per_worker() {
  local port n out=''
  while IFS='|' read -r port n; do
    [ -n "$port" ] && out+="${out:+, }$(dlg_worker_of_port "$port") $n"
  done < <(dlg_value coordinator "select n.nodeport, count(s.shardid) from pg_dist_node n
                                    left join citus_shards s on s.nodeport = n.nodeport and s.table_name = 'dialog_messages'::regclass
                                   where n.groupid <> 0 group by n.nodeport order by n.nodeport")
  echo "${out:-no workers}"
}

shards_drain() { # WORKER
  local worker=$1 t0=$SECONDS
  shards_registered "$worker"
  log "draining $worker (citus_drain_node, $SHARDS_TRANSFER_MODE): its shards move to the other workers, online"
  dlg_value coordinator "select citus_drain_node('127.0.0.1', $(dlg_port "$worker"),
                                                 shard_transfer_mode => '$SHARDS_TRANSFER_MODE',
                                                 rebalance_strategy => '$SHARDS_REBALANCE_STRATEGY')" >/dev/null
  log "$worker drained in $((SECONDS - t0)) s: $(shards_per_worker)"
}

shards_remove_worker() { # WORKER
  local worker=$1
  shards_registered "$worker"
  [ "$(dlg_workers | wc -l)" -gt 1 ] || die "$worker is the last worker"
  local held
  held=$(dlg_value coordinator "select count(*) from citus_shards where nodeport = $(dlg_port "$worker")")
  [ "$held" = 0 ] || shards_drain "$worker"
  # The placements left behind by the moves are dropped by Citus' maintenance daemon after a delay;
  # drop them now, then unregister.
  dlg_psql coordinator -c "call citus_cleanup_orphaned_resources()"
  dlg_value coordinator "select citus_remove_node('127.0.0.1', $(dlg_port "$worker"))" >/dev/null
  dlg_stop_node "$worker"
  rm -rf "$(dlg_dir "$worker")"
  log "$worker removed (citus_remove_node), stopped and deleted: $(shards_per_worker)"
  if declare -F monitoring_refresh >/dev/null; then monitoring_refresh; fi
}

# The dialogs with the most queries in Citus' per-tenant statistics (this period and the last,
# citus.stat_tenants_period = 60 s), each with its shard and worker.
shards_hot() { # N
  [[ $1 =~ ^[0-9]+$ ]] || die "usage: ./socnet shards hot [N]"
  printf '%-36s %8s %8s %8s %10s %-9s %s\n' DIALOG_ID QUERIES READS LAST_QUERIES SHARD WORKER 'OWN SHARD'
  dlg_value coordinator "
    with t as (select tenant_attribute as attribute, sum(query_count_in_this_period) as q, sum(read_count_in_this_period) as r,
                      sum(query_count_in_last_period) as ql
                 from citus_stat_tenants
                group by tenant_attribute
                order by sum(query_count_in_this_period) + sum(query_count_in_last_period) desc, tenant_attribute
                limit $1)
    select t.attribute, t.q, t.r, t.ql, s.shardid, s.nodeport, i.shardminvalue = i.shardmaxvalue
      from t
      cross join lateral get_shard_id_for_distribution_column('dialog_messages', t.attribute::uuid) as g(shardid)
      join citus_shards s on s.shardid = g.shardid
      join pg_dist_shard i on i.shardid = g.shardid
     order by t.q + t.ql desc, t.attribute" |
    while IFS='|' read -r dialog q r ql shard port own; do
      printf '%-36s %8s %8s %8s %10s %-9s %s\n' "$dialog" "$q" "$r" "$ql" "$shard" "$(dlg_worker_of_port "$port")" \
        "$([ "$own" = t ] && echo yes || echo no)"
    done
}

# Moves DIALOG_ID into a shard of its own (Citus splits its shard in three: the hash values below it,
# it, the ones above; online with logical replication), then that shard onto WORKER.
shards_isolate() { # DIALOG_ID [WORKER]
  local dialog=$1 target=${2:-}
  [[ $dialog =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]] \
    || die "DIALOG_ID must be a dialog id (a UUID, as ./socnet shards hot lists them): '$dialog'"
  [ -z "$target" ] || shards_registered "$target"
  local t0=$SECONDS line shard port own
  line=$(dlg_value coordinator "select g.shardid, s.nodeport, i.shardminvalue = i.shardmaxvalue
                                  from get_shard_id_for_distribution_column('dialog_messages', '$dialog'::uuid) g(shardid)
                                  join citus_shards s on s.shardid = g.shardid join pg_dist_shard i on i.shardid = g.shardid")
  IFS='|' read -r shard port own <<< "$line"
  if [ "$own" = t ]; then
    log "dialog $dialog has a shard of its own already: $shard on $(dlg_worker_of_port "$port")"
  else
    log "isolating dialog $dialog from shard $shard on $(dlg_worker_of_port "$port") (isolate_tenant_to_new_shard, $SHARDS_TRANSFER_MODE)"
    # the split decodes the source shard's WAL with Citus' own plugin: every node must allow it
    local node
    for node in coordinator $(dlg_workers); do dlg_ensure_output_plugins "$node"; done
    # CASCADE: the co-located dialog_idempotency_keys is split with it (Citus refuses otherwise), so a
    # dialog's keys stay on the worker of its messages (decision 0010)
    shard=$(dlg_value coordinator "select isolate_tenant_to_new_shard('dialog_messages', '$dialog'::uuid,
                                                                      cascade_option => 'CASCADE',
                                                                      shard_transfer_mode => '$SHARDS_TRANSFER_MODE')")
    port=$(dlg_value coordinator "select nodeport from citus_shards where shardid = $shard")
    log "dialog $dialog is alone in shard $shard on $(dlg_worker_of_port "$port")"
  fi
  if [ -n "$target" ] && [ "$(dlg_port "$target")" != "$port" ]; then
    log "moving shard $shard to $target (citus_move_shard_placement, $SHARDS_TRANSFER_MODE)"
    dlg_value coordinator "select citus_move_shard_placement($shard, '127.0.0.1', $port, '127.0.0.1', $(dlg_port "$target"),
                                                             shard_transfer_mode => '$SHARDS_TRANSFER_MODE')" >/dev/null
    port=$(dlg_port "$target")
  fi
  log "done in $((SECONDS - t0)) s: dialog $dialog in shard $shard on $(dlg_worker_of_port "$port")"
  echo "shard $shard $(dlg_worker_of_port "$port")"
}
