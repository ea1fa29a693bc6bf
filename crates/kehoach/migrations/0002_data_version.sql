-- A counter every audited write bumps in its own transaction. Pages cache
-- what they read from the database under the counter's value, so a write by
-- any process or server invalidates every cache at once.
CREATE TABLE data_version (
    id BIGINT PRIMARY KEY,
    n BIGINT NOT NULL
);
INSERT INTO data_version (id, n) VALUES (1, 0);
