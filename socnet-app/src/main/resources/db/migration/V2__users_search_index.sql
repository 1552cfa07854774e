-- People search: case-insensitive prefix match on both names, see docs/benchmarks/search.md
-- for the EXPLAIN ANALYZE plans that chose this index.
--
-- lower() runs under the database collation (C.UTF-8, so Cyrillic is lowered correctly); the result
-- is relabelled COLLATE "C" so that LIKE 'prefix%' becomes an index range scan (PostgreSQL only turns
-- LIKE into a range for the C collation or *_pattern_ops). second_name leads because surnames are far
-- more selective than first names; id completes the key so the search order (surname, first name, id)
-- is read straight off the index and LIMIT stops the scan early.
create index users_name_prefix_idx on users (
    (lower(second_name) collate "C"),
    (lower(first_name) collate "C"),
    id
);
