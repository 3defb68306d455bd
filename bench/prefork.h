/* The prefork skeleton shared by the two ceiling responders (bench/fcgi_trivial.c and
 * bench/fcgi_select.c). Not product code: a yardstick for what libfcgi behind nginx can do
 * on this machine, so that bench/run can put the service's numbers next to it.
 *
 * The master binds a unix socket (never TCP), forks N workers that all block in
 * FCGX_Accept_r on it (Linux wakes one of them per connection), and waits. SIGTERM or
 * SIGINT to the master stops the workers (SIGTERM, then SIGKILL after a grace period),
 * removes the socket and exits. A worker that dies is reported and not replaced. */
#ifndef ECF_BENCH_PREFORK_H
#define ECF_BENCH_PREFORK_H

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PREFORK_MAX_WORKERS 256
#define PREFORK_GRACE_SECONDS 3

/* Set in a worker when it should stop after the request in hand. */
static volatile sig_atomic_t prefork_stop;

typedef int (*prefork_worker_fn)(int listen_fd, void *arg);

static void prefork_worker_on_stop(int sig)
{
    (void)sig;
    prefork_stop = 1;
    FCGX_ShutdownPending(); /* only sets libfcgi's flag: safe in a handler */
}

/* In a worker: our handlers before FCGX_Init (which then leaves SIGTERM alone), no
 * SA_RESTART so a blocked accept() returns EINTR (with FCGI_FAIL_ACCEPT_ON_INTR). */
static void prefork_worker_signals(void)
{
    struct sigaction sa;
    sigset_t none;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = prefork_worker_on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Parses a positive int in [1, max]; -1 when it is not one. */
static int prefork_parse_count(const char *s, int max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > max)
        return -1;
    return (int)v;
}

/* Binds and listens on a unix socket (mode 0666: nginx's workers may run as another
 * user). Refuses to take over a socket that something still answers on. */
static int prefork_listen(const char *path)
{
    struct sockaddr_un addr;
    struct stat st;
    size_t len = strlen(path);
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    if (len == 0 || len >= sizeof(addr.sun_path)) {
        fprintf(stderr, "socket path must be 1 to %zu bytes: %s\n", sizeof(addr.sun_path) - 1,
                path);
        return -1;
    }
    memcpy(addr.sun_path, path, len + 1);
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe >= 0) {
        int live = connect(probe, (struct sockaddr *)&addr, sizeof(addr)) == 0;
        close(probe);
        if (live) {
            fprintf(stderr, "something already answers on %s; not taking it over\n", path);
            return -1;
        }
    }
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            fprintf(stderr, "%s exists and is not a socket\n", path);
            return -1;
        }
        unlink(path); /* stale: nobody answers on it */
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return -1;
    }
    mode_t old = umask(0111);
    int b = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
    umask(old);
    if (b != 0 || listen(fd, 1024) != 0) {
        fprintf(stderr, "cannot listen on %s: %s\n", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int prefork_alive(const pid_t *pids, int n)
{
    int alive = 0;
    for (int i = 0; i < n; i++)
        alive += pids[i] > 0;
    return alive;
}

/* Reaps whatever has exited; reports workers that died on their own. */
static void prefork_reap(pid_t *pids, int n, int stopping, const char *name)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < n; i++) {
            if (pids[i] != pid)
                continue;
            pids[i] = 0;
            if (!stopping)
                fprintf(stderr, "%s: worker %ld exited (status 0x%x); not replaced\n", name,
                        (long)pid, (unsigned)status);
        }
    }
}

/* Forks nworkers running fn(listen_fd, arg) and supervises them until SIGTERM/SIGINT or
 * until all of them have exited. Returns the exit status for the master. */
static int prefork_run(int listen_fd, const char *socket_path, int nworkers, prefork_worker_fn fn,
                       void *arg, const char *name)
{
    pid_t pids[PREFORK_MAX_WORKERS];
    sigset_t wait_set, old_set;
    struct sigaction sa;
    int status = 0;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, NULL);
    /* The master takes its signals synchronously (sigtimedwait): no handler races. */
    sigemptyset(&wait_set);
    sigaddset(&wait_set, SIGTERM);
    sigaddset(&wait_set, SIGINT);
    sigaddset(&wait_set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &wait_set, &old_set);

    memset(pids, 0, sizeof(pids));
    for (int i = 0; i < nworkers; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            status = 1;
            break;
        }
        if (pid == 0) {
            prefork_worker_signals();
            _exit(fn(listen_fd, arg));
        }
        pids[i] = pid;
    }
    if (status == 0)
        fprintf(stderr, "%s: %d workers on %s (master %ld)\n", name, nworkers, socket_path,
                (long)getpid());

    while (status == 0 && prefork_alive(pids, nworkers) > 0) {
        struct timespec tick = {1, 0};
        int sig = sigtimedwait(&wait_set, NULL, &tick);
        if (sig == SIGTERM || sig == SIGINT)
            break;
        prefork_reap(pids, nworkers, 0, name);
    }
    if (prefork_alive(pids, nworkers) == 0 && status == 0) {
        fprintf(stderr, "%s: every worker has exited\n", name);
        status = 1;
    }

    /* Stop: SIGTERM, a grace period, then SIGKILL. */
    for (int i = 0; i < nworkers; i++)
        if (pids[i] > 0)
            kill(pids[i], SIGTERM);
    for (int t = 0; t < PREFORK_GRACE_SECONDS * 10 && prefork_alive(pids, nworkers) > 0; t++) {
        struct timespec ms100 = {0, 100 * 1000 * 1000};
        nanosleep(&ms100, NULL);
        prefork_reap(pids, nworkers, 1, name);
    }
    for (int i = 0; i < nworkers; i++) {
        if (pids[i] > 0) {
            kill(pids[i], SIGKILL);
            waitpid(pids[i], NULL, 0);
            pids[i] = 0;
        }
    }
    close(listen_fd);
    unlink(socket_path);
    sigprocmask(SIG_SETMASK, &old_set, NULL);
    return status;
}

#endif
