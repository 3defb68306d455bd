/* The prefork pool: a master that owns the FastCGI socket and supervises workers. */
#ifndef ECF_POOL_POOL_H
#define ECF_POOL_POOL_H

#include <signal.h>
#include <stddef.h>

struct config;
struct ratelimit;
struct write_gate;

/* What a worker accepts on: the main socket, the optional write socket (-1 = none) and
 * the gate that bounds writes while reads wait (its own byte in it). */
struct worker_sockets {
    int read_fd;
    int write_fd;
    struct write_gate *gate;
    size_t gate_slot;
};

/* Runs the master until SIGTERM/SIGINT; returns the process exit status. */
int master_run(const char *config_path, const struct config *cfg);

/* Serves requests on the sockets until told to stop or recycled; returns the exit status.
 * Called in a freshly forked child. */
int worker_run(const struct worker_sockets *ws, const struct config *cfg, struct ratelimit *rl);

/* Set by the worker's signal handler. */
extern volatile sig_atomic_t worker_stop;

#endif
