-- Contest rules that are the regulation's to declare: which attempt counts,
-- how a tie across a prize or qualification boundary is settled (the
-- lottery's seed is drawn once, when the contest is created, and shown with
-- the rules), and the minimum score for a prize. Contests created before
-- keep what they did: the best score reached first.
ALTER TABLE contests ADD COLUMN counted_attempt TEXT NOT NULL DEFAULT 'best-earliest';
ALTER TABLE contests ADD COLUMN tie_policy TEXT NOT NULL DEFAULT 'decide';
ALTER TABLE contests ADD COLUMN min_prize_score BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN tie_seed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contest_results ADD COLUMN prediction BIGINT;
ALTER TABLE contest_results ADD COLUMN submitted_ms BIGINT;
-- The whole ranking as the last run computed it (round_key is the round's
-- id, 0 for the overall ranking): the office pages through it and exports
-- it, and it cannot drift from the prizes stored beside it.
CREATE TABLE contest_standings (
    contest_id BIGINT NOT NULL REFERENCES contests(id),
    round_key BIGINT NOT NULL,
    line BIGINT NOT NULL,
    place BIGINT NOT NULL,
    tied BIGINT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES contest_participants(id),
    score BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    prediction BIGINT,
    submitted_ms BIGINT NOT NULL,
    attempt_no BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    tier TEXT NOT NULL,
    PRIMARY KEY (contest_id, round_key, line)
);
-- Ties across a boundary found by the last ranking, and how each was
-- settled; replaced with the results.
CREATE TABLE contest_ties (
    id @ID@,
    contest_id BIGINT NOT NULL REFERENCES contests(id),
    round_key BIGINT NOT NULL,
    place BIGINT NOT NULL,
    tier TEXT NOT NULL,
    next_tier TEXT,
    slots BIGINT NOT NULL,
    candidates TEXT NOT NULL,
    chosen TEXT NOT NULL,
    settled TEXT NOT NULL
);
CREATE INDEX contest_ties_round ON contest_ties (contest_id, round_key);
-- The office's decisions on ties, kept across rankings: a decision applies
-- again only to exactly the same candidates.
CREATE TABLE contest_tie_decisions (
    contest_id BIGINT NOT NULL REFERENCES contests(id),
    round_key BIGINT NOT NULL,
    candidates TEXT NOT NULL,
    chosen TEXT NOT NULL,
    reason TEXT NOT NULL,
    decided_by BIGINT NOT NULL REFERENCES users(id),
    decided_at BIGINT NOT NULL,
    PRIMARY KEY (contest_id, round_key, candidates)
);
