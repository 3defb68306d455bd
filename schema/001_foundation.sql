-- Foundation: lead providers, API tokens, and the Mentor Status Service.
-- Conventions (see schema/README.md): InnoDB, utf8mb4, UUIDs as BINARY(16), timestamps
-- as DATETIME(6) in UTC written by the application (never NOW(), so the sandbox clock
-- applies), surrogate BIGINT keys where rows are only reached through a public code.

CREATE TABLE lead_providers (
  id BINARY(16) NOT NULL,
  name VARCHAR(200) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_lead_providers_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE api_tokens (
  jti VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  subject VARCHAR(128) NOT NULL,
  scopes VARCHAR(200) NOT NULL,
  description VARCHAR(500) NULL,
  lead_provider_id BINARY(16) NULL,
  admin_name VARCHAR(100) NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  revoked_at DATETIME(6) NULL,
  last_used_at DATETIME(6) NULL,
  PRIMARY KEY (jti),
  KEY ix_api_tokens_lead_provider (lead_provider_id),
  CONSTRAINT fk_api_tokens_lead_provider FOREIGN KEY (lead_provider_id) REFERENCES lead_providers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE chapters (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  chapter_id VARCHAR(31) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  name VARCHAR(200) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_chapters_chapter_id (chapter_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE mentors (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  mentor_id CHAR(15) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  full_name VARCHAR(200) NOT NULL,
  email VARCHAR(254) NOT NULL,
  -- Uniqueness among mentors that are not deleted, case-insensitive: NULL for deleted rows.
  email_key VARCHAR(254) COLLATE utf8mb4_bin
    GENERATED ALWAYS AS (IF(deleted_at IS NULL, LOWER(email), NULL)) STORED,
  chapter_id VARCHAR(31) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  status VARCHAR(10) CHARACTER SET ascii NOT NULL,
  paused_at DATETIME(6) NULL,
  pause_reason VARCHAR(500) NULL,
  reactivated_at DATETIME(6) NULL,
  certification_expiry DATE NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  deleted_at DATETIME(6) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_mentors_mentor_id (mentor_id),
  UNIQUE KEY uq_mentors_email_key (email_key),
  KEY ix_mentors_listing (deleted_at, created_at, mentor_id),
  KEY ix_mentors_chapter_listing (chapter_id, deleted_at, created_at, mentor_id),
  KEY ix_mentors_status_expiry (deleted_at, status, certification_expiry),
  CONSTRAINT fk_mentors_chapter FOREIGN KEY (chapter_id) REFERENCES chapters (chapter_id),
  CONSTRAINT ck_mentors_status CHECK (status IN ('active', 'paused'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Number of mentors that are not deleted, kept in the same transactions as creates and
-- deletes so the unfiltered list total needs no COUNT(*) over the whole table.
CREATE TABLE mentor_totals (
  id TINYINT UNSIGNED NOT NULL,
  live_mentors BIGINT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO mentor_totals (id, live_mentors) VALUES (1, 0);

-- Audit trail: every create, profile change, pause (manual or automatic), reactivation
-- and delete, in the transaction that made it.
CREATE TABLE mentor_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  mentor_pk BIGINT UNSIGNED NOT NULL,
  event VARCHAR(20) CHARACTER SET ascii NOT NULL,
  initiated_by VARCHAR(100) NULL,
  token_jti VARCHAR(64) CHARACTER SET ascii NULL,
  request_id VARCHAR(128) CHARACTER SET ascii NULL,
  status_before VARCHAR(10) CHARACTER SET ascii NULL,
  status_after VARCHAR(10) CHARACTER SET ascii NULL,
  changes TEXT NULL,
  occurred_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_mentor_events_mentor (mentor_pk, occurred_at),
  CONSTRAINT fk_mentor_events_mentor FOREIGN KEY (mentor_pk) REFERENCES mentors (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
