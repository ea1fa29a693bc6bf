-- One schema for SQLite and PostgreSQL. Portable types only:
-- BIGINT for integers, flags (0/1) and instants (Unix seconds, UTC);
-- TEXT for strings and calendar dates (YYYY-MM-DD).
-- @ID@ is the only per-engine token: an auto-incrementing BIGINT primary key.

CREATE TABLE units (
    id @ID@,
    name TEXT NOT NULL,
    short_name TEXT,
    parent_id BIGINT REFERENCES units(id),
    folded_name TEXT NOT NULL,
    confirmed BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX units_folded_name ON units(folded_name);

CREATE TABLE unit_aliases (
    id @ID@,
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    folded_alias TEXT NOT NULL
);
CREATE UNIQUE INDEX unit_aliases_folded ON unit_aliases(folded_alias);

CREATE TABLE unit_groups (
    id @ID@,
    name TEXT NOT NULL,
    folded_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX unit_groups_folded_name ON unit_groups(folded_name);

CREATE TABLE unit_group_members (
    group_id BIGINT NOT NULL REFERENCES unit_groups(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, unit_id)
);

CREATE TABLE users (
    id @ID@,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users(username);

CREATE TABLE user_units (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, unit_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE plans (
    id @ID@,
    status TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT,
    issuer TEXT,
    place TEXT,
    doc_date TEXT,
    title TEXT NOT NULL,
    year BIGINT,
    source_name TEXT NOT NULL,
    source_text TEXT NOT NULL,
    parsed_json TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    published_at BIGINT
);

CREATE TABLE themes (
    id @ID@,
    plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    line BIGINT
);
CREATE INDEX themes_plan ON themes(plan_id, position);

CREATE TABLE channels (
    id @ID@,
    plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    number TEXT NOT NULL,
    parent_number TEXT,
    text TEXT NOT NULL,
    line BIGINT
);
CREATE INDEX channels_plan ON channels(plan_id, position);

CREATE TABLE duties (
    id @ID@,
    plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    source_unit TEXT NOT NULL,
    deadline TEXT,
    deadline_text TEXT,
    line BIGINT
);
CREATE INDEX duties_plan ON duties(plan_id, position);

-- One row per unit a duty is handed to; each unit tracks its own status.
CREATE TABLE assignments (
    id @ID@,
    duty_id BIGINT NOT NULL REFERENCES duties(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    status_note TEXT,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX assignments_duty_unit ON assignments(duty_id, unit_id);
CREATE INDEX assignments_unit ON assignments(unit_id);

-- Every write, in the same transaction as the write. After a plan is
-- published its rows (plan_id set) are the plan's version history.
CREATE TABLE audit_log (
    id @ID@,
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    plan_id BIGINT,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_plan ON audit_log(plan_id, at);
