-- Seed steps (dev.socnet.seed.SeedSteps): which bulk-load steps of `./socnet up` ran to the end.
-- A step's row gets started_at when it begins (autocommit) and completed_at in the same transaction
-- as its data, so "completed" means "the data is there" and a step interrupted midway (its data
-- rolled back) shows started_at without completed_at; `./socnet up` redoes it.
create table seed_steps (
    step         text        primary key check (step in ('users', 'graph')),
    started_at   timestamptz not null,
    completed_at timestamptz,
    -- what the step loaded, one line, e.g. "1000000 users" or "34512345 follows, 2000000 posts"
    detail       text
);

-- Databases seeded before this table existed: their data says which steps completed.
insert into seed_steps (step, started_at, completed_at, detail)
select 'users', now(), now(), 'recorded by V14 from existing rows' where exists (select 1 from users);
insert into seed_steps (step, started_at, completed_at, detail)
select 'graph', now(), now(), 'recorded by V14 from existing rows' where exists (select 1 from friends);
