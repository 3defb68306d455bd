/* Mentor Status Service rules as pure functions: no I/O, no clock of their own. */
#ifndef ECF_DOMAIN_MENTOR_RULES_H
#define ECF_DOMAIN_MENTOR_RULES_H

#include <stddef.h>
#include <stdint.h>

#define MENTOR_NAME_MAX 200
#define MENTOR_EMAIL_MAX 254
#define MENTOR_REASON_MAX 500
#define MENTOR_INITIATOR_MAX 100
#define MENTOR_AUTO_PAUSE_REASON "Certification expired"
#define MENTOR_SYSTEM_INITIATOR "system"

/* What is stored for a mentor's status. */
struct mentor_status {
    int paused;           /* stored status */
    int64_t paused_at_us; /* when paused */
    int has_expiry;
    int32_t expiry_day; /* certification_expiry, days since epoch */
};

/* What a client sees on a given day. */
struct mentor_view {
    int paused;
    int auto_paused; /* paused only because the certification lapsed (not yet stored) */
    int64_t paused_at_us;
    int eligible;
};

enum mentor_reason {
    MENTOR_REASON_PAUSED = 1 << 0,
    MENTOR_REASON_CERT_EXPIRED = 1 << 1,
    MENTOR_REASON_CERT_MISSING = 1 << 2,
};

/* The status on `today`: an active mentor whose certification ended before today is
 * paused as of the day after expiry, 00:00:00Z. */
struct mentor_view mentor_view_on(const struct mentor_status *s, int32_t today);
/* Makes a pending automatic pause part of the stored status. Returns 1 when s changed. */
int mentor_apply_auto_pause(struct mentor_status *s, int32_t today);
/* Reason bits, reported in the fixed order paused, certification_expired,
 * certification_missing. */
unsigned mentor_ineligibility(const struct mentor_status *s, int32_t today);
/* Writes up to 3 reason codes in order; returns how many. */
size_t mentor_reason_codes(unsigned bits, const char *codes[3]);

enum mentor_transition {
    MENTOR_TRANSITION_OK,
    MENTOR_ALREADY_PAUSED,
    MENTOR_NOT_PAUSED,
    MENTOR_CERTIFICATION_EXPIRED,
};
enum mentor_transition mentor_can_pause(const struct mentor_status *s, int32_t today);
enum mentor_transition mentor_can_reactivate(const struct mentor_status *s, int32_t today);

/* Field validation. Each returns NULL when valid, else a message for a 422 detail. */
const char *mentor_check_full_name(const char *s, size_t len, size_t *trim_start, size_t *trim_len);
const char *mentor_check_email(const char *s, size_t len);
const char *mentor_check_reason(const char *s, size_t len);
const char *mentor_check_initiated_by(const char *s, size_t len);

#endif
