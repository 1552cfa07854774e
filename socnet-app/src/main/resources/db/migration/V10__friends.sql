-- The follow graph (issue #4). A row means follower_id follows followee_id: PUT /friend/set/{user_id}
-- by the caller inserts (caller, user_id). The design sketch called the columns (user_id, friend_id);
-- follower/followee is what the code, the docs and the feed say (docs/decisions/0004-feed-fan-out.md).
create table friends (
    follower_id uuid        not null references users (id),
    followee_id uuid        not null references users (id),
    created_at  timestamptz not null default now(),
    primary key (follower_id, followee_id),
    constraint friends_not_self check (follower_id <> followee_id)
);

-- The other direction: the followers of an author, in follower_id order. The fan-out on write reads
-- them in keyset batches ("followee_id = ? and follower_id > ? order by follower_id limit ?"), and
-- the celebrity check counts them. The primary key serves "whom does a user follow".
create index friends_followee_follower_idx on friends (followee_id, follower_id);
