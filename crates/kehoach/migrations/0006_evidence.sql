-- Evidence files of an activity (photos, PDFs, recordings). The bytes live
-- in the data folder under their SHA-256; the name is only shown, never used
-- as a path.
CREATE TABLE activity_files (
    id @ID@,
    activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX activity_files_activity ON activity_files(activity_id);
