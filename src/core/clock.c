#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/clock.h"

int64_t clock_real_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * CLOCK_US_PER_SEC + ts.tv_nsec / 1000;
}

int32_t clock_day_of(int64_t us)
{
    int64_t d = us / CLOCK_US_PER_DAY;
    if (us % CLOCK_US_PER_DAY < 0)
        d--;
    return (int32_t)d;
}

int64_t clock_day_start_us(int32_t day)
{
    return (int64_t)day * CLOCK_US_PER_DAY;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int32_t clock_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2u) / 5u + (unsigned)d - 1u;
    const unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
    return era * 146097 + (int)doe - 719468;
}

void clock_civil_from_days(int32_t z, int *year, int *month, int *day)
{
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = (int)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    *year = y + (m <= 2);
    *month = (int)m;
    *day = (int)d;
}

static void split_us(int64_t us, int32_t *day, int *h, int *mi, int *s, int *frac)
{
    *day = clock_day_of(us);
    int64_t rem = us - clock_day_start_us(*day);
    *frac = (int)(rem % CLOCK_US_PER_SEC);
    int64_t secs = rem / CLOCK_US_PER_SEC;
    *h = (int)(secs / 3600);
    *mi = (int)(secs / 60 % 60);
    *s = (int)(secs % 60);
}

void clock_format_ts(int64_t us, char out[CLOCK_TS_LEN])
{
    int32_t day;
    int y, m, d, h, mi, s, frac;
    split_us(us, &day, &h, &mi, &s, &frac);
    clock_civil_from_days(day, &y, &m, &d);
    xsnprintf(out, CLOCK_TS_LEN, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, h, mi, s);
}

void clock_format_sql_datetime(int64_t us, char out[27])
{
    int32_t day;
    int y, m, d, h, mi, s, frac;
    split_us(us, &day, &h, &mi, &s, &frac);
    clock_civil_from_days(day, &y, &m, &d);
    xsnprintf(out, 27, "%04d-%02d-%02d %02d:%02d:%02d.%06d", y, m, d, h, mi, s, frac);
}

void clock_format_date(int32_t day, char out[CLOCK_DATE_LEN])
{
    int y, m, d;
    clock_civil_from_days(day, &y, &m, &d);
    xsnprintf(out, CLOCK_DATE_LEN, "%04d-%02d-%02d", y, m, d);
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

/* Parses "YYYY-MM-DD" at s (no terminator check). */
static int parse_date_prefix(const char *s, int32_t *day)
{
    int y, m, d;
    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return -1;
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *day = clock_days_from_civil(y, m, d);
    return 0;
}

int clock_parse_date(const char *s, int32_t *day)
{
    if (!s || strlen(s) != 10)
        return -1;
    return parse_date_prefix(s, day);
}

static int parse_time_prefix(const char *s, int64_t *us_in_day, const char **end)
{
    int h, mi, sec, frac = 0;
    if (digits(s, 2, &h) || s[2] != ':' || digits(s + 3, 2, &mi) || s[5] != ':' ||
        digits(s + 6, 2, &sec))
        return -1;
    if (h > 23 || mi > 59 || sec > 59)
        return -1;
    s += 8;
    if (*s == '.') {
        int n = 0;
        s++;
        while (*s >= '0' && *s <= '9') {
            if (n < 6) {
                frac = frac * 10 + (*s - '0');
            }
            n++;
            s++;
        }
        if (n == 0)
            return -1;
        for (int i = n; i < 6; i++)
            frac *= 10;
    }
    *us_in_day = ((int64_t)h * 3600 + mi * 60 + sec) * CLOCK_US_PER_SEC + frac;
    *end = s;
    return 0;
}

int clock_parse_rfc3339(const char *s, int64_t *us)
{
    int32_t day;
    int64_t t;
    const char *p;
    if (!s || strlen(s) < 20 || parse_date_prefix(s, &day))
        return -1;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
        return -1;
    if (parse_time_prefix(s + 11, &t, &p))
        return -1;
    int64_t offset = 0;
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        offset = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int oh, om;
        if (digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return -1;
        offset = ((int64_t)oh * 3600 + om * 60) * CLOCK_US_PER_SEC;
        if (*p == '-')
            offset = -offset;
    } else {
        return -1;
    }
    *us = clock_day_start_us(day) + t - offset;
    return 0;
}

int clock_parse_sql_datetime(const char *s, int64_t *us)
{
    int32_t day;
    int64_t t;
    const char *p;
    if (!s || strlen(s) < 19 || parse_date_prefix(s, &day) || s[10] != ' ')
        return -1;
    if (parse_time_prefix(s + 11, &t, &p) || *p != '\0')
        return -1;
    *us = clock_day_start_us(day) + t;
    return 0;
}
