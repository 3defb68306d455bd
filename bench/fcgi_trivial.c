/* bench/fcgi_trivial: the FastCGI ceiling. A prefork libfcgi responder that answers every
 * request with a fixed small JSON body and "Status: 200 OK", doing nothing else: what
 * nginx + libfcgi + fork-per-worker cost on this machine before any application work.
 *
 *   bench/fcgi_trivial [-P] SOCKET_PATH WORKERS
 *
 * -P: accept the way src/pool/worker.c does (a non-blocking listening socket, poll(), then
 * FCGX_Accept_r, EAGAIN when another worker won) instead of every worker blocking in
 * accept(), so that bench/run can price that pattern on its own.
 *
 * Unix socket only (mode 0666); SIGTERM or SIGINT stops it. Built on demand:
 * `make bench/fcgi_trivial` (EXTRA_PROGRAMS); bench/run starts it. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <fcntl.h>
#include <poll.h>

#include "prefork.h"

static const char reply[] = "Status: 200 OK\r\n"
                            "Content-Type: application/json; charset=utf-8\r\n"
                            "\r\n"
                            "{\"data\":{\"mentor_id\":\"mntr_0123456789\",\"status\":\"active\","
                            "\"is_eligible_for_assignment\":true}}";

static int trivial_worker(int listen_fd, void *arg)
{
    FCGX_Request req;
    const int poll_first = *(const int *)arg;
    if (FCGX_Init() != 0 || FCGX_InitRequest(&req, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
        fputs("fcgi_trivial: FastCGI initialisation failed\n", stderr);
        return 1;
    }
    while (!prefork_stop) {
        if (poll_first) {
            struct pollfd pfd = {listen_fd, POLLIN, 0};
            if (poll(&pfd, 1, 1000) <= 0)
                continue;
        }
        int rc = FCGX_Accept_r(&req);
        if (rc < 0) {
            if (prefork_stop)
                break;
            if (rc == -EINTR || rc == -EAGAIN || rc == -EWOULDBLOCK)
                continue;
            fprintf(stderr, "fcgi_trivial: accept failed: %d\n", rc);
            break;
        }
        FCGX_PutStr(reply, (int)(sizeof(reply) - 1), req.out);
        FCGX_Finish_r(&req);
    }
    FCGX_Free(&req, 1);
    return 0;
}

int main(int argc, char **argv)
{
    static int poll_first;
    int argi = 1;
    if (argc == 4 && strcmp(argv[1], "-P") == 0) {
        poll_first = 1;
        argi = 2;
    }
    if (argc - argi != 2) {
        fprintf(stderr, "usage: %s [-P] SOCKET_PATH WORKERS\n", argv[0]);
        return 2;
    }
    const char *path = argv[argi];
    int workers = prefork_parse_count(argv[argi + 1], PREFORK_MAX_WORKERS);
    if (workers < 0) {
        fprintf(stderr, "WORKERS must be 1 to %d\n", PREFORK_MAX_WORKERS);
        return 2;
    }
    int fd = prefork_listen(path);
    if (fd < 0)
        return 1;
    if (poll_first && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
        perror("fcntl");
        close(fd);
        unlink(path);
        return 1;
    }
    return prefork_run(fd, path, workers, trivial_worker, &poll_first,
                       poll_first ? "fcgi_trivial -P" : "fcgi_trivial");
}
