-- Posts (issue #4; contract schema "Post"). id is a UUIDv7 whose first 48 bits are created_at in
-- milliseconds, so (created_at, id) orders posts the same way as the feed's Redis scores and members.
-- Deleting a post deletes its row: a deleted and a never-existing post both answer 404.
create table posts (
    id         uuid        primary key,
    author_id  uuid        not null references users (id),
    text       text        not null,
    created_at timestamptz not null,
    updated_at timestamptz,
    -- The API's documented limit (dev.socnet.post.PostText.MAX_CHARS): 1..5000 characters.
    constraint posts_text_length check (char_length(text) between 1 and 5000)
);

-- An author's posts, newest first: every feed query (fill of a cached feed, the feed served from
-- PostgreSQL when Redis is down, a celebrity's timeline) walks this index per followee and stops
-- after the first N entries. id is in the key so that ties on created_at order like the feed does,
-- and so that the id-only timeline reads are index-only scans.
create index posts_author_created_idx on posts (author_id, created_at desc, id desc);
