-- Continuing on another device: every try to recover a registration, so
-- that tries are limited per person across every server (each is also in
-- the audit log).
CREATE TABLE contest_recoveries (
    id @ID@,
    participant_id BIGINT NOT NULL REFERENCES contest_participants(id),
    at BIGINT NOT NULL,
    ok BIGINT NOT NULL
);
CREATE INDEX contest_recoveries_participant ON contest_recoveries (participant_id, at);
