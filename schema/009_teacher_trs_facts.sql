-- Teacher facts from the national teacher record (TRS) that spec 1.5 derives from: the TRS
-- induction start and completion dates (fallbacks of overall_induction_start_date and
-- induction_end_date when no induction period says otherwise) and the day an ECT became
-- ineligible for funding (an exemption; eligible_for_funding compares it with
-- ect_first_became_eligible_at). Written by PUT /api/admin/v1/teachers/{id}; NULL = unknown.
ALTER TABLE teachers
  ADD COLUMN trs_induction_start_date DATE NULL AFTER mentor_payments_frozen_year,
  ADD COLUMN trs_induction_completed_date DATE NULL AFTER trs_induction_start_date,
  ADD COLUMN ect_became_ineligible_on DATE NULL AFTER trs_induction_completed_date;
