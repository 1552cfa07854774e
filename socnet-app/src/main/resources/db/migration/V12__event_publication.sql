-- The transactional outbox: Spring Modulith's JDBC event publication registry. Copied verbatim from
-- the DDL that spring-modulith-events-jdbc 2.1.1 ships for PostgreSQL
-- (org/springframework/modulith/events/jdbc/schemas/v2/schema-postgresql.sql, the default "v2"
-- structure); the library's own schema initialisation stays off
-- (spring.modulith.events.jdbc.schema-initialization.enabled=false) so Flyway owns the schema.
-- The archive table is not created: completed publications are deleted
-- (spring.modulith.events.completion-mode=delete), so the table only holds outstanding ones.
CREATE TABLE IF NOT EXISTS event_publication
(
  id                     UUID NOT NULL,
  listener_id            TEXT NOT NULL,
  event_type             TEXT NOT NULL,
  serialized_event       TEXT NOT NULL,
  publication_date       TIMESTAMP WITH TIME ZONE NOT NULL,
  completion_date        TIMESTAMP WITH TIME ZONE,
  status                 TEXT,
  completion_attempts    INT,
  last_resubmission_date TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS event_publication_serialized_event_hash_idx ON event_publication USING hash(serialized_event);
CREATE INDEX IF NOT EXISTS event_publication_by_completion_date_idx ON event_publication (completion_date);
