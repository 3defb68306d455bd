/* bench/fcgi_select: the one-SELECT ceiling. bench/fcgi_trivial plus, per request, one
 * prepared primary-key SELECT on the mentors table over MariaDB's unix socket, rendered as
 * a small JSON body: the least a "GET one row" endpoint can cost on this machine.
 *
 *   bench/fcgi_select -s SOCKET_PATH -w WORKERS -S DB_SOCKET -u DB_USER -d DB_NAME
 *                     -p DB_PASSWORD_FILE
 *
 * Each request reads the row with a uniformly random id in [MIN(id), MAX(id)] (taken once
 * at start-up): 200 with {"id":..,"mentor_id":..,"full_name":..}; an id in a gap of the
 * sequence draws again (a few times, then 404); 503 when the database fails. Unix sockets
 * only; SIGTERM or SIGINT stops it. Not product code. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errmsg.h>
#include <fcntl.h>
#include <mysql.h>
#include <stdint.h>

#include "prefork.h"

#define QUERY "SELECT id, mentor_id, full_name FROM mentors WHERE id = ?"
#define MENTOR_ID_MAX 64
#define FULL_NAME_MAX 1024 /* VARCHAR(200) utf8mb4: at most 800 bytes */
#define DRAWS 4            /* ids tried per request before answering 404 */

struct select_cfg {
    const char *db_socket, *db_user, *db_name;
    char password[256];
    long long min_id, max_id;
};

struct select_conn {
    MYSQL *db;
    MYSQL_STMT *stmt;
    MYSQL_BIND param, result[3];
    long long want_id, got_id;
    char mentor_id[MENTOR_ID_MAX], full_name[FULL_NAME_MAX];
    unsigned long len[3];
    my_bool is_null[3], error[3];
};

/* Reads the first line of a secret file (trailing newline stripped). */
static int read_password(const char *path, char *out, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "fcgi_select: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    ssize_t n = read(fd, out, size - 1);
    close(fd);
    if (n <= 0 || (size_t)n >= size - 1) {
        fprintf(stderr, "fcgi_select: %s is empty or too long\n", path);
        return -1;
    }
    out[n] = '\0';
    out[strcspn(out, "\r\n")] = '\0';
    return out[0] ? 0 : -1;
}

static MYSQL *connect_db(const struct select_cfg *cfg)
{
    MYSQL *m = mysql_init(NULL);
    unsigned timeout = 3;
    if (!m)
        return NULL;
    mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    /* "localhost" + a socket path: the unix socket, never TCP. */
    if (!mysql_real_connect(m, "localhost", cfg->db_user, cfg->password, cfg->db_name, 0,
                            cfg->db_socket, 0)) {
        fprintf(stderr, "fcgi_select: cannot connect: %u %s\n", mysql_errno(m), mysql_error(m));
        mysql_close(m);
        return NULL;
    }
    return m;
}

static void conn_close(struct select_conn *c)
{
    if (c->stmt)
        mysql_stmt_close(c->stmt);
    if (c->db)
        mysql_close(c->db);
    c->stmt = NULL;
    c->db = NULL;
}

/* Connects and prepares the statement with its bindings. 0 or -1. */
static int conn_open(struct select_conn *c, const struct select_cfg *cfg)
{
    conn_close(c);
    if (!(c->db = connect_db(cfg)))
        return -1;
    if (!(c->stmt = mysql_stmt_init(c->db)) ||
        mysql_stmt_prepare(c->stmt, QUERY, (unsigned long)strlen(QUERY))) {
        fprintf(stderr, "fcgi_select: prepare failed: %s\n",
                c->stmt ? mysql_stmt_error(c->stmt) : mysql_error(c->db));
        conn_close(c);
        return -1;
    }
    memset(&c->param, 0, sizeof(c->param));
    c->param.buffer_type = MYSQL_TYPE_LONGLONG;
    c->param.buffer = &c->want_id;
    memset(c->result, 0, sizeof(c->result));
    c->result[0].buffer_type = MYSQL_TYPE_LONGLONG;
    c->result[0].buffer = &c->got_id;
    c->result[1].buffer_type = MYSQL_TYPE_STRING;
    c->result[1].buffer = c->mentor_id;
    c->result[1].buffer_length = sizeof(c->mentor_id);
    c->result[2].buffer_type = MYSQL_TYPE_STRING;
    c->result[2].buffer = c->full_name;
    c->result[2].buffer_length = sizeof(c->full_name);
    for (int i = 0; i < 3; i++) {
        c->result[i].length = &c->len[i];
        c->result[i].is_null = &c->is_null[i];
        c->result[i].error = &c->error[i];
    }
    if (mysql_stmt_bind_param(c->stmt, &c->param) || mysql_stmt_bind_result(c->stmt, c->result)) {
        fprintf(stderr, "fcgi_select: bind failed: %s\n", mysql_stmt_error(c->stmt));
        conn_close(c);
        return -1;
    }
    return 0;
}

/* Looks up one row: 1 found, 0 not found, -1 database error. */
static int lookup_once(struct select_conn *c)
{
    if (!c->stmt)
        return -1;
    if (mysql_stmt_execute(c->stmt))
        return -1;
    int found = 0;
    int f = mysql_stmt_fetch(c->stmt);
    if (f == 0 && !c->is_null[1] && !c->is_null[2])
        found = 1;
    else if (f != MYSQL_NO_DATA)
        found = -1; /* an error, or MYSQL_DATA_TRUNCATED: our buffers are sized to fit */
    mysql_stmt_free_result(c->stmt);
    return found;
}

static int lookup(struct select_conn *c, const struct select_cfg *cfg)
{
    int rc = lookup_once(c);
    if (rc >= 0)
        return rc;
    unsigned e = c->stmt ? mysql_stmt_errno(c->stmt) : CR_SERVER_GONE_ERROR;
    if (e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST || e == CR_SERVER_LOST_EXTENDED ||
        !c->stmt) {
        /* Prepared statements die with the connection: reconnect and prepare again. */
        if (conn_open(c, cfg) == 0)
            return lookup_once(c);
    } else {
        fprintf(stderr, "fcgi_select: query failed: %u %s\n", e, mysql_stmt_error(c->stmt));
    }
    return -1;
}

/* JSON string contents of s[0..len) into out (size bytes). 0, or -1 when it does not fit. */
static int json_escape(const char *s, size_t len, char *out, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (o + 7 > size)
            return -1;
        if (ch == '"' || ch == '\\') {
            out[o++] = '\\';
            out[o++] = (char)ch;
        } else if (ch < 0x20 || ch == 0x7f) {
            out[o++] = '\\';
            out[o++] = 'u';
            out[o++] = '0';
            out[o++] = '0';
            out[o++] = hex[ch >> 4];
            out[o++] = hex[ch & 15];
        } else {
            out[o++] = (char)ch;
        }
    }
    if (o >= size)
        return -1;
    out[o] = '\0';
    return 0;
}

/* xorshift64*: good enough to spread ids, per process. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static void put(FCGX_Request *req, const char *s, size_t len)
{
    FCGX_PutStr(s, (int)len, req->out);
}

static void reply_error(FCGX_Request *req, const char *status, const char *title)
{
    char buf[256];
    int n = snprintf(buf, sizeof(buf),
                     "Status: %s\r\nContent-Type: application/json; charset=utf-8\r\n\r\n"
                     "{\"errors\":[{\"title\":\"%s\"}]}",
                     status, title);
    if (n > 0 && (size_t)n < sizeof(buf))
        put(req, buf, (size_t)n);
}

static void serve(FCGX_Request *req, struct select_conn *c, const struct select_cfg *cfg)
{
    char name[6 * FULL_NAME_MAX + 1], mentor_id[6 * MENTOR_ID_MAX + 1];
    char body[sizeof(name) + sizeof(mentor_id) + 256];
    uint64_t span = (uint64_t)(cfg->max_id - cfg->min_id) + 1;
    int found = 0;
    for (int draw = 0; draw < DRAWS && found == 0; draw++) {
        c->want_id = cfg->min_id + (long long)(rng_next() % span);
        found = lookup(c, cfg);
    }
    if (found < 0) {
        reply_error(req, "503 Service Unavailable", "Service unavailable");
        return;
    }
    if (found == 0) {
        reply_error(req, "404 Not Found", "Resource not found");
        return;
    }
    if (json_escape(c->mentor_id, c->len[1], mentor_id, sizeof(mentor_id)) ||
        json_escape(c->full_name, c->len[2], name, sizeof(name))) {
        reply_error(req, "500 Internal Server Error", "Internal server error");
        return;
    }
    int n = snprintf(body, sizeof(body),
                     "Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n\r\n"
                     "{\"data\":{\"id\":%lld,\"mentor_id\":\"%s\",\"full_name\":\"%s\"}}",
                     c->got_id, mentor_id, name);
    if (n < 0 || (size_t)n >= sizeof(body)) {
        reply_error(req, "500 Internal Server Error", "Internal server error");
        return;
    }
    put(req, body, (size_t)n);
}

static int select_worker(int listen_fd, void *arg)
{
    const struct select_cfg *cfg = arg;
    struct select_conn conn;
    FCGX_Request req;
    memset(&conn, 0, sizeof(conn));
    rng_state = ((uint64_t)getpid() << 32) ^ (uint64_t)time(NULL) ^ 0x9e3779b97f4a7c15ull;
    if (!rng_state)
        rng_state = 1;
    if (mysql_thread_init() != 0 || conn_open(&conn, cfg) != 0)
        return 1;
    if (FCGX_Init() != 0 || FCGX_InitRequest(&req, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
        fputs("fcgi_select: FastCGI initialisation failed\n", stderr);
        conn_close(&conn);
        return 1;
    }
    while (!prefork_stop) {
        int rc = FCGX_Accept_r(&req);
        if (rc < 0) {
            if (prefork_stop)
                break;
            if (rc == -EINTR)
                continue;
            fprintf(stderr, "fcgi_select: accept failed: %d\n", rc);
            break;
        }
        serve(&req, &conn, cfg);
        FCGX_Finish_r(&req);
    }
    FCGX_Free(&req, 1);
    conn_close(&conn);
    return 0;
}

/* MIN(id) and MAX(id) of the mentors table, once, before forking. */
static int id_range(struct select_cfg *cfg)
{
    MYSQL *m = connect_db(cfg);
    int rc = -1;
    if (!m)
        return -1;
    if (mysql_query(m, "SELECT MIN(id), MAX(id) FROM mentors") == 0) {
        MYSQL_RES *res = mysql_store_result(m);
        MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
        if (row && row[0] && row[1]) {
            cfg->min_id = strtoll(row[0], NULL, 10);
            cfg->max_id = strtoll(row[1], NULL, 10);
            rc = cfg->min_id >= 1 && cfg->max_id >= cfg->min_id ? 0 : -1;
        }
        if (res)
            mysql_free_result(res);
    }
    if (rc)
        fprintf(stderr, "fcgi_select: the mentors table is empty or unreadable (%s)\n",
                mysql_error(m));
    mysql_close(m);
    return rc;
}

static void usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s -s SOCKET_PATH -w WORKERS -S DB_SOCKET -u DB_USER -d DB_NAME "
            "-p DB_PASSWORD_FILE\n",
            argv0);
}

int main(int argc, char **argv)
{
    struct select_cfg cfg;
    const char *sock = NULL, *pwfile = NULL;
    int workers = -1, opt;
    memset(&cfg, 0, sizeof(cfg));
    while ((opt = getopt(argc, argv, "s:w:S:u:d:p:")) != -1) {
        switch (opt) {
        case 's': sock = optarg; break;
        case 'w': workers = prefork_parse_count(optarg, PREFORK_MAX_WORKERS); break;
        case 'S': cfg.db_socket = optarg; break;
        case 'u': cfg.db_user = optarg; break;
        case 'd': cfg.db_name = optarg; break;
        case 'p': pwfile = optarg; break;
        default: usage(argv[0]); return 2;
        }
    }
    if (optind != argc || !sock || workers < 0 || !cfg.db_socket || !cfg.db_user ||
        !cfg.db_name || !pwfile) {
        usage(argv[0]);
        return 2;
    }
    if (read_password(pwfile, cfg.password, sizeof(cfg.password)))
        return 1;
    if (mysql_library_init(0, NULL, NULL)) {
        fputs("fcgi_select: mysql_library_init failed\n", stderr);
        return 1;
    }
    if (id_range(&cfg))
        return 1;
    fprintf(stderr, "fcgi_select: ids %lld..%lld\n", cfg.min_id, cfg.max_id);
    int fd = prefork_listen(sock);
    if (fd < 0)
        return 1;
    int rc = prefork_run(fd, sock, workers, select_worker, &cfg, "fcgi_select");
    explicit_bzero(cfg.password, sizeof(cfg.password));
    mysql_library_end();
    return rc;
}
