-- Profiles of the social network (contract schema "User") plus the BCrypt password hash.
-- id: UUIDv7 for users registered through the API (time-ordered, btree friendly);
-- generated and imported users get UUIDv7 too.
create table users (
    id            uuid        primary key,
    first_name    text        not null,
    second_name   text        not null,
    birthdate     date        not null,
    biography     text,
    city          text,
    password_hash text        not null,
    created_at    timestamptz not null default now()
);
