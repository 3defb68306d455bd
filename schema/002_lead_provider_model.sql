-- Lead Provider API v3: the national data model (spec decision 8).
-- Conventions as in 001. Why the keys, copies and indexes look the way they do:
-- schema/README.md, section "Lead Provider API v3 model". Surrogate BIGINT keys join the
-- tables; the UUIDs the APIs show are api_id columns (random v4 UUIDs would scatter a
-- clustered key). Lead providers and delivery partners are small and keep their UUID as
-- the key. Enumerations are ASCII strings spelled exactly as the API spells them.

CREATE TABLE delivery_partners (
  id BINARY(16) NOT NULL,
  name VARCHAR(200) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_delivery_partners_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE schools (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  api_id BINARY(16) NOT NULL,
  urn CHAR(6) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  name VARCHAR(200) NOT NULL,
  pupil_premium_uplift TINYINT(1) NOT NULL DEFAULT 0,
  sparsity_uplift TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_schools_api_id (api_id),
  UNIQUE KEY uq_schools_urn (urn),
  CONSTRAINT ck_schools_urn CHECK (urn REGEXP '^[0-9]{6}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Contract periods. Rows for 2021-2026 come from 003; admins add later years.
-- "Payments frozen" = payments_frozen_at set and not after the (sandbox) clock.
CREATE TABLE cohorts (
  year SMALLINT NOT NULL,
  started_on DATE NOT NULL,
  finished_on DATE NOT NULL,
  payments_frozen_at DATETIME(6) NULL,
  mentor_funding_enabled TINYINT(1) NOT NULL,
  detailed_evidence_types_enabled TINYINT(1) NOT NULL,
  uplift_fees_enabled TINYINT(1) NOT NULL,
  PRIMARY KEY (year),
  CONSTRAINT ck_cohorts_year CHECK (year BETWEEN 2020 AND 2100),
  CONSTRAINT ck_cohorts_dates CHECK (finished_on > started_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 12 per cohort. id = cohort * 100 + position of the identifier in the spec 3.1 list
-- (so the same on every machine, and for admin-created cohorts too).
CREATE TABLE schedules (
  id INT UNSIGNED NOT NULL,
  cohort SMALLINT NOT NULL,
  identifier VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  name VARCHAR(100) NOT NULL,
  type VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_schedules_cohort_identifier (cohort, identifier),
  -- Target of training_periods (schedule_id, cohort): a schedule of the period's cohort.
  UNIQUE KEY uq_schedules_id_cohort (id, cohort),
  CONSTRAINT fk_schedules_cohort FOREIGN KEY (cohort) REFERENCES cohorts (year),
  CONSTRAINT ck_schedules_id CHECK (id DIV 100 = cohort AND id MOD 100 BETWEEN 1 AND 12),
  CONSTRAINT ck_schedules_identifier CHECK (identifier IN (
    'ecf-standard-september', 'ecf-standard-january', 'ecf-standard-april',
    'ecf-extended-september', 'ecf-extended-january', 'ecf-extended-april',
    'ecf-reduced-september', 'ecf-reduced-january', 'ecf-reduced-april',
    'ecf-replacement-september', 'ecf-replacement-january', 'ecf-replacement-april')),
  CONSTRAINT ck_schedules_type CHECK (
    type IN ('ecf_standard', 'ecf_extended', 'ecf_reduced', 'ecf_replacement')
    AND identifier LIKE CONCAT(REPLACE(type, '_', '-'), '-%'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A declaration type is allowed on a schedule only when it has a milestone here.
-- Window: start_date 00:00 <= declaration_date < end of milestone_date (NULL = open).
CREATE TABLE milestones (
  schedule_id INT UNSIGNED NOT NULL,
  declaration_type VARCHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  name VARCHAR(100) NOT NULL,
  start_date DATE NOT NULL,
  milestone_date DATE NULL,
  payment_date DATE NOT NULL,
  PRIMARY KEY (schedule_id, declaration_type),
  CONSTRAINT fk_milestones_schedule FOREIGN KEY (schedule_id) REFERENCES schedules (id),
  CONSTRAINT ck_milestones_declaration_type CHECK (declaration_type IN (
    'started', 'retained-1', 'retained-2', 'retained-3', 'retained-4', 'completed',
    'extended-1', 'extended-2', 'extended-3')),
  CONSTRAINT ck_milestones_window CHECK (milestone_date IS NULL OR milestone_date >= start_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- School + lead provider + delivery partner + cohort (RECT's active lead provider and
-- lead-provider/delivery-partner pairing, flattened).
CREATE TABLE partnerships (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  api_id BINARY(16) NOT NULL,
  school_id BIGINT UNSIGNED NOT NULL,
  lead_provider_id BINARY(16) NOT NULL,
  delivery_partner_id BINARY(16) NOT NULL,
  cohort SMALLINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_partnerships_api_id (api_id),
  -- The four are unique; this order also answers "this LP's partnerships at this school
  -- in that year" (change-schedule to another cohort).
  UNIQUE KEY uq_partnerships_school_lp_cohort_dp (school_id, lead_provider_id, cohort, delivery_partner_id),
  -- Target of training_periods (partnership_id, lead_provider_id, cohort).
  UNIQUE KEY uq_partnerships_id_lp_cohort (id, lead_provider_id, cohort),
  KEY ix_partnerships_lp_cohort (lead_provider_id, cohort),
  KEY ix_partnerships_delivery_partner (delivery_partner_id),
  KEY ix_partnerships_cohort (cohort),
  CONSTRAINT fk_partnerships_school FOREIGN KEY (school_id) REFERENCES schools (id),
  CONSTRAINT fk_partnerships_lead_provider FOREIGN KEY (lead_provider_id) REFERENCES lead_providers (id),
  CONSTRAINT fk_partnerships_delivery_partner FOREIGN KEY (delivery_partner_id) REFERENCES delivery_partners (id),
  CONSTRAINT fk_partnerships_cohort FOREIGN KEY (cohort) REFERENCES cohorts (year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The participant. updated_at is the API's updated_at: it moves on every change the
-- spec (1.5) lists, including changes stored in other tables; a copy lives in
-- teacher_lead_providers.teacher_updated_at and is written in the same statement.
CREATE TABLE teachers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  api_id BINARY(16) NOT NULL,
  full_name VARCHAR(200) NOT NULL,
  trn CHAR(7) CHARACTER SET ascii COLLATE ascii_bin NULL,
  -- Issued when the teacher is created; never change, not even on a merge.
  api_ect_training_record_id BINARY(16) NOT NULL,
  api_mentor_training_record_id BINARY(16) NOT NULL,
  ect_first_became_eligible_at DATETIME(6) NULL,
  mentor_first_became_eligible_at DATETIME(6) NULL,
  mentor_became_ineligible_on DATE NULL,
  mentor_ineligible_reason VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NULL,
  ect_payments_frozen_year SMALLINT NULL,
  mentor_payments_frozen_year SMALLINT NULL,
  -- Set on the source of a merge (POST /teachers/merge): its api_id no longer resolves.
  merged_into_teacher_id BIGINT UNSIGNED NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  -- GET /unfunded-mentors updated_at: name, TRN, mentor school period email.
  unfunded_mentor_updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_teachers_api_id (api_id),
  UNIQUE KEY uq_teachers_trn (trn),
  UNIQUE KEY uq_teachers_ect_training_record (api_ect_training_record_id),
  UNIQUE KEY uq_teachers_mentor_training_record (api_mentor_training_record_id),
  KEY ix_teachers_updated_at (updated_at, id),
  KEY ix_teachers_merged_into (merged_into_teacher_id),
  KEY ix_teachers_ect_frozen_year (ect_payments_frozen_year),
  KEY ix_teachers_mentor_frozen_year (mentor_payments_frozen_year),
  CONSTRAINT fk_teachers_merged_into FOREIGN KEY (merged_into_teacher_id) REFERENCES teachers (id),
  CONSTRAINT fk_teachers_ect_frozen_year FOREIGN KEY (ect_payments_frozen_year) REFERENCES cohorts (year),
  CONSTRAINT fk_teachers_mentor_frozen_year FOREIGN KEY (mentor_payments_frozen_year) REFERENCES cohorts (year),
  CONSTRAINT ck_teachers_trn CHECK (trn IS NULL OR trn REGEXP '^[0-9]{7}$'),
  CONSTRAINT ck_teachers_mentor_ineligible CHECK (
    (mentor_became_ineligible_on IS NULL AND mentor_ineligible_reason IS NULL)
    OR (mentor_became_ineligible_on IS NOT NULL AND mentor_ineligible_reason IS NOT NULL
        AND mentor_ineligible_reason IN (
      'completed_declaration_received', 'completed_during_early_roll_out', 'started_not_completed')))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ECT or mentor at a school (RECT's ect_at_school_periods and mentor_at_school_periods).
CREATE TABLE school_periods (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  api_id BINARY(16) NOT NULL,
  teacher_id BIGINT UNSIGNED NOT NULL,
  role VARCHAR(6) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  school_id BIGINT UNSIGNED NOT NULL,
  email VARCHAR(254) NOT NULL,
  started_on DATE NOT NULL,
  finished_on DATE NULL,
  working_pattern VARCHAR(9) CHARACTER SET ascii COLLATE ascii_bin NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_school_periods_api_id (api_id),
  KEY ix_school_periods_teacher (teacher_id, role, started_on),
  KEY ix_school_periods_school (school_id),
  KEY ix_school_periods_finished_on (finished_on),
  CONSTRAINT fk_school_periods_teacher FOREIGN KEY (teacher_id) REFERENCES teachers (id),
  CONSTRAINT fk_school_periods_school FOREIGN KEY (school_id) REFERENCES schools (id),
  CONSTRAINT ck_school_periods_role CHECK (role IN ('ect', 'mentor')),
  CONSTRAINT ck_school_periods_working_pattern CHECK (
    working_pattern IS NULL OR (role = 'ect' AND working_pattern IN ('full_time', 'part_time'))),
  CONSTRAINT ck_school_periods_dates CHECK (finished_on IS NULL OR finished_on >= started_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Provider-led (partnership, lead provider, cohort and schedule all set) or school-led
-- (all four NULL). lead_provider_id and cohort are copies of the partnership's, kept
-- right by the composite foreign keys (the schedule must be of the same cohort). The
-- provider of a period never changes; its cohort can (change-schedule in place), and
-- then the same transaction rewrites declarations.cohort and the metadata row.
CREATE TABLE training_periods (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  api_id BINARY(16) NOT NULL,
  school_period_id BIGINT UNSIGNED NOT NULL,
  partnership_id BIGINT UNSIGNED NULL,
  lead_provider_id BINARY(16) NULL,
  cohort SMALLINT NULL,
  schedule_id INT UNSIGNED NULL,
  started_on DATE NOT NULL,
  finished_on DATE NULL,
  deferred_at DATETIME(6) NULL,
  deferral_reason VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NULL,
  withdrawn_at DATETIME(6) NULL,
  withdrawal_reason VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
  -- RECT's api_transfer_updated_at: moves when started_on or finished_on change.
  transfer_updated_at DATETIME(6) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_training_periods_api_id (api_id),
  -- Target of declarations and teacher_lead_providers: a period of that provider.
  UNIQUE KEY uq_training_periods_id_lp (id, lead_provider_id),
  KEY ix_training_periods_school_period (school_period_id, started_on),
  KEY ix_training_periods_partnership (partnership_id, lead_provider_id, cohort),
  KEY ix_training_periods_schedule (schedule_id, cohort),
  KEY ix_training_periods_started_on (started_on),
  KEY ix_training_periods_finished_on (finished_on),
  CONSTRAINT fk_training_periods_school_period FOREIGN KEY (school_period_id) REFERENCES school_periods (id),
  CONSTRAINT fk_training_periods_partnership FOREIGN KEY (partnership_id, lead_provider_id, cohort)
    REFERENCES partnerships (id, lead_provider_id, cohort),
  CONSTRAINT fk_training_periods_schedule FOREIGN KEY (schedule_id, cohort) REFERENCES schedules (id, cohort),
  CONSTRAINT ck_training_periods_provider_led CHECK (
    (partnership_id IS NULL AND lead_provider_id IS NULL AND cohort IS NULL AND schedule_id IS NULL)
    OR (partnership_id IS NOT NULL AND lead_provider_id IS NOT NULL AND cohort IS NOT NULL
        AND schedule_id IS NOT NULL)),
  CONSTRAINT ck_training_periods_dates CHECK (finished_on IS NULL OR finished_on >= started_on),
  CONSTRAINT ck_training_periods_deferral CHECK (
    (deferred_at IS NULL AND deferral_reason IS NULL)
    OR (deferred_at IS NOT NULL AND deferral_reason IS NOT NULL AND deferral_reason IN (
      'bereavement', 'long-term-sickness', 'parental-leave', 'career-break', 'other'))),
  CONSTRAINT ck_training_periods_withdrawal CHECK (
    (withdrawn_at IS NULL AND withdrawal_reason IS NULL)
    OR (withdrawn_at IS NOT NULL AND withdrawal_reason IS NOT NULL AND withdrawal_reason IN (
      'left-teaching-profession', 'moved-school', 'mentor-no-longer-being-mentor',
      'switched-to-school-led', 'changed-lead-provider', 'other')))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A mentor school period assigned to an ECT school period.
CREATE TABLE mentorships (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  api_id BINARY(16) NOT NULL,
  ect_school_period_id BIGINT UNSIGNED NOT NULL,
  mentor_school_period_id BIGINT UNSIGNED NOT NULL,
  started_on DATE NOT NULL,
  finished_on DATE NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_mentorships_api_id (api_id),
  KEY ix_mentorships_ect (ect_school_period_id, started_on),
  KEY ix_mentorships_mentor (mentor_school_period_id, started_on),
  CONSTRAINT fk_mentorships_ect FOREIGN KEY (ect_school_period_id) REFERENCES school_periods (id),
  CONSTRAINT fk_mentorships_mentor FOREIGN KEY (mentor_school_period_id) REFERENCES school_periods (id),
  CONSTRAINT ck_mentorships_distinct CHECK (ect_school_period_id <> mentor_school_period_id),
  CONSTRAINT ck_mentorships_dates CHECK (finished_on IS NULL OR finished_on >= started_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Appropriate body records: eligibility and the induction dates of ECT enrolments.
CREATE TABLE induction_periods (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  api_id BINARY(16) NOT NULL,
  teacher_id BIGINT UNSIGNED NOT NULL,
  started_on DATE NOT NULL,
  finished_on DATE NULL,
  outcome VARCHAR(4) CHARACTER SET ascii COLLATE ascii_bin NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_induction_periods_api_id (api_id),
  KEY ix_induction_periods_teacher (teacher_id, started_on),
  CONSTRAINT fk_induction_periods_teacher FOREIGN KEY (teacher_id) REFERENCES teachers (id),
  CONSTRAINT ck_induction_periods_outcome CHECK (
    outcome IS NULL OR (outcome IN ('pass', 'fail') AND finished_on IS NOT NULL)),
  CONSTRAINT ck_induction_periods_dates CHECK (finished_on IS NULL OR finished_on >= started_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Dedupe history, shown on the destination teacher (teacher_id). A participant id can be
-- retired only once.
CREATE TABLE participant_id_changes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  teacher_id BIGINT UNSIGNED NOT NULL,
  from_participant_id BINARY(16) NOT NULL,
  to_participant_id BINARY(16) NOT NULL,
  changed_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_participant_id_changes_from (from_participant_id),
  KEY ix_participant_id_changes_teacher (teacher_id, changed_at),
  CONSTRAINT fk_participant_id_changes_teacher FOREIGN KEY (teacher_id) REFERENCES teachers (id),
  CONSTRAINT ck_participant_id_changes_distinct CHECK (from_participant_id <> to_participant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Visibility and per-provider metadata (spec 1.2; RECT metadata_teachers_lead_providers).
-- A row exists exactly when the teacher has had a training period in a partnership of
-- this lead provider, so visibility is permanent (a merge deletes the source teacher's
-- rows: its periods moved away). It holds the teacher's latest (greatest started_on,
-- future ones included) ECT and mentor training period with the provider and their
-- cohorts, the mentor school period of the ECT's earliest current-or-future mentorship
-- (mentor_id, unfunded mentors), and copies of the teacher's created_at/updated_at so a
-- provider's list is one ordered index range. Derived data: the application rebuilds a
-- teacher's rows in the transaction that changes their periods or mentorships.
CREATE TABLE teacher_lead_providers (
  teacher_id BIGINT UNSIGNED NOT NULL,
  lead_provider_id BINARY(16) NOT NULL,
  latest_ect_training_period_id BIGINT UNSIGNED NULL,
  latest_ect_cohort SMALLINT NULL,
  latest_mentor_training_period_id BIGINT UNSIGNED NULL,
  latest_mentor_cohort SMALLINT NULL,
  ect_assigned_mentor_school_period_id BIGINT UNSIGNED NULL,
  teacher_created_at DATETIME(6) NOT NULL,
  teacher_updated_at DATETIME(6) NOT NULL,
  -- Has a school transfer this provider may see (GET /participants/transfers).
  involved_in_school_transfer TINYINT(1) NOT NULL DEFAULT 0,
  -- Hint, only ever set: another provider has declarations for this teacher (the
  -- second branch of declaration visibility, spec 4.8).
  other_lp_declarations TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (teacher_id, lead_provider_id),
  KEY ix_tlp_lp_created (lead_provider_id, teacher_created_at, teacher_id, teacher_updated_at,
                         latest_ect_cohort, latest_mentor_cohort),
  KEY ix_tlp_lp_updated (lead_provider_id, teacher_updated_at, teacher_id,
                         latest_ect_cohort, latest_mentor_cohort),
  KEY ix_tlp_lp_mentor (lead_provider_id, ect_assigned_mentor_school_period_id),
  KEY ix_tlp_lp_transfer (lead_provider_id, involved_in_school_transfer, teacher_created_at, teacher_id),
  KEY ix_tlp_lp_other (lead_provider_id, other_lp_declarations),
  KEY ix_tlp_latest_ect (latest_ect_training_period_id, lead_provider_id),
  KEY ix_tlp_latest_mentor (latest_mentor_training_period_id, lead_provider_id),
  KEY ix_tlp_assigned_mentor (ect_assigned_mentor_school_period_id),
  CONSTRAINT fk_tlp_teacher FOREIGN KEY (teacher_id) REFERENCES teachers (id),
  CONSTRAINT fk_tlp_lead_provider FOREIGN KEY (lead_provider_id) REFERENCES lead_providers (id),
  CONSTRAINT fk_tlp_latest_ect FOREIGN KEY (latest_ect_training_period_id, lead_provider_id)
    REFERENCES training_periods (id, lead_provider_id),
  CONSTRAINT fk_tlp_latest_mentor FOREIGN KEY (latest_mentor_training_period_id, lead_provider_id)
    REFERENCES training_periods (id, lead_provider_id),
  CONSTRAINT fk_tlp_assigned_mentor FOREIGN KEY (ect_assigned_mentor_school_period_id)
    REFERENCES school_periods (id),
  CONSTRAINT ck_tlp_visible CHECK (
    latest_ect_training_period_id IS NOT NULL OR latest_mentor_training_period_id IS NOT NULL),
  CONSTRAINT ck_tlp_ect_cohort CHECK ((latest_ect_training_period_id IS NULL) = (latest_ect_cohort IS NULL)),
  CONSTRAINT ck_tlp_mentor_cohort CHECK (
    (latest_mentor_training_period_id IS NULL) = (latest_mentor_cohort IS NULL)),
  CONSTRAINT ck_tlp_assigned_mentor CHECK (
    ect_assigned_mentor_school_period_id IS NULL OR latest_ect_training_period_id IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Output statements, created and advanced by admins (spec decision 7).
CREATE TABLE statements (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  api_id BINARY(16) NOT NULL,
  lead_provider_id BINARY(16) NOT NULL,
  cohort SMALLINT NOT NULL,
  deadline_date DATE NOT NULL,
  payment_date DATE NOT NULL,
  state VARCHAR(7) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_statements_api_id (api_id),
  -- The provider's next open statement for a cohort: deadline >= today, earliest first.
  KEY ix_statements_lp_cohort_state (lead_provider_id, cohort, state, deadline_date),
  KEY ix_statements_cohort (cohort),
  CONSTRAINT fk_statements_lead_provider FOREIGN KEY (lead_provider_id) REFERENCES lead_providers (id),
  CONSTRAINT fk_statements_cohort FOREIGN KEY (cohort) REFERENCES cohorts (year),
  CONSTRAINT ck_statements_state CHECK (state IN ('open', 'payable', 'paid'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Participant declarations. state is the API's state (clawback state when there is one,
-- else payment state). lead_provider_id is the training period's (composite foreign key);
-- cohort is a copy of the training period's cohort, rewritten with it (see training_periods).
CREATE TABLE declarations (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  api_id BINARY(16) NOT NULL,
  teacher_id BIGINT UNSIGNED NOT NULL,
  training_period_id BIGINT UNSIGNED NOT NULL,
  lead_provider_id BINARY(16) NOT NULL,
  cohort SMALLINT NOT NULL,
  course_identifier VARCHAR(13) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  declaration_type VARCHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  declaration_date DATETIME(6) NOT NULL,
  evidence_held VARCHAR(48) CHARACTER SET ascii COLLATE ascii_bin NULL,
  -- SHA-256 of evidence_held exactly as the request sent it (NULL when absent or null),
  -- for the exact-copy test of decision 3: pre-2025 started evidence is discarded, so
  -- evidence_held alone cannot tell two such requests apart.
  evidence_held_sent_sha256 BINARY(32) NULL,
  state VARCHAR(17) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  -- 1 while the declaration still counts (blocks a duplicate, decision 3), else NULL.
  counting TINYINT GENERATED ALWAYS AS (IF(state IN ('submitted', 'eligible', 'payable', 'paid'), 1, NULL)) STORED,
  statement_id BIGINT UNSIGNED NULL,
  clawback_statement_id BIGINT UNSIGNED NULL,
  pupil_premium_uplift TINYINT(1) NOT NULL DEFAULT 0,
  sparsity_uplift TINYINT(1) NOT NULL DEFAULT 0,
  -- ECT declarations: the mentorship closest to the declaration date (gives mentor_id,
  -- which therefore follows a merge of the mentor).
  mentorship_id BIGINT UNSIGNED NULL,
  delivery_partner_id BINARY(16) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_declarations_api_id (api_id),
  -- At most one counting declaration per teacher, role and type, whatever the provider.
  -- Its prefix also serves filter[participant_id] and the foreign key on teacher_id.
  UNIQUE KEY uq_declarations_counting (teacher_id, course_identifier, declaration_type, counting),
  KEY ix_declarations_lp_created (lead_provider_id, created_at, id, cohort, updated_at),
  KEY ix_declarations_lp_updated (lead_provider_id, updated_at, id),
  KEY ix_declarations_delivery_partner (delivery_partner_id, lead_provider_id, created_at, id),
  KEY ix_declarations_training_period (training_period_id, lead_provider_id),
  KEY ix_declarations_statement (statement_id, state),
  KEY ix_declarations_clawback_statement (clawback_statement_id, state),
  KEY ix_declarations_mentorship (mentorship_id),
  CONSTRAINT fk_declarations_teacher FOREIGN KEY (teacher_id) REFERENCES teachers (id),
  CONSTRAINT fk_declarations_training_period FOREIGN KEY (training_period_id, lead_provider_id)
    REFERENCES training_periods (id, lead_provider_id),
  CONSTRAINT fk_declarations_statement FOREIGN KEY (statement_id) REFERENCES statements (id),
  CONSTRAINT fk_declarations_clawback_statement FOREIGN KEY (clawback_statement_id) REFERENCES statements (id),
  CONSTRAINT fk_declarations_mentorship FOREIGN KEY (mentorship_id) REFERENCES mentorships (id),
  CONSTRAINT fk_declarations_delivery_partner FOREIGN KEY (delivery_partner_id) REFERENCES delivery_partners (id),
  CONSTRAINT ck_declarations_course CHECK (course_identifier IN ('ecf-induction', 'ecf-mentor')),
  CONSTRAINT ck_declarations_type CHECK (declaration_type IN (
    'started', 'retained-1', 'retained-2', 'retained-3', 'retained-4', 'completed',
    'extended-1', 'extended-2', 'extended-3')),
  CONSTRAINT ck_declarations_evidence CHECK (evidence_held IS NULL OR evidence_held IN (
    'training-event-attended', 'self-study-material-completed', 'materials-engaged-with-offline',
    '75-percent-engagement-met', '75-percent-engagement-met-reduced-induction',
    'one-term-induction', 'other')),
  CONSTRAINT ck_declarations_state CHECK (state IN (
    'submitted', 'eligible', 'payable', 'paid', 'voided', 'awaiting-clawback', 'clawed-back')),
  -- submitted: no statement yet; eligible and beyond: on a statement; a clawback
  -- statement exactly when a clawback exists.
  CONSTRAINT ck_declarations_statement CHECK (
    (state <> 'submitted' OR statement_id IS NULL)
    AND (state NOT IN ('eligible', 'payable', 'paid', 'awaiting-clawback', 'clawed-back')
         OR statement_id IS NOT NULL)
    AND ((state IN ('awaiting-clawback', 'clawed-back')) = (clawback_statement_id IS NOT NULL))),
  CONSTRAINT ck_declarations_uplift CHECK (
    declaration_type = 'started' OR (pupil_premium_uplift = 0 AND sparsity_uplift = 0)),
  CONSTRAINT ck_declarations_mentorship CHECK (course_identifier = 'ecf-induction' OR mentorship_id IS NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Audit trail of participant actions and declaration changes, written in the transaction
-- that makes the change: who (token jti, or actor for the CLI), what (event), when, and
-- the status before and after (training_status for participants, state for
-- declarations). details is JSON text (reason, schedule and cohort from/to, ...).
CREATE TABLE audit_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  occurred_at DATETIME(6) NOT NULL,
  event VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  token_jti VARCHAR(64) CHARACTER SET ascii NULL,
  actor VARCHAR(100) NULL,
  request_id VARCHAR(64) CHARACTER SET ascii NULL,
  teacher_id BIGINT UNSIGNED NULL,
  training_period_id BIGINT UNSIGNED NULL,
  declaration_id BIGINT UNSIGNED NULL,
  statement_id BIGINT UNSIGNED NULL,
  status_before VARCHAR(20) CHARACTER SET ascii NULL,
  status_after VARCHAR(20) CHARACTER SET ascii NULL,
  details TEXT NULL,
  PRIMARY KEY (id),
  KEY ix_audit_events_teacher (teacher_id, occurred_at),
  KEY ix_audit_events_training_period (training_period_id),
  KEY ix_audit_events_declaration (declaration_id, occurred_at),
  KEY ix_audit_events_statement (statement_id),
  CONSTRAINT fk_audit_events_teacher FOREIGN KEY (teacher_id) REFERENCES teachers (id),
  CONSTRAINT fk_audit_events_training_period FOREIGN KEY (training_period_id) REFERENCES training_periods (id),
  CONSTRAINT fk_audit_events_declaration FOREIGN KEY (declaration_id) REFERENCES declarations (id),
  CONSTRAINT fk_audit_events_statement FOREIGN KEY (statement_id) REFERENCES statements (id),
  CONSTRAINT ck_audit_events_who CHECK (token_jti IS NOT NULL OR actor IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
