/* ecfctl internals shared by its command modules. */
#ifndef ECF_CTL_CTL_H
#define ECF_CTL_CTL_H

#include <stdint.h>

#include "core/config.h"

struct db;
struct arena;

struct ctl {
    struct config cfg;
    struct db *db;
    struct arena *arena;
    int64_t now_us;
};

/* Exit codes: 0 ok, 1 failure (one line on stderr), 2 usage. */
#define CTL_OK 0
#define CTL_FAIL 1
#define CTL_USAGE 2

int ctl_seed(struct ctl *c, int argc, char **argv);
int ctl_refresh(struct ctl *c);
/* refresh with its options (--since, --now); argv[0] is "refresh". */
int ctl_refresh_argv(struct ctl *c, int argc, char **argv);
/* n synthetic participants across k lead providers (seed --participants). */
int ctl_seed_participants(struct ctl *c, long n, long k);
/* Prints "ecfctl: <message>" on stderr and returns CTL_FAIL. */
int ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
