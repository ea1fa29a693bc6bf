-- A round may set its own time limit, paper, attempt policy and prediction
-- question; NULL is the contest's setting.
ALTER TABLE contest_rounds ADD COLUMN own_time_limit_secs BIGINT;
ALTER TABLE contest_rounds ADD COLUMN own_question_set TEXT;
ALTER TABLE contest_rounds ADD COLUMN own_attempt_policy TEXT;
ALTER TABLE contest_rounds ADD COLUMN own_prediction TEXT;
