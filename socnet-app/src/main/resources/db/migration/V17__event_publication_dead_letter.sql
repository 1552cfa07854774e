-- Outbox publications that kept failing: after socnet.feed.outbox.max-attempts resubmissions an
-- incomplete publication is moved here from event_publication (dev.socnet.feed.OutboxResubmission), so a
-- poison event stops taking resubmission slots. Same columns as event_publication plus when it moved.
-- To run one again: insert it back into event_publication with completion_attempts reset (docs/feed.md).
CREATE TABLE IF NOT EXISTS event_publication_dead_letter
(
  id                     UUID NOT NULL,
  listener_id            TEXT NOT NULL,
  event_type             TEXT NOT NULL,
  serialized_event       TEXT NOT NULL,
  publication_date       TIMESTAMP WITH TIME ZONE NOT NULL,
  status                 TEXT,
  completion_attempts    INT,
  last_resubmission_date TIMESTAMP WITH TIME ZONE,
  dead_lettered_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  PRIMARY KEY (id)
);
