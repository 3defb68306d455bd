/* Mentor Status Service rules, without a database. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "domain/mentor_rules.h"
#include "tap.h"

static int32_t day(const char *s)
{
    int32_t d = 0;
    clock_parse_date(s, &d);
    return d;
}

int main(void)
{
    const int32_t today = day("2026-03-26");
    const char *codes[3];
    size_t n;

    struct mentor_status active = {0, 0, 1, day("2027-06-15")};
    struct mentor_view v = mentor_view_on(&active, today);
    ok(!v.paused && v.eligible, "active with valid certification is eligible");
    ok(mentor_ineligibility(&active, today) == 0, "no reasons when eligible");

    struct mentor_status expires_today = {0, 0, 1, today};
    v = mentor_view_on(&expires_today, today);
    ok(!v.paused && v.eligible, "certification valid through its expiry day");

    struct mentor_status lapsed = {0, 0, 1, day("2026-03-20")};
    v = mentor_view_on(&lapsed, today);
    ok(v.paused && v.auto_paused && !v.eligible, "lapsed certification pauses automatically");
    char ts[CLOCK_TS_LEN];
    clock_format_ts(v.paused_at_us, ts);
    ok(!strcmp(ts, "2026-03-21T00:00:00Z"), "automatic pause at the day after expiry, midnight");
    n = mentor_reason_codes(mentor_ineligibility(&lapsed, today), codes);
    ok(n == 2 && !strcmp(codes[0], "paused") && !strcmp(codes[1], "certification_expired"),
       "reasons paused, certification_expired in order");

    struct mentor_status missing = {0, 0, 0, 0};
    v = mentor_view_on(&missing, today);
    ok(!v.paused && !v.eligible, "no certification: active but not eligible");
    n = mentor_reason_codes(mentor_ineligibility(&missing, today), codes);
    ok(n == 1 && !strcmp(codes[0], "certification_missing"), "reason certification_missing");

    int64_t paused_at;
    clock_parse_rfc3339("2026-03-10T08:00:00Z", &paused_at);
    struct mentor_status paused_missing = {1, paused_at, 0, 0};
    n = mentor_reason_codes(mentor_ineligibility(&paused_missing, today), codes);
    ok(n == 2 && !strcmp(codes[0], "paused") && !strcmp(codes[1], "certification_missing"),
       "paused and missing, in order");
    v = mentor_view_on(&paused_missing, today);
    ok(v.paused && !v.auto_paused && v.paused_at_us == paused_at, "manual pause keeps its time");

    ok(mentor_can_pause(&active, today) == MENTOR_TRANSITION_OK, "active can be paused");
    ok(mentor_can_pause(&paused_missing, today) == MENTOR_ALREADY_PAUSED,
       "paused cannot be paused again");
    ok(mentor_can_pause(&lapsed, today) == MENTOR_ALREADY_PAUSED,
       "automatically paused cannot be paused again");
    ok(mentor_can_reactivate(&active, today) == MENTOR_NOT_PAUSED, "active cannot be reactivated");
    ok(mentor_can_reactivate(&lapsed, today) == MENTOR_CERTIFICATION_EXPIRED,
       "expired certification blocks reactivation");
    struct mentor_status paused_valid = {1, paused_at, 1, day("2027-01-01")};
    ok(mentor_can_reactivate(&paused_valid, today) == MENTOR_TRANSITION_OK,
       "paused with valid certification can be reactivated");
    ok(mentor_can_reactivate(&paused_missing, today) == MENTOR_TRANSITION_OK,
       "paused without certification can be reactivated (stays ineligible)");

    struct mentor_status s = lapsed;
    ok(mentor_apply_auto_pause(&s, today) == 1 && s.paused, "auto pause applied");
    s.expiry_day = day("2028-01-01");
    v = mentor_view_on(&s, today);
    ok(v.paused && !v.eligible, "renewed after being seen paused: stays paused");
    ok(mentor_apply_auto_pause(&s, today) == 0, "nothing to apply twice");
    struct mentor_status a2 = active;
    ok(mentor_apply_auto_pause(&a2, today) == 0 && !a2.paused, "nothing to apply when valid");

    size_t start, len;
    ok(mentor_check_full_name("  Sarah Chen \t", 14, &start, &len) == NULL && start == 2 &&
           len == 10,
       "name trimmed");
    ok(mentor_check_full_name("   ", 3, &start, &len) != NULL, "blank name rejected");
    char name[402];
    memset(name, 'a', 200);
    ok(mentor_check_full_name(name, 200, &start, &len) == NULL, "200 characters accepted");
    memset(name, 'a', 201);
    ok(mentor_check_full_name(name, 201, &start, &len) != NULL, "201 characters rejected");
    for (int i = 0; i < 200; i++)
        memcpy(name + 2 * i, "\xc3\xa9", 2);
    ok(mentor_check_full_name(name, 400, &start, &len) == NULL,
       "200 two-byte characters accepted (characters, not bytes)");
    ok(mentor_check_full_name("a\x01"
                              "b",
                              3, &start, &len) != NULL,
       "control character rejected");

    const char *good[] = {"sarah.chen@example.org", "a+b@sub.example.co.uk", "x@y.io",
                          "O'Brien@example.com"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        ok(mentor_check_email(good[i], strlen(good[i])) == NULL, "valid email %s", good[i]);
    const char *bad[] = {"",
                         "plain",
                         "@example.org",
                         "a@",
                         "a@b",
                         "a@@b.org",
                         "a b@c.org",
                         "a@-b.org",
                         "a@b-.org",
                         "a..b@example.org",
                         ".a@example.org",
                         "a@exa_mple.org"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ok(mentor_check_email(bad[i], strlen(bad[i])) != NULL, "invalid email '%s'", bad[i]);
    char longmail[300];
    memset(longmail, 'a', sizeof(longmail));
    memcpy(longmail + 250, "@x.org", 6);
    ok(mentor_check_email(longmail, 256) != NULL, "email over 254 rejected");

    ok(mentor_check_reason("", 0) != NULL, "empty reason rejected");
    char reason[501];
    memset(reason, 'r', sizeof(reason));
    ok(mentor_check_reason(reason, 500) == NULL, "500-character reason accepted");
    ok(mentor_check_reason(reason, 501) != NULL, "501-character reason rejected");
    ok(mentor_check_initiated_by(reason, 100) == NULL, "100-character initiator accepted");
    ok(mentor_check_initiated_by(reason, 101) != NULL, "101-character initiator rejected");
    ok(mentor_check_initiated_by("", 0) != NULL, "empty initiator rejected");
    ok(text_utf8_length("\xe2\x80\x94", 3) == 1, "em dash is one character");
    return tap_done();
}
