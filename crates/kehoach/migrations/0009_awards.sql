-- Juried competitions (the provincial press award, poster and writing
-- contests). An edition's rules are parsed once into a settings document
-- (categories, tiers, criteria, ...) kept as JSON: they are read whole and
-- only ever changed whole. Files live in the blob store under their SHA-256;
-- the database keeps only the hash and what the upload was sniffed to be.
CREATE TABLE award_editions (
    id @ID@,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE award_entries (
    id @ID@,
    edition_id BIGINT NOT NULL REFERENCES award_editions(id),
    code TEXT NOT NULL,
    entrant_id BIGINT NOT NULL REFERENCES users(id),
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    outlet TEXT NOT NULL,
    folded_outlet TEXT NOT NULL,
    folded_title TEXT NOT NULL,
    published_on TEXT NOT NULL,
    link TEXT NOT NULL,
    summary TEXT NOT NULL,
    series_parts BIGINT NOT NULL,
    locality TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX award_entries_code ON award_entries(edition_id, code);
CREATE INDEX award_entries_entrant ON award_entries(entrant_id);

CREATE TABLE award_authors (
    entry_id BIGINT NOT NULL REFERENCES award_entries(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    real_name TEXT NOT NULL,
    pen_name TEXT NOT NULL,
    folded_name TEXT NOT NULL,
    PRIMARY KEY (entry_id, position)
);
CREATE INDEX award_authors_folded ON award_authors(folded_name);

CREATE TABLE award_files (
    id @ID@,
    entry_id BIGINT NOT NULL REFERENCES award_entries(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    original_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX award_files_entry ON award_files(entry_id);

CREATE TABLE award_judges (
    edition_id BIGINT NOT NULL REFERENCES award_editions(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    categories TEXT NOT NULL,
    outlet TEXT NOT NULL,
    final_council BIGINT NOT NULL,
    declared TEXT NOT NULL,
    PRIMARY KEY (edition_id, user_id)
);

-- stage: 'preliminary' or 'final'. A round is sealed when it closes.
CREATE TABLE award_rounds (
    id @ID@,
    edition_id BIGINT NOT NULL REFERENCES award_editions(id),
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    seal TEXT,
    closed_at BIGINT
);
CREATE UNIQUE INDEX award_rounds_stage ON award_rounds(edition_id, stage);

CREATE TABLE award_round_entries (
    round_id BIGINT NOT NULL REFERENCES award_rounds(id),
    entry_id BIGINT NOT NULL REFERENCES award_entries(id),
    PRIMARY KEY (round_id, entry_id)
);

CREATE TABLE award_assignments (
    round_id BIGINT NOT NULL REFERENCES award_rounds(id),
    entry_id BIGINT NOT NULL REFERENCES award_entries(id),
    judge_id BIGINT NOT NULL REFERENCES users(id),
    manual BIGINT NOT NULL,
    PRIMARY KEY (round_id, entry_id, judge_id)
);
CREATE INDEX award_assignments_judge ON award_assignments(judge_id, round_id);

CREATE TABLE award_scores (
    round_id BIGINT NOT NULL REFERENCES award_rounds(id),
    entry_id BIGINT NOT NULL REFERENCES award_entries(id),
    judge_id BIGINT NOT NULL REFERENCES users(id),
    marks_json TEXT NOT NULL,
    comment TEXT NOT NULL,
    total_milli BIGINT NOT NULL,
    submitted_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, entry_id, judge_id)
);

-- Every score save, in order, chained by SHA-256 (kehoach_award::seal).
CREATE TABLE award_score_log (
    round_id BIGINT NOT NULL REFERENCES award_rounds(id),
    seq BIGINT NOT NULL,
    entry_id BIGINT NOT NULL,
    judge_id BIGINT NOT NULL,
    payload TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (round_id, seq)
);

-- The council's decisions on the final ranking: the computed tier and the
-- decided one, with the reason whenever they differ.
CREATE TABLE award_prizes (
    edition_id BIGINT NOT NULL REFERENCES award_editions(id),
    entry_id BIGINT NOT NULL REFERENCES award_entries(id),
    position BIGINT NOT NULL,
    mean_milli BIGINT NOT NULL,
    computed_tier TEXT NOT NULL,
    tier TEXT NOT NULL,
    reason TEXT NOT NULL,
    forwarded BIGINT NOT NULL,
    PRIMARY KEY (edition_id, entry_id)
);
