-- The participant as its provider sees it, rendered when the row is rebuilt
-- (db_teacher_metadata_rebuild), so GET /participants/{id} is one indexed read and a page
-- is one index range plus the page's rows. `api_json` is the resource object's JSON with
-- byte 0x01 markers where a value depends on the day or on data the row does not own
-- (updated_at, participant_status, mentor_id, the cohort's uplift switch); `api_slots`
-- holds what those values are computed from (schema/README.md, "Participant documents").
-- NULL (rows from before this migration, or written set-based by a seed) means "not built
-- yet": readers build it on the fly and `ecfctl refresh` stores it.
ALTER TABLE teacher_lead_providers
  ADD COLUMN api_json MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  ADD COLUMN api_slots TEXT CHARACTER SET ascii COLLATE ascii_bin NULL;
