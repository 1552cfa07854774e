-- One partition of dialog_messages on a worker (database "dialogs"), run as the superuser by
-- scripts/lib/dialogs.sh when a partition is placed (bootstrap) and on the target of a move
-- (idempotent). psql variables:
--   :table     the partition's table, dialog_messages_pNN (NN = hash remainder, 00..31)
--   :pkey      its primary key's name, dialog_messages_pNN_pkey
--   :app_user  the role the coordinator's user mapping connects as (SOCNET_DB_USER)
--
-- The coordinator's foreign table of the same name routes here. Every query the dialogs service
-- sends carries dialog_id, and the coordinator pushes it down, so the primary key
-- (dialog_id, id) serves all of them: the insert, and a dialog's page, newest first
-- ("where dialog_id = $1 [and id < $2] order by id desc limit $3": a backward range scan of it).
create table if not exists :"table" (
    dialog_id  uuid        not null,
    id         uuid        not null,
    from_user  uuid        not null,
    to_user    uuid        not null,
    -- 1..4096 characters: the gateway's documented limit (dev.socnet.dialog.DialogText), checked again here
    text       text        not null check (char_length(text) between 1 and 4096),
    created_at timestamptz not null,
    constraint :"pkey" primary key (dialog_id, id)
);

grant select, insert on :"table" to :"app_user";
