/* Byte-level text helpers shared by the parsers: hex digits and UTF-8. */
#ifndef ECF_CORE_TEXT_H
#define ECF_CORE_TEXT_H

#include <stddef.h>

/* 0..15 for a hex digit (either case), -1 otherwise. */
int text_hex_value(int c);
/* Length of the well-formed UTF-8 sequence starting at s[0] (a byte >= 0x80) within n
 * available bytes, or 0 if it is ill-formed (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF). */
size_t text_utf8_seq_len(const unsigned char *s, size_t n);
/* 1 when s[0..n) is well-formed UTF-8 without NUL bytes. */
int text_utf8_valid(const unsigned char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t text_utf8_length(const char *s, size_t n);

#endif
