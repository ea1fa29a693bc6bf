-- Knowledge contests. Instants the hot path writes are in milliseconds
-- (durations decide ties); round windows are seconds like every other
-- instant. Attempt ids are allocated by the server (the attempt token is
-- signed before the row is committed), so they are given explicitly.
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE contests (
    id @ID@,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    question_set TEXT NOT NULL,
    time_limit_secs BIGINT NOT NULL,
    attempt_policy TEXT NOT NULL,
    ranking_rules TEXT NOT NULL,
    prediction TEXT NOT NULL,
    min_age BIGINT NOT NULL,
    localities TEXT NOT NULL,
    required_fields TEXT NOT NULL,
    round_quotas TEXT NOT NULL,
    overall_quotas TEXT NOT NULL,
    collective_count BIGINT NOT NULL,
    consent_text TEXT NOT NULL,
    retention_days BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE TABLE contest_rounds (
    id @ID@,
    contest_id BIGINT NOT NULL REFERENCES contests(id),
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    truth BIGINT,
    ranked_at BIGINT,
    UNIQUE (contest_id, number)
);
CREATE TABLE contest_questions (
    id @ID@,
    contest_id BIGINT NOT NULL REFERENCES contests(id),
    text TEXT NOT NULL,
    options TEXT NOT NULL,
    correct BIGINT NOT NULL,
    topic TEXT NOT NULL,
    difficulty BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX contest_questions_contest ON contest_questions(contest_id);
CREATE TABLE contest_participants (
    id @KEY@,
    contest_id BIGINT NOT NULL REFERENCES contests(id),
    full_name TEXT NOT NULL,
    birth_year BIGINT,
    phone TEXT,
    id_number TEXT,
    unit_id BIGINT REFERENCES units(id),
    workplace TEXT NOT NULL,
    consent_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (contest_id, phone),
    UNIQUE (contest_id, id_number)
);
CREATE TABLE contest_attempts (
    id @KEY@,
    round_id BIGINT NOT NULL REFERENCES contest_rounds(id),
    participant_id BIGINT NOT NULL REFERENCES contest_participants(id),
    seed BIGINT NOT NULL,
    started_ms BIGINT NOT NULL
);
CREATE INDEX contest_attempts_round ON contest_attempts(round_id, participant_id);
CREATE TABLE contest_submissions (
    attempt_id @KEY@ REFERENCES contest_attempts(id),
    round_id BIGINT NOT NULL REFERENCES contest_rounds(id),
    participant_id BIGINT NOT NULL REFERENCES contest_participants(id),
    score BIGINT NOT NULL,
    prediction BIGINT,
    duration_ms BIGINT NOT NULL,
    submitted_ms BIGINT NOT NULL,
    answers TEXT NOT NULL,
    receipt TEXT NOT NULL
);
CREATE INDEX contest_submissions_round ON contest_submissions(round_id, attempt_id);
CREATE TABLE contest_drafts (
    attempt_id @KEY@ REFERENCES contest_attempts(id),
    answers TEXT NOT NULL,
    prediction BIGINT,
    saved_ms BIGINT NOT NULL
);
CREATE TABLE contest_populations (
    contest_id BIGINT NOT NULL REFERENCES contests(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    population BIGINT NOT NULL,
    PRIMARY KEY (contest_id, unit_id)
);
-- Proposed and published winners: per round, or overall when round_id is
-- NULL; individual prizes name a participant, collective prizes a unit.
CREATE TABLE contest_results (
    id @ID@,
    contest_id BIGINT NOT NULL REFERENCES contests(id),
    round_id BIGINT REFERENCES contest_rounds(id),
    kind TEXT NOT NULL,
    position BIGINT NOT NULL,
    tier TEXT NOT NULL,
    participant_id BIGINT REFERENCES contest_participants(id),
    unit_id BIGINT REFERENCES units(id),
    score BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    detail TEXT NOT NULL,
    published_at BIGINT
);
CREATE INDEX contest_results_round ON contest_results(contest_id, round_id);
