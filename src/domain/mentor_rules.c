#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "domain/mentor_rules.h"

static int expired(const struct mentor_status *s, int32_t today)
{
    return s->has_expiry && s->expiry_day < today;
}

struct mentor_view mentor_view_on(const struct mentor_status *s, int32_t today)
{
    struct mentor_view v = {0};
    if (s->paused) {
        v.paused = 1;
        v.paused_at_us = s->paused_at_us;
    } else if (expired(s, today)) {
        v.paused = 1;
        v.auto_paused = 1;
        v.paused_at_us = clock_day_start_us(s->expiry_day + 1);
    }
    v.eligible = !v.paused && s->has_expiry && !expired(s, today);
    return v;
}

int mentor_apply_auto_pause(struct mentor_status *s, int32_t today)
{
    struct mentor_view v = mentor_view_on(s, today);
    if (!v.auto_paused)
        return 0;
    s->paused = 1;
    s->paused_at_us = v.paused_at_us;
    return 1;
}

unsigned mentor_ineligibility(const struct mentor_status *s, int32_t today)
{
    struct mentor_view v = mentor_view_on(s, today);
    unsigned bits = 0;
    if (v.paused)
        bits |= MENTOR_REASON_PAUSED;
    if (expired(s, today))
        bits |= MENTOR_REASON_CERT_EXPIRED;
    if (!s->has_expiry)
        bits |= MENTOR_REASON_CERT_MISSING;
    return bits;
}

size_t mentor_reason_codes(unsigned bits, const char *codes[3])
{
    size_t n = 0;
    if (bits & MENTOR_REASON_PAUSED)
        codes[n++] = "paused";
    if (bits & MENTOR_REASON_CERT_EXPIRED)
        codes[n++] = "certification_expired";
    if (bits & MENTOR_REASON_CERT_MISSING)
        codes[n++] = "certification_missing";
    return n;
}

enum mentor_transition mentor_can_pause(const struct mentor_status *s, int32_t today)
{
    return mentor_view_on(s, today).paused ? MENTOR_ALREADY_PAUSED : MENTOR_TRANSITION_OK;
}

enum mentor_transition mentor_can_reactivate(const struct mentor_status *s, int32_t today)
{
    if (!mentor_view_on(s, today).paused)
        return MENTOR_NOT_PAUSED;
    if (expired(s, today))
        return MENTOR_CERTIFICATION_EXPIRED;
    return MENTOR_TRANSITION_OK;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int has_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 1;
    return 0;
}

const char *mentor_check_full_name(const char *s, size_t len, size_t *trim_start, size_t *trim_len)
{
    size_t a = 0, b = len;
    while (a < b && is_space(s[a]))
        a++;
    while (b > a && is_space(s[b - 1]))
        b--;
    *trim_start = a;
    *trim_len = b - a;
    if (b == a)
        return "full_name must not be blank";
    if (text_utf8_length(s + a, b - a) > MENTOR_NAME_MAX)
        return "full_name must be at most 200 characters";
    if (has_control(s + a, b - a))
        return "full_name must not contain control characters";
    return NULL;
}

static int domain_label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

const char *mentor_check_email(const char *s, size_t len)
{
    static const char *bad = "email must be a valid email address";
    if (len == 0)
        return "email must not be blank";
    if (len > MENTOR_EMAIL_MAX)
        return "email must be at most 254 characters";
    const char *at = memchr(s, '@', len);
    if (!at || memchr(at + 1, '@', len - (size_t)(at - s) - 1))
        return bad;
    size_t local = (size_t)(at - s), dom = len - local - 1;
    if (local == 0 || local > 64 || dom == 0)
        return bad;
    for (size_t i = 0; i < local; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' ||
            c == '<' || c == '>' || c == '[' || c == ']' || c == '\\' || c == '"')
            return bad;
    }
    if (s[0] == '.' || s[local - 1] == '.' || memmem(s, local, "..", 2))
        return bad;
    /* Domain: dot-separated labels of letters, digits and hyphens, at least two labels. */
    const char *d = at + 1;
    size_t labels = 0, lab = 0;
    for (size_t i = 0; i <= dom; i++) {
        if (i == dom || d[i] == '.') {
            if (lab == 0 || lab > 63 || d[i - lab] == '-' || d[i - 1] == '-')
                return bad;
            labels++;
            lab = 0;
            continue;
        }
        if (!domain_label_char(d[i]))
            return bad;
        lab++;
    }
    return labels >= 2 ? NULL : bad;
}

const char *mentor_check_reason(const char *s, size_t len)
{
    size_t n = text_utf8_length(s, len);
    if (n == 0)
        return "reason is required";
    if (n > MENTOR_REASON_MAX)
        return "reason must be at most 500 characters";
    return NULL;
}

const char *mentor_check_initiated_by(const char *s, size_t len)
{
    size_t n = text_utf8_length(s, len);
    if (n == 0)
        return "initiated_by is required";
    if (n > MENTOR_INITIATOR_MAX)
        return "initiated_by must be at most 100 characters";
    return NULL;
}
