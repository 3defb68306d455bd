/* The prefork pool: a master that owns the FastCGI socket and supervises workers. */
#ifndef ECF_POOL_POOL_H
#define ECF_POOL_POOL_H

#include <signal.h>

struct config;
struct ratelimit;

/* Runs the master until SIGTERM/SIGINT; returns the process exit status. */
int master_run(const char *config_path, const struct config *cfg);

/* Serves requests on listen_fd until told to stop or recycled; returns the exit status.
 * Called in a freshly forked child. */
int worker_run(int listen_fd, const struct config *cfg, struct ratelimit *rl);

/* Set by the worker's signal handler. */
extern volatile sig_atomic_t worker_stop;

#endif
