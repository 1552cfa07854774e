-- Retry-safe writes (issue 13): the first outcome of each request sent with an Idempotency-Key header,
-- per user and key (dev.socnet.idempotency.IdempotentRequests). A repeat within the retention
-- (socnet.idempotency.retention, 24 h) gets that outcome back instead of doing the work again; a
-- key reused for a different request (another request_hash) is refused. Older rows are purged.
create table idempotency_keys (
    user_id         uuid        not null,
    -- as the client sent it: 1..255 visible ASCII characters (dev.socnet.idempotency.IdempotencyKey)
    idempotency_key text        not null check (octet_length(idempotency_key) between 1 and 255),
    -- SHA-256 of the request (operation and body fields): a repeat must be the very same request
    request_hash    bytea       not null,
    -- what the first request created (a post id); set in the same transaction that claims the key
    resource_id     uuid,
    created_at      timestamptz not null default now(),
    -- insert-first: a concurrent duplicate waits on this key until the first commits, then reads it
    primary key (user_id, idempotency_key)
);

-- The purge of expired keys (delete ... where created_at < now() - retention) walks this index.
create index idempotency_keys_created_at_idx on idempotency_keys (created_at);
