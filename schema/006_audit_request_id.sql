-- Request ids are up to 128 characters (nginx passes the client's X-Request-Id; the
-- dispatcher accepts up to 128, and mentor_events.request_id is VARCHAR(128)), but
-- audit_events.request_id was 64: an action with a longer id would fail its audit insert
-- and answer 500. Same width as mentor_events.
ALTER TABLE audit_events MODIFY request_id VARCHAR(128) CHARACTER SET ascii NULL;
