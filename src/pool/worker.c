/* A worker: one database connection, one arena, FastCGI requests one at a time. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcgiapp.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/routes.h"
#include "auth/jwt.h"
#include "auth/jwt_cache.h"
#include "auth/token_registry.h"
#include "auth/tokens.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "core/write_gate.h"
#include "db/db.h"
#include "http/dispatch.h"
#include "pool.h"

volatile sig_atomic_t worker_stop;

static void on_stop(int sig)
{
    (void)sig;
    worker_stop = 1;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    /* Restart reads/writes of the request in flight; poll() still returns EINTR. */
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
}

/* Reads the request body: at most limit bytes; larger bodies are not read at all. */
static void read_body(FCGX_Request *fr, struct arena *a, size_t limit, struct raw_request *raw)
{
    const char *cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
    raw->body = NULL;
    raw->body_len = 0;
    if (!cl || !*cl)
        return;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    if (errno || *end || n > limit) {
        raw->body_too_large = 1;
        return;
    }
    char *buf = arena_alloc(a, (size_t)n + 1);
    size_t got = 0;
    while (got < n) {
        int r = FCGX_GetStr(buf + got, (int)(n - got), fr->in);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    raw->body = buf;
    raw->body_len = got;
}

static void serve(FCGX_Request *fr, struct app_env *env, struct arena *a)
{
    struct raw_request raw;
    memset(&raw, 0, sizeof(raw));
    raw.method = FCGX_GetParam("REQUEST_METHOD", fr->envp);
    raw.path = FCGX_GetParam("DOCUMENT_URI", fr->envp);
    if (!raw.path)
        raw.path = FCGX_GetParam("SCRIPT_NAME", fr->envp);
    raw.query = FCGX_GetParam("QUERY_STRING", fr->envp);
    raw.content_type = FCGX_GetParam("CONTENT_TYPE", fr->envp);
    raw.authorization = FCGX_GetParam("HTTP_AUTHORIZATION", fr->envp);
    raw.request_id = FCGX_GetParam("HTTP_X_REQUEST_ID", fr->envp);
    raw.server_date = FCGX_GetParam("HTTP_X_WITH_SERVER_DATE", fr->envp);
    read_body(fr, a, env->cfg->body_limit, &raw);
    size_t len;
    const char *out = dispatch(env, a, &raw, &len);
    /* FCGX_PutStr takes an int; answers are far below 2 GiB but write in pieces anyway. */
    while (len > 0) {
        int chunk = len > (1u << 30) ? (1 << 30) : (int)len;
        if (FCGX_PutStr(out, chunk, fr->out) < 0)
            break;
        out += chunk;
        len -= (size_t)chunk;
    }
}

/* Polls the sockets and picks one (write_gate_choose); returns the request accepted on,
 * or NULL (nothing pending, lost the race, interrupted). *is_write tells which; a write
 * holds the worker's byte in the gate until write_done. */
static FCGX_Request *accept_one(const struct worker_sockets *ws, const struct config *cfg,
                                FCGX_Request *rd, FCGX_Request *wr, int *is_write, int *failed)
{
    struct pollfd pfd[2] = {{ws->read_fd, POLLIN, 0}, {ws->write_fd, POLLIN, 0}};
    int nfds = ws->write_fd >= 0 ? 2 : 1;
    *is_write = 0;
    *failed = 0;
    int p = poll(pfd, (nfds_t)nfds, 1000);
    if (p <= 0 || worker_stop)
        return NULL;
    int read_pending = (pfd[0].revents & POLLIN) != 0;
    int write_pending = nfds == 2 && (pfd[1].revents & POLLIN) != 0;
    int in_flight = write_pending && read_pending ? write_gate_in_flight(ws->gate) : 0;
    enum gate_choice c = write_gate_choose(read_pending, write_pending, in_flight,
                                           read_pending ? cfg->write_budget : 0);
    FCGX_Request *fr = rd;
    if (c == GATE_NONE)
        return NULL;
    if (c == GATE_WRITE) {
        /* With reads waiting, enter only within the budget (checked again, atomically);
         * else serve the read. With none waiting, every worker may take writes. */
        if (write_gate_enter(ws->gate, ws->gate_slot, read_pending ? cfg->write_budget : 0)) {
            fr = wr;
            *is_write = 1;
        } else if (!read_pending) {
            return NULL;
        }
    }
    /* The listening sockets are non-blocking: when another worker won the race the
     * accept fails with EAGAIN and we go back to waiting. */
    int rc = FCGX_Accept_r(fr);
    if (rc >= 0)
        return fr;
    if (*is_write)
        write_gate_leave(ws->gate, ws->gate_slot);
    *is_write = 0;
    if (rc != -EAGAIN && rc != -EWOULDBLOCK && rc != -EINTR) {
        log_msg("error", "FastCGI accept failed: %d", rc);
        *failed = 1;
    }
    return NULL;
}

int worker_run(const struct worker_sockets *ws, const struct config *cfg, struct ratelimit *rl)
{
    char err[256];
    struct jwt_keys keys;
    struct app_env env;
    FCGX_Request fr, fw;
    long served = 0;
    int status = 0;

    install_signals();
    log_set_component("worker");
    if (tokens_load_keys(cfg, 0, &keys, err, sizeof(err))) {
        log_msg("error", "%s", err);
        return 1;
    }
    memset(&env, 0, sizeof(env));
    env.cfg = cfg;
    env.keys = &keys;
    env.ratelimit = rl;
    env.routes = app_routes_all(&env.nroutes);
    env.tokens = token_registry_new(cfg->token_cache_seconds);
    env.verified = jwt_cache_new();
    env.db = db_open(cfg, err, sizeof(err));
    if (!env.db) {
        log_msg("error", "%s", err);
        status = 1;
        goto out;
    }
    /* Answers of 100 KiB (a page of 100 participants) allocate and free blocks of that size
     * on every request; with glibc's adaptive thresholds each request then trimmed and grew
     * the heap again: page faults and TLB shootdowns, a fifth of a worker's CPU. Keep up to
     * 4 MiB of freed heap, and map blocks of 1 MiB and more (pages of 3000 participants,
     * about 3 MiB) on their own, so they go back to the system when the request ends and
     * do not fragment the heap (RSS: bench/results/participants.md). */
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
    struct arena *arena = arena_new(64 * 1024);
    if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, ws->read_fd, 0) != 0 ||
        FCGX_InitRequest(&fw, ws->write_fd >= 0 ? ws->write_fd : ws->read_fd, 0) != 0) {
        log_msg("error", "FastCGI initialisation failed");
        arena_free(arena);
        status = 1;
        goto out;
    }
    while (!worker_stop && (cfg->max_requests == 0 || served < cfg->max_requests)) {
        int is_write, failed;
        FCGX_Request *req = accept_one(ws, cfg, &fr, &fw, &is_write, &failed);
        if (failed) {
            status = 1;
            break;
        }
        if (!req)
            continue;
        serve(req, &env, arena);
        FCGX_Finish_r(req);
        if (is_write)
            write_gate_leave(ws->gate, ws->gate_slot);
        arena_reset(arena);
        served++;
    }
    FCGX_Free(&fr, 1);
    FCGX_Free(&fw, 1);
    arena_free(arena);
out:
    db_close(env.db);
    token_registry_free(env.tokens);
    jwt_cache_free(env.verified);
    tokens_free_keys(&keys);
    return status;
}
