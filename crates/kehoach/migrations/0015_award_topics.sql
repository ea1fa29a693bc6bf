-- Topic prizes the council gives beside the main tiers: a work may hold one
-- beside its main prize (awards::topics).
CREATE TABLE award_topic_awards (
    edition_id BIGINT NOT NULL REFERENCES award_editions(id),
    topic TEXT NOT NULL,
    entry_id BIGINT NOT NULL REFERENCES award_entries(id),
    reason TEXT NOT NULL,
    PRIMARY KEY (edition_id, topic, entry_id)
);
