-- A press agency's RSS/Atom feed and the articles fetched from it. Items
-- wait as offers until a member of the unit confirms one as an activity
-- (or dismisses it); the guid keeps a re-fetched article from coming back.
CREATE TABLE feeds (
    id @ID@,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    last_fetched_at BIGINT,
    last_error TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    UNIQUE (unit_id, plan_id, url)
);
CREATE TABLE feed_items (
    id @ID@,
    feed_id BIGINT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    guid TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT,
    published_on TEXT,
    summary TEXT NOT NULL,
    suggested_themes TEXT NOT NULL,
    status TEXT NOT NULL,
    activity_id BIGINT REFERENCES activities(id) ON DELETE SET NULL,
    fetched_at BIGINT NOT NULL,
    UNIQUE (feed_id, guid)
);
CREATE INDEX feed_items_feed_status ON feed_items(feed_id, status);
