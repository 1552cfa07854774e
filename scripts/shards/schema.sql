-- The dialogs schema on the Citus coordinator (database "dialogs" on :SOCNET_DIALOGS_PG_PORT), run as
-- the superuser by scripts/lib/dialogs.sh on every `./socnet up` (idempotent). psql variables:
--   :app_user     the role the socnet-dialogs service connects as (SOCNET_DB_USER)
--   :shard_count  shards of dialog_messages when it is first distributed (32)
--
-- dialog_messages is a Citus distributed table on dialog_id: hash-distributed over :shard_count shards,
-- each a table dialog_messages_<shardid> on one worker (placement: pg_dist_placement, see
-- `./socnet shards status`). Every statement the service sends names one dialog_id, so the router
-- planner sends it whole to the one shard, where the primary key serves it.

create table if not exists dialog_messages (
    dialog_id  uuid        not null, -- murmur3-128 of the ordered pair of user ids (socnet-dialogs DialogId)
    id         uuid        not null, -- UUIDv7: time-ordered, the page cursor
    from_user  uuid        not null,
    to_user    uuid        not null,
    -- 1..4096 characters: the gateway's documented limit (dev.socnet.dialog.DialogText), checked again here
    text       text        not null check (char_length(text) between 1 and 4096),
    created_at timestamptz not null, -- the UUIDv7's millisecond timestamp
    -- contains the distribution column, so Citus enforces it per shard; serves the insert and a
    -- dialog's page newest first (a backward range scan)
    primary key (dialog_id, id)
);

select create_distributed_table('dialog_messages', 'dialog_id', shard_count => :shard_count)
 where not exists (select 1 from pg_dist_partition where logicalrelid = 'dialog_messages'::regclass);

-- Propagated to every shard by Citus.
grant select, insert on dialog_messages to :"app_user";

-- Idempotency keys of sends (issue 13; docs/decisions/0010-idempotency-keys.md): the first outcome of a
-- send that carried an Idempotency-Key, per dialog, sender and key, kept 24 h and then purged by the
-- service. Distributed on dialog_id and co-located with dialog_messages: a key and the message it
-- guards live on the same worker, so claiming the key, storing the message and recording the outcome
-- are one single-shard transaction there (no two-phase commit), and a key's primary key - which must
-- contain the distribution column - serialises concurrent duplicates on that worker.
create table if not exists dialog_idempotency_keys (
    dialog_id       uuid        not null,
    user_id         uuid        not null, -- the sender
    idempotency_key text        not null check (octet_length(idempotency_key) between 1 and 255),
    request_hash    bytea       not null, -- SHA-256 of the message text: a repeat must send the same text
    message_id      uuid,                 -- the stored message; set in the transaction that claims the key
    created_at      timestamptz not null default now(),
    primary key (dialog_id, user_id, idempotency_key)
);

select create_distributed_table('dialog_idempotency_keys', 'dialog_id', colocate_with => 'dialog_messages')
 where not exists (select 1 from pg_dist_partition where logicalrelid = 'dialog_idempotency_keys'::regclass);

-- The purge of expired keys (a multi-shard delete ... where created_at < now() - 24 h) walks this.
create index if not exists dialog_idempotency_keys_created_at_idx on dialog_idempotency_keys (created_at);

grant select, insert, update, delete on dialog_idempotency_keys to :"app_user";
