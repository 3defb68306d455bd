-- Lead Provider API v3 data model (issue 3): being written.
SELECT 1;
