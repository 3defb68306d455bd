-- Cohorts 2021-2026, their 12 schedules and milestone windows (issue 3): being written.
SELECT 1;
