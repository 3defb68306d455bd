/* Time helpers. Instants are int64 microseconds since the Unix epoch (UTC); calendar
 * dates are int32 days since 1970-01-01. All parsing is strict. */
#ifndef ECF_CORE_CLOCK_H
#define ECF_CORE_CLOCK_H

#include <stdint.h>

#define CLOCK_US_PER_SEC INT64_C(1000000)
#define CLOCK_US_PER_DAY (INT64_C(86400) * CLOCK_US_PER_SEC)
#define CLOCK_TS_LEN 21   /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define CLOCK_DATE_LEN 11 /* "YYYY-MM-DD" + NUL */

int64_t clock_real_us(void);

/* Days since epoch for the instant (floor). */
int32_t clock_day_of(int64_t us);
int64_t clock_day_start_us(int32_t day);

/* civil <-> days; month 1..12. */
int32_t clock_days_from_civil(int year, int month, int day);
void clock_civil_from_days(int32_t days, int *year, int *month, int *day);

void clock_format_ts(int64_t us, char out[CLOCK_TS_LEN]);
void clock_format_date(int32_t day, char out[CLOCK_DATE_LEN]);

/* "YYYY-MM-DD", a real calendar date, years 1000..9999. 0 ok, -1 bad. */
int clock_parse_date(const char *s, int32_t *day);
/* RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM); 'T' may be 't' or ' '.
 * 0 ok, -1 bad. */
int clock_parse_rfc3339(const char *s, int64_t *us);

/* MySQL DATETIME(6) text "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC) <-> us. */
int clock_parse_sql_datetime(const char *s, int64_t *us);
void clock_format_sql_datetime(int64_t us, char out[27]);

#endif
