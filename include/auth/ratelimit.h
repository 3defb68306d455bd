/* Per-token fixed-window rate limit shared by all workers: a table in anonymous shared
 * memory mapped by the master before fork, updated with atomic operations only (a
 * worker killed mid-update cannot leave a lock behind). */
#ifndef ECF_AUTH_RATELIMIT_H
#define ECF_AUTH_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

struct ratelimit;

struct ratelimit *ratelimit_new(size_t slots);
void ratelimit_free(struct ratelimit *rl);
/* Counts one request for key at real time now_s. Returns 1 when allowed; 0 when over
 * limit, with *retry_after set to the seconds until the window ends. */
int ratelimit_hit(struct ratelimit *rl, const char *key, long limit, long window_s, int64_t now_s,
                  long *retry_after);

#endif
