-- Implementation tracking: what units did (activities), the periods the
-- office asks reports for, and each unit's report for a period.

CREATE TABLE activities (
    id @ID@,
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    duty_id BIGINT REFERENCES duties(id) ON DELETE SET NULL,
    channel_id BIGINT REFERENCES channels(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    folded_title TEXT NOT NULL,
    date_from TEXT NOT NULL,
    date_to TEXT,
    link TEXT,
    items BIGINT NOT NULL,
    participants BIGINT NOT NULL,
    reach BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX activities_plan_unit ON activities(plan_id, unit_id, date_from);
CREATE INDEX activities_plan_date ON activities(plan_id, date_from);

CREATE TABLE activity_themes (
    activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    theme_id BIGINT NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, theme_id)
);
CREATE INDEX activity_themes_theme ON activity_themes(theme_id);

CREATE TABLE periods (
    id @ID@,
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX periods_plan ON periods(plan_id, starts_on);

CREATE TABLE reports (
    id @ID@,
    period_id BIGINT NOT NULL REFERENCES periods(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    status TEXT NOT NULL,
    results TEXT NOT NULL,
    shortcomings TEXT NOT NULL,
    proposals TEXT NOT NULL,
    office_comment TEXT,
    submitted_at BIGINT,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id)
);
CREATE UNIQUE INDEX reports_period_unit ON reports(period_id, unit_id);
