/* teacher_lead_providers: the derived per (teacher, lead provider) rows of the Lead Provider
 * API v3 (schema/README.md, "teacher_lead_providers"), and the teacher's API updated_at. Both
 * are written inside the caller's transaction; neither begins or commits one.
 *
 * THE RULE FOR WRITE PATHS: after changing anything about a teacher that a participant shows
 * (the teacher row: name, TRN, eligibility, frozen years, mentor_became_ineligible_on ...;
 * school, training or induction periods; mentorships; id changes), call
 * db_teacher_metadata_rebuild() for that teacher in the same transaction, after the change
 * (db_teacher_touch() alone is enough only when nothing but updated_at moved). It rebuilds the
 * rows and the stored participant documents (migration 005) that GET /api/v3/participants
 * serves, and forgets the workers' shared page boundaries. A change the rebuild does not see
 * is served stale until the teacher's next rebuild. Schools and partnerships are immutable;
 * the cohort's uplift switch, participant_status and mentor_id are filled in at read time. */
#ifndef ECF_DB_DB_TEACHER_METADATA_H
#define ECF_DB_DB_TEACHER_METADATA_H

#include <stdint.h>

struct db;

/* Rebuilds every teacher_lead_providers row of teacher `teacher_pk` from their school periods,
 * training periods, mentorships, induction periods and declarations, as of `now_us` (the
 * request's clock: "current" mentorships and transfers depend on the day). Per lead provider
 * with a provider-led training period of the teacher: the latest ECT and mentor period
 * (greatest started_on, future ones included, ties -> greater id) and their cohorts, the
 * mentor school period of the ECT's earliest current-or-future mentorship in the latest ECT
 * period's school period, involved_in_school_transfer, other_lp_declarations (only ever set)
 * and copies of teachers.created_at/updated_at, and each row's participant document
 * (include/db/db_participant_docs.h; when the teacher holds mentor school periods moved in by a
 * merge, also the documents of their mentees, which show the mentor's id). Rows of providers
 * the teacher no longer has a period with are deleted (only a merge source loses periods).
 * Returns a db_status. */
int db_teacher_metadata_rebuild(struct db *db, uint64_t teacher_pk, int64_t now_us);
/* The same; *assigned_mentor_changed (may be NULL) is set to 1 when some row's
 * ect_assigned_mentor_school_period_id differs from before (a new row with a mentor counts). */
int db_teacher_metadata_rebuild_ex(struct db *db, uint64_t teacher_pk, int64_t now_us,
                                   int *assigned_mentor_changed);
/* Moves the teacher's API updated_at (and the copies in its metadata rows) to `now_us`, in one
 * statement. With `unfunded` set also unfunded_mentor_updated_at. DB_NOT_FOUND when no such
 * teacher. */
int db_teacher_touch(struct db *db, uint64_t teacher_pk, int64_t now_us, int unfunded);

#endif
