-- In-app notices and the reminders that produced them. A reminder is sent
-- once per period, unit and kind (before the due date, or overdue).

ALTER TABLE users ADD COLUMN email TEXT;

CREATE TABLE notices (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notices_user ON notices(user_id, created_at);

CREATE TABLE reminders_sent (
    period_id BIGINT NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (period_id, unit_id, kind)
);

-- The secret part of a unit's calendar feed URL (.ics); a capability for
-- low-sensitivity dates, regenerated to revoke.
ALTER TABLE units ADD COLUMN feed_token TEXT;
CREATE UNIQUE INDEX units_feed_token ON units(feed_token);

-- Folded words of each activity's title: search finds activities by word
-- through this index on both engines, without scanning every title.
CREATE TABLE activity_words (
    word TEXT NOT NULL,
    activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, word)
);
CREATE INDEX activity_words_word ON activity_words(word, activity_id);
