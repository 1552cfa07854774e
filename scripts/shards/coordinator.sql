-- The coordinator of the dialog shards (database "dialogs" on :SOCNET_DIALOGS_PG_PORT), run as the
-- superuser by scripts/lib/dialogs.sh on every `./socnet up` (idempotent). psql variables:
--   :app_user  the role the socnet-dialogs service connects as (SOCNET_DB_USER)
--
-- What lives here is routing, not rows: dialog_messages is PARTITION BY HASH (dialog_id) into
-- partitions that are postgres_fdw foreign tables on the workers (created by dialogs.sh, one per
-- remainder, see partition.sql for the worker side). Which worker holds a partition is the
-- foreign table's server (pg_foreign_table.ftserver): the catalog is the placement map, there is
-- no second copy of it to keep in step.

create extension if not exists postgres_fdw;
-- dblink: the cut-over (shard_cutover below) asks the source worker for its WAL position and its
-- replication slot's progress from inside the coordinator's cut-over transaction.
create extension if not exists dblink;

-- No primary key on the parent: PostgreSQL refuses a unique index on a partitioned table whose
-- partitions are foreign tables. Each worker's partition table carries primary key (dialog_id, id),
-- and (dialog_id, id) is unique overall because one dialog_id hashes to exactly one partition.
create table if not exists dialog_messages (
    dialog_id  uuid        not null, -- murmur3-128 of the ordered pair of user ids (socnet-dialogs DialogId)
    id         uuid        not null, -- UUIDv7: time-ordered, the page cursor
    from_user  uuid        not null,
    to_user    uuid        not null,
    text       text        not null,
    created_at timestamptz not null  -- the UUIDv7's millisecond timestamp
) partition by hash (dialog_id);

grant select, insert on dialog_messages to :"app_user";

-- How the service's queries are planned (the role's settings in this database, so every connection
-- gets them). EXPLAIN of both queries: docs/dialogs.md.
--  * plan_cache_mode: plan each execution for its actual dialog_id, so the planner prunes to the
--    one partition; a generic plan (PgJDBC's server-side prepared statements get one after 5
--    executions) would list all 32 foreign partitions and prune only at run time.
--  * enable_sort = off: a dialog's page is "order by id desc limit n"; without this the planner,
--    expecting a few rows per dialog, fetches the whole dialog and sorts it here. With it, ORDER BY
--    goes to the worker (a backward scan of the partition's primary key) and the coordinator stops
--    after the first n rows of the first FETCH (postgres_fdw fetch_size, 100 rows). The service
--    sends no other query that sorts.
alter role :"app_user" in database dialogs set plan_cache_mode = force_custom_plan;
alter role :"app_user" in database dialogs set enable_sort = off;

-- One row per partition move (`./socnet shards move|rebalance|remove-worker`). A move in state
-- 'copying' has not switched yet: the source placement serves, and the move can be resumed or rolled
-- back. 'switched' is written by shard_cutover in the same transaction that swaps the foreign
-- partition, so the state can never disagree with the placement.
create table if not exists shard_moves (
    id              bigint generated always as identity primary key,
    partition_table text        not null,
    source_worker   text        not null,
    target_worker   text        not null,
    state           text        not null default 'copying'
                    check (state in ('copying', 'switched', 'done', 'rolled_back')),
    started_at      timestamptz not null default now(),
    switched_at     timestamptz,
    finished_at     timestamptz,
    cutover_attempts int        not null default 0,
    -- rows of the partition when its copy started (count on the source)
    rows_at_start   bigint,
    -- the cut-over, ms: waiting for the lock on dialog_messages, then for the subscription to reach
    -- the source's final WAL position; writes (and reads) of dialog_messages wait for their sum
    lock_wait_ms    numeric,
    catchup_wait_ms numeric,
    blocked_ms      numeric
);

-- At most one unfinished move per partition.
create unique index if not exists shard_moves_open_partition
    on shard_moves (partition_table) where state in ('copying', 'switched');

-- The cut-over of a move, called inside the caller's transaction (BEGIN; CALL shard_cutover(...);
-- COMMIT) so that the swap and the state change commit together or not at all:
--   1. lock dialog_messages (ACCESS EXCLUSIVE): new statements queue, running ones finish first
--      (waits at most p_lock_timeout_ms, else the call fails and nothing changed);
--   2. read the source worker's current WAL position: no more writes can reach the partition;
--   3. wait until the subscription's slot has confirmed that position (at most
--      p_catchup_timeout_ms, else the call fails and nothing changed);
--   4. replace the foreign partition: detach and drop the one on the source server, create the
--      same bound on the target server (DETACH needs the ACCESS EXCLUSIVE lock of step 1 anyway);
--   5. mark the move 'switched' with its timings.
-- p_source_conninfo: a libpq connection string to the source worker's "dialogs" database as a
-- superuser (dblink); p_slot: the subscription's replication slot on the source.
create or replace procedure shard_cutover(p_move_id bigint, p_source_conninfo text, p_slot text,
                                          p_lock_timeout_ms int, p_catchup_timeout_ms int)
language plpgsql as $$
declare
    v_move       shard_moves;
    v_bound      text;
    v_server     name;
    v_start      timestamptz := clock_timestamp();
    v_locked     timestamptz;
    v_caught_up  timestamptz;
    v_final_lsn  pg_lsn;
    v_confirmed  pg_lsn;
begin
    select * into strict v_move from shard_moves where id = p_move_id and state = 'copying' for update;
    select s.srvname, pg_get_expr(c.relpartbound, c.oid)
      into strict v_server, v_bound
      from pg_class c
      join pg_foreign_table ft on ft.ftrelid = c.oid
      join pg_foreign_server s on s.oid = ft.ftserver
     where c.oid = v_move.partition_table::regclass;
    if v_server <> v_move.source_worker then
        raise exception 'shard_cutover: % is on %, not on the move''s source %',
            v_move.partition_table, v_server, v_move.source_worker;
    end if;

    perform set_config('lock_timeout', p_lock_timeout_ms || 'ms', true);
    lock table dialog_messages in access exclusive mode;
    v_locked := clock_timestamp();

    perform dblink_connect('shard_cutover_source', p_source_conninfo);
    select lsn into strict v_final_lsn
      from dblink('shard_cutover_source', 'select pg_current_wal_lsn()') as t(lsn pg_lsn);
    loop
        select lsn into v_confirmed
          from dblink('shard_cutover_source',
                      format('select confirmed_flush_lsn from pg_replication_slots where slot_name = %L', p_slot))
               as t(lsn pg_lsn);
        if v_confirmed is null then
            raise exception 'shard_cutover: no replication slot % on the source', p_slot;
        end if;
        exit when v_confirmed >= v_final_lsn;
        if clock_timestamp() > v_locked + make_interval(secs => p_catchup_timeout_ms / 1000.0) then
            raise exception 'shard_cutover: the subscription confirmed % of %, not the final position, within % ms',
                v_confirmed, v_final_lsn, p_catchup_timeout_ms;
        end if;
        perform pg_sleep(0.001);
    end loop;
    v_caught_up := clock_timestamp();
    perform dblink_disconnect('shard_cutover_source');

    execute format('alter table dialog_messages detach partition %I', v_move.partition_table);
    execute format('drop foreign table %I', v_move.partition_table);
    execute format('create foreign table %I partition of dialog_messages %s server %I options (table_name %L)',
                   v_move.partition_table, v_bound, v_move.target_worker, v_move.partition_table);

    update shard_moves
       set state = 'switched', switched_at = clock_timestamp(),
           lock_wait_ms = round(extract(epoch from v_locked - v_start) * 1000, 1),
           catchup_wait_ms = round(extract(epoch from v_caught_up - v_locked) * 1000, 1),
           blocked_ms = round(extract(epoch from clock_timestamp() - v_start) * 1000, 1)
     where id = p_move_id;
end;
$$;
