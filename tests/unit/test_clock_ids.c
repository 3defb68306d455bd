/* Calendar and identifier helpers. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/clock.h"
#include "core/ids.h"
#include "tap.h"

int main(void)
{
    int32_t d;
    int64_t us;
    char buf[32];

    ok(clock_parse_date("1970-01-01", &d) == 0 && d == 0, "epoch day");
    ok(clock_parse_date("2024-02-29", &d) == 0, "leap day accepted");
    ok(clock_parse_date("2023-02-29", &d) == -1, "non-leap Feb 29 rejected");
    ok(clock_parse_date("2100-02-29", &d) == -1, "century non-leap rejected");
    ok(clock_parse_date("2000-02-29", &d) == 0, "400-year leap accepted");
    ok(clock_parse_date("2024-13-01", &d) == -1, "month 13 rejected");
    ok(clock_parse_date("2024-04-31", &d) == -1, "April 31 rejected");
    ok(clock_parse_date("2024-1-01", &d) == -1, "short month rejected");
    ok(clock_parse_date("2024-01-01T00:00:00Z", &d) == -1, "timestamp is not a date");
    ok(clock_parse_date("", &d) == -1, "empty rejected");
    clock_parse_date("2027-06-15", &d);
    clock_format_date(d, buf);
    ok(!strcmp(buf, "2027-06-15"), "date round trip");

    ok(clock_parse_rfc3339("2026-03-10T08:00:00Z", &us) == 0, "RFC 3339 Z");
    clock_format_ts(us, buf);
    ok(!strcmp(buf, "2026-03-10T08:00:00Z"), "timestamp round trip");
    ok(clock_parse_rfc3339("2026-03-10T09:30:00+01:30", &us) == 0, "offset accepted");
    clock_format_ts(us, buf);
    ok(!strcmp(buf, "2026-03-10T08:00:00Z"), "offset applied");
    ok(clock_parse_rfc3339("2026-03-10T08:00:00.123456Z", &us) == 0 && us % 1000000 == 123456,
       "fraction kept");
    ok(clock_parse_rfc3339("2026-03-10T08:00:00", &us) == -1, "zone required");
    ok(clock_parse_rfc3339("2026-03-10T24:00:00Z", &us) == -1, "hour 24 rejected");
    ok(clock_parse_rfc3339("2026-03-10", &us) == -1, "date only rejected");
    ok(clock_parse_rfc3339("yesterday", &us) == -1, "words rejected");
    ok(clock_parse_sql_datetime("2026-03-10 08:00:00.500000", &us) == 0 && us % 1000000 == 500000,
       "SQL datetime parsed");
    clock_format_sql_datetime(us, buf);
    ok(!strcmp(buf, "2026-03-10 08:00:00.500000"), "SQL datetime round trip");
    ok(clock_day_of(-1) == -1, "instant before epoch floors to day -1");
    clock_parse_rfc3339("1969-12-31T23:59:59Z", &us);
    clock_format_ts(us, buf);
    ok(!strcmp(buf, "1969-12-31T23:59:59Z"), "pre-epoch formatting");

    uint8_t u[16], back[16];
    char text[UUID_TEXT_LEN];
    ids_uuid_v4(u);
    ids_uuid_format(u, text);
    ok(strlen(text) == 36 && text[14] == '4', "UUID v4 text");
    ok(ids_uuid_parse(text, back) == 0 && !memcmp(u, back, 16), "UUID round trip");
    ok(ids_uuid_parse("8E3A4B57-1F2C-4D6E-9A8B-7C6D5E4F3A2B", back) == 0, "upper-case UUID");
    ok(ids_uuid_parse("8e3a4b57-1f2c-4d6e-9a8b-7c6d5e4f3a2", back) == -1, "short UUID rejected");
    ok(ids_uuid_parse("8e3a4b571f2c4d6e9a8b7c6d5e4f3a2bxxxx", back) == -1,
       "UUID without dashes rejected");
    ok(ids_uuid_parse("8e3a4b57-1f2c-4d6e-9a8b-7c6d5e4f3a2g", back) == -1, "non-hex rejected");

    char mid[16];
    ids_prefixed_random("mntr_", 10, mid);
    ok(strlen(mid) == 15 && ids_is_prefixed(mid, "mntr_", 10, 10), "mentor id shape");
    ok(!ids_is_prefixed("mntr_0123456789I", "mntr_", 10, 11), "I is not Crockford");
    ok(!ids_is_prefixed("mntr_01234abcde", "mntr_", 10, 10), "lower case rejected");
    ok(!ids_is_prefixed("chpt_", "chpt_", 1, 26), "empty suffix rejected");
    ok(ids_is_prefixed("chpt_03AZ", "chpt_", 1, 26), "chapter id accepted");
    ok(!ids_is_prefixed("mntr_012345678", "mntr_", 10, 10), "too short rejected");
    char other[16];
    ids_prefixed_random("mntr_", 10, other);
    ok(strcmp(mid, other) != 0, "two random ids differ");
    return tap_done();
}
