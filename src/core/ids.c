#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/ids.h"
#include "core/text.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void ids_random(void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fputs("{\"level\":\"fatal\",\"msg\":\"getrandom failed\"}\n", stderr);
            abort();
        }
        p += n;
        len -= (size_t)n;
    }
}

void ids_uuid_v4(uint8_t out[16])
{
    ids_random(out, 16);
    out[6] = (uint8_t)((out[6] & 0x0f) | 0x40);
    out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
}

void ids_uuid_format(const uint8_t in[16], char out[UUID_TEXT_LEN])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[in[i] >> 4];
        out[o++] = hex[in[i] & 15];
    }
    out[o] = '\0';
}

int ids_uuid_parse(const char *s, uint8_t out[16])
{
    if (!s || strlen(s) != 36)
        return -1;
    int b = 0;
    for (int i = 0; i < 36;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return -1;
            i++;
            continue;
        }
        int hi = text_hex_value(s[i]), lo = text_hex_value(s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[b++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    return 0;
}

void ids_prefixed_random(const char *prefix, size_t n, char *out)
{
    size_t plen = strlen(prefix);
    unsigned char rnd[64];
    memcpy(out, prefix, plen);
    for (size_t done = 0; done < n; done++) {
        if (done % sizeof(rnd) == 0)
            ids_random(rnd, sizeof(rnd));
        out[plen + done] = crockford[rnd[done % sizeof(rnd)] & 31];
    }
    out[plen + n] = '\0';
}

int ids_is_prefixed(const char *s, const char *prefix, size_t min, size_t max)
{
    size_t plen = strlen(prefix);
    if (!s || strncmp(s, prefix, plen) != 0)
        return 0;
    s += plen;
    size_t n = strlen(s);
    if (n < min || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(crockford, s[i])) /* s[i] is never NUL here */
            return 0;
    return 1;
}
