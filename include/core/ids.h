/* Identifiers: random bytes, UUID text <-> 16 bytes, Crockford base32. */
#ifndef ECF_CORE_IDS_H
#define ECF_CORE_IDS_H

#include <stddef.h>
#include <stdint.h>

#define UUID_TEXT_LEN 37 /* 36 + NUL */

/* Fills buf from the kernel CSPRNG; aborts if it cannot (never weak randomness). */
void ids_random(void *buf, size_t len);
void ids_uuid_v4(uint8_t out[16]);
void ids_uuid_format(const uint8_t in[16], char out[UUID_TEXT_LEN]);
/* Canonical 8-4-4-4-12 hex, either case. 0 ok, -1 bad. */
int ids_uuid_parse(const char *s, uint8_t out[16]);
/* prefix + n random Crockford base32 characters (0-9, A-Z without I L O U). out needs
 * strlen(prefix)+n+1 bytes. */
void ids_prefixed_random(const char *prefix, size_t n, char *out);
/* 1 when s is prefix followed by min..max Crockford base32 characters (upper case). */
int ids_is_prefixed(const char *s, const char *prefix, size_t min, size_t max);

#endif
