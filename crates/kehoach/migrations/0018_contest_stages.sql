-- Stages: weekly rounds lead to a final. The contest declares how rounds
-- combine (the best round, the sum, or the number of perfect rounds) and how
-- many go through (0: no final; the rule then makes the overall ranking). A
-- round is a weekly round or the final, played online by the finalists or
-- scored by a jury (an essay or an on-site final).
ALTER TABLE contests ADD COLUMN qualify_by TEXT NOT NULL DEFAULT 'sum';
ALTER TABLE contests ADD COLUMN finalists BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contest_rounds ADD COLUMN stage TEXT NOT NULL DEFAULT 'weekly';
CREATE TABLE contest_finalists (
    contest_id BIGINT NOT NULL REFERENCES contests(id),
    participant_id BIGINT NOT NULL REFERENCES contest_participants(id),
    place BIGINT NOT NULL,
    PRIMARY KEY (contest_id, participant_id)
);
CREATE TABLE contest_jury_scores (
    round_id BIGINT NOT NULL REFERENCES contest_rounds(id),
    participant_id BIGINT NOT NULL REFERENCES contest_participants(id),
    score BIGINT NOT NULL,
    entered_by BIGINT NOT NULL REFERENCES users(id),
    entered_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, participant_id)
);
