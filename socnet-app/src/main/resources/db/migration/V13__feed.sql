-- Feed bookkeeping (issue #4, dev.socnet.feed).

-- Celebrities: authors whose posts are not fanned out on write but merged into their followers'
-- feeds at read time. A user is crowned when a follow takes them past
-- socnet.feed.celebrity-threshold-followers, and stays a celebrity (sticky): posts they made while
-- not fanned out must keep being merged, or they would vanish from feeds if followers left.
create table celebrities (
    user_id    uuid        primary key references users (id),
    crowned_at timestamptz not null
);

-- Whose feed was filled into Redis, and when: the startup warm-up refills the feeds of users whose
-- feed was filled within socnet.feed.home-ttl (the recently active ones), newest first, bounded.
create table feed_homes (
    user_id      uuid        primary key references users (id),
    populated_at timestamptz not null
);
-- Warm-up: "where populated_at > now() - ttl order by populated_at desc limit N".
create index feed_homes_populated_idx on feed_homes (populated_at desc);
