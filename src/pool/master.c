/* The master: owns the listening socket, forks and supervises workers, reloads on
 * SIGHUP (new generation first, then the old one drains), stops on SIGTERM (workers
 * finish the request in hand). Signal handlers only set flags. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auth/ratelimit.h"
#include "auth/tokens.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/write_gate.h"
#include "pool.h"

#define MAX_WORKERS 256
#define STOP_GRACE_SECONDS 30
#define RATELIMIT_SLOTS 16384

static volatile sig_atomic_t got_stop, got_reload, got_child;

static void on_signal(int sig)
{
    if (sig == SIGTERM || sig == SIGINT)
        got_stop = 1;
    else if (sig == SIGHUP)
        got_reload = 1;
    else if (sig == SIGCHLD)
        got_child = 1;
}

struct slot {
    pid_t pid; /* 0 = empty */
    unsigned generation;
    int64_t started_us;
    int64_t respawn_at_us; /* when empty and waiting out a back-off */
    int crashes;           /* consecutive abnormal exits */
    size_t gate_slot;      /* its byte in the write gate */
};

struct master {
    struct config cfg;
    const char *config_path;
    int listen_fd;
    int write_fd; /* -1 = no write socket */
    struct ratelimit *rl;
    struct write_gate *gate;
    unsigned generation;
    struct slot slots[MAX_WORKERS];
    int nslots;                  /* slots of the current generation */
    pid_t draining[MAX_WORKERS]; /* old-generation workers finishing */
    size_t draining_gate[MAX_WORKERS];
    int ndraining;
};

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* let poll() return EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

/* Binds a FastCGI socket, refusing to take over one that a live instance serves. */
static int open_socket(const char *path, unsigned mode)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(addr.sun_path)) {
        log_msg("error", "socket path is longer than %zu bytes: %s", sizeof(addr.sun_path) - 1,
                path);
        return -1;
    }
    memcpy(addr.sun_path, path, strlen(path) + 1);
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe >= 0) {
        int live = connect(probe, (struct sockaddr *)&addr, sizeof(addr)) == 0;
        close(probe);
        if (live) {
            log_msg("error", "another instance is serving %s; refusing to take it over", path);
            return -1;
        }
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            log_msg("error", "%s exists and is not a socket", path);
            return -1;
        }
        unlink(path); /* stale: nobody answers on it */
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        log_msg("error", "socket: %s", strerror(errno));
        return -1;
    }
    mode_t old = umask(0777 & ~mode);
    int b = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
    umask(old);
    if (b != 0 || chmod(path, mode) != 0 || listen(fd, 1024) != 0) {
        log_msg("error", "cannot listen on %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    /* Workers poll and then accept; non-blocking so a lost race returns EAGAIN. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static int drop_privileges(const struct config *cfg)
{
    if (geteuid() != 0 || !cfg->user[0])
        return 0;
    struct passwd *pw = getpwnam(cfg->user);
    if (!pw) {
        log_msg("error", "unknown user %s", cfg->user);
        return -1;
    }
    if (chown(cfg->socket_path, pw->pw_uid, pw->pw_gid) != 0 ||
        (cfg->write_socket_path[0] && chown(cfg->write_socket_path, pw->pw_uid, pw->pw_gid) != 0) ||
        setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
        log_msg("error", "cannot drop privileges to %s: %s", cfg->user, strerror(errno));
        return -1;
    }
    return 0;
}

static pid_t spawn(struct master *m, size_t gate_slot)
{
    pid_t pid = fork();
    if (pid < 0) {
        log_msg("error", "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        struct worker_sockets ws = {m->listen_fd, m->write_fd, m->gate, gate_slot};
        int status = worker_run(&ws, &m->cfg, m->rl);
        _exit(status);
    }
    return pid;
}

static void start_slot(struct master *m, struct slot *s)
{
    /* Generations alternate between the two halves of the gate, so a worker of the old
     * generation still finishing a write keeps its byte. */
    s->gate_slot = (size_t)(m->generation & 1) * MAX_WORKERS + (size_t)(s - m->slots);
    write_gate_leave(m->gate, s->gate_slot);
    pid_t pid = spawn(m, s->gate_slot);
    s->generation = m->generation;
    s->respawn_at_us = 0;
    if (pid > 0) {
        s->pid = pid;
        s->started_us = clock_real_us();
    } else {
        s->pid = 0;
        s->respawn_at_us = clock_real_us() + CLOCK_US_PER_SEC;
    }
}

static void describe_exit(int status, char *buf, size_t len)
{
    if (WIFEXITED(status))
        xsnprintf(buf, len, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        xsnprintf(buf, len, "signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        xsnprintf(buf, len, "status %d", status);
}

/* Collects dead children; schedules replacements for the current generation. */
static void reap(struct master *m, int stopping)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        int found = 0;
        for (int i = 0; i < m->ndraining; i++) {
            if (m->draining[i] == pid) {
                write_gate_leave(m->gate, m->draining_gate[i]);
                m->ndraining--;
                m->draining[i] = m->draining[m->ndraining];
                m->draining_gate[i] = m->draining_gate[m->ndraining];
                found = 1;
                break;
            }
        }
        if (found)
            continue;
        for (int i = 0; i < m->nslots; i++) {
            struct slot *s = &m->slots[i];
            if (s->pid != pid)
                continue;
            s->pid = 0;
            /* A worker killed while serving a write must not hold its place in the gate. */
            write_gate_leave(m->gate, s->gate_slot);
            if (stopping)
                break;
            char why[96];
            describe_exit(status, why, sizeof(why));
            int64_t now = clock_real_us();
            int clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
            if (clean) {
                /* Recycled after max_requests: replace at once. */
                s->crashes = 0;
                s->respawn_at_us = now;
                log_msg("info", "worker %d recycled (%s)", (int)pid, why);
            } else {
                if (now - s->started_us > 10 * CLOCK_US_PER_SEC)
                    s->crashes = 0;
                s->crashes++;
                int shift = s->crashes > 6 ? 6 : s->crashes - 1;
                int64_t delay = (100000LL << shift);
                if (delay > 5 * CLOCK_US_PER_SEC)
                    delay = 5 * CLOCK_US_PER_SEC;
                s->respawn_at_us = now + delay;
                log_msg("warn", "worker %d died (%s); restarting in %lld ms", (int)pid, why,
                        (long long)(delay / 1000));
            }
            break;
        }
    }
}

static void respawn_due(struct master *m)
{
    int64_t now = clock_real_us();
    for (int i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i];
        if (s->pid == 0 && s->respawn_at_us && s->respawn_at_us <= now)
            start_slot(m, s);
    }
}

static void reload(struct master *m)
{
    char err[256];
    struct config next;
    struct jwt_keys keys;
    if (config_load(&next, m->config_path, err, sizeof(err)) != 0) {
        log_msg("error", "reload refused: %s", err);
        return;
    }
    if (tokens_load_keys(&next, 0, &keys, err, sizeof(err)) != 0) {
        log_msg("error", "reload refused: %s", err);
        return;
    }
    tokens_free_keys(&keys);
    if (strcmp(next.socket_path, m->cfg.socket_path) != 0)
        log_msg("warn", "socket_path changes need a restart; keeping %s", m->cfg.socket_path);
    xsnprintf(next.socket_path, sizeof(next.socket_path), "%s", m->cfg.socket_path);
    if (strcmp(next.write_socket_path, m->cfg.write_socket_path) != 0)
        log_msg("warn", "write_socket_path changes need a restart; keeping '%s'",
                m->cfg.write_socket_path);
    xsnprintf(next.write_socket_path, sizeof(next.write_socket_path), "%s",
              m->cfg.write_socket_path);
    if (next.workers > MAX_WORKERS)
        next.workers = MAX_WORKERS;
    /* Old workers keep serving until the new generation is forked, then drain. */
    for (int i = 0; i < m->nslots; i++) {
        if (m->slots[i].pid > 0 && m->ndraining < MAX_WORKERS) {
            m->draining_gate[m->ndraining] = m->slots[i].gate_slot;
            m->draining[m->ndraining++] = m->slots[i].pid;
        }
        m->slots[i].pid = 0;
    }
    m->cfg = next;
    m->generation++;
    m->nslots = m->cfg.workers;
    for (int i = 0; i < m->nslots; i++) {
        memset(&m->slots[i], 0, sizeof(m->slots[i]));
        start_slot(m, &m->slots[i]);
    }
    for (int i = 0; i < m->ndraining; i++)
        kill(m->draining[i], SIGTERM);
    log_msg("info", "reloaded: generation %u with %d workers; %d draining", m->generation,
            m->nslots, m->ndraining);
}

static int live_children(const struct master *m)
{
    int n = m->ndraining;
    for (int i = 0; i < m->nslots; i++)
        if (m->slots[i].pid > 0)
            n++;
    return n;
}

static void signal_all(struct master *m, int sig)
{
    for (int i = 0; i < m->nslots; i++)
        if (m->slots[i].pid > 0)
            kill(m->slots[i].pid, sig);
    for (int i = 0; i < m->ndraining; i++)
        kill(m->draining[i], sig);
}

static void stop_all(struct master *m)
{
    log_msg("info", "stopping: waiting for %d workers to finish", live_children(m));
    signal_all(m, SIGTERM);
    int64_t deadline = clock_real_us() + STOP_GRACE_SECONDS * CLOCK_US_PER_SEC;
    while (live_children(m) > 0) {
        if (clock_real_us() > deadline) {
            log_msg("warn", "workers did not stop in %d s; killing them", STOP_GRACE_SECONDS);
            signal_all(m, SIGKILL);
            deadline = INT64_MAX;
        }
        poll(NULL, 0, 50);
        reap(m, 1);
    }
}

static void close_sockets(struct master *m)
{
    close(m->listen_fd);
    unlink(m->cfg.socket_path);
    if (m->write_fd >= 0) {
        close(m->write_fd);
        unlink(m->cfg.write_socket_path);
    }
}

static int write_pid_file(const char *path)
{
    if (!path[0])
        return 0;
    char buf[32];
    int n = xsnprintf(buf, sizeof(buf), "%d\n", (int)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, buf, (size_t)n) != n) {
        log_msg("error", "cannot write pid file %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

int master_run(const char *config_path, const struct config *cfg)
{
    static struct master m;
    char err[256];
    struct jwt_keys keys;
    memset(&m, 0, sizeof(m));
    m.cfg = *cfg;
    m.config_path = config_path;
    log_set_component("master");

    /* Refuse to start with a key that workers would reject anyway. */
    if (tokens_load_keys(&m.cfg, 0, &keys, err, sizeof(err)) != 0) {
        log_msg("error", "%s", err);
        return 1;
    }
    tokens_free_keys(&keys);
    if (m.cfg.workers > MAX_WORKERS)
        m.cfg.workers = MAX_WORKERS;

    install_signals();
    m.write_fd = -1;
    m.listen_fd = open_socket(m.cfg.socket_path, m.cfg.socket_mode);
    if (m.listen_fd < 0)
        return 1;
    if (m.cfg.write_socket_path[0]) {
        m.write_fd = open_socket(m.cfg.write_socket_path, m.cfg.socket_mode);
        if (m.write_fd < 0) {
            close(m.listen_fd);
            unlink(m.cfg.socket_path);
            return 1;
        }
    }
    if (drop_privileges(&m.cfg) != 0 || write_pid_file(m.cfg.pid_file) != 0) {
        close_sockets(&m);
        return 1;
    }
    /* Shared by every worker of every generation: mapped before the first fork. */
    m.rl = ratelimit_new(RATELIMIT_SLOTS);
    if (!m.rl) {
        log_msg("error", "cannot map the rate-limit table");
        return 1;
    }
    m.gate = write_gate_new(2 * MAX_WORKERS);
    if (!m.gate) {
        log_msg("error", "cannot map the write gate");
        return 1;
    }
    m.nslots = m.cfg.workers;
    for (int i = 0; i < m.nslots; i++)
        start_slot(&m, &m.slots[i]);
    log_msg("info", "listening on %s with %d workers", m.cfg.socket_path, m.nslots);
    if (m.write_fd >= 0)
        log_msg("info", "writes on %s; at most %d while reads wait", m.cfg.write_socket_path,
                m.cfg.write_budget);

    while (!got_stop) {
        poll(NULL, 0, 100);
        if (got_child) {
            got_child = 0;
            reap(&m, 0);
        }
        if (got_reload) {
            got_reload = 0;
            reload(&m);
        }
        respawn_due(&m);
    }
    stop_all(&m);
    close_sockets(&m);
    if (m.cfg.pid_file[0])
        unlink(m.cfg.pid_file);
    ratelimit_free(m.rl);
    write_gate_free(m.gate);
    log_msg("info", "stopped");
    return 0;
}
