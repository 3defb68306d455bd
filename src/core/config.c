#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/config.h"

enum key_kind { K_STR, K_PATH, K_INT, K_LONG, K_SIZE, K_BOOL, K_OCTAL };

struct key_desc {
    const char *name;
    enum key_kind kind;
    size_t offset;
    size_t size; /* for strings */
};

#define STR(f)                                                                                     \
    {                                                                                              \
#f, K_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f)                     \
    }
#define PATH(f)                                                                                    \
    {                                                                                              \
#f, K_PATH, offsetof(struct config, f), sizeof(((struct config *)0)->f)                    \
    }
#define NUM(f, k)                                                                                  \
    {                                                                                              \
#f, k, offsetof(struct config, f), 0                                                       \
    }

static const struct key_desc keys[] = {
    PATH(socket_path),
    NUM(socket_mode, K_OCTAL),
    PATH(write_socket_path),
    NUM(write_budget, K_INT),
    NUM(workers, K_INT),
    NUM(max_requests, K_LONG),
    STR(user),
    PATH(pid_file),
    STR(db_host),
    NUM(db_port, K_INT),
    PATH(db_socket),
    STR(db_name),
    STR(db_user),
    PATH(db_password_file),
    STR(jwt_algorithm),
    PATH(jwt_key_file),
    PATH(jwt_signing_key_file),
    STR(jwt_issuer),
    STR(jwt_audience),
    NUM(token_cache_seconds, K_LONG),
    NUM(body_limit, K_SIZE),
    NUM(rate_limit_enabled, K_BOOL),
    NUM(rate_limit_requests, K_LONG),
    NUM(rate_limit_window_seconds, K_LONG),
    NUM(sandbox_clock, K_BOOL),
    NUM(log_requests, K_BOOL),
};

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    xsnprintf(cfg->socket_path, sizeof(cfg->socket_path), "/run/ecf-api/ecf-api.sock");
    cfg->socket_mode = 0660;
    cfg->write_budget = 2;
    cfg->workers = 0;
    cfg->max_requests = 100000;
    xsnprintf(cfg->db_host, sizeof(cfg->db_host), "localhost");
    xsnprintf(cfg->db_name, sizeof(cfg->db_name), "ecf");
    xsnprintf(cfg->db_user, sizeof(cfg->db_user), "ecf");
    xsnprintf(cfg->jwt_algorithm, sizeof(cfg->jwt_algorithm), "HS256");
    xsnprintf(cfg->jwt_issuer, sizeof(cfg->jwt_issuer), "ecf-api");
    xsnprintf(cfg->jwt_audience, sizeof(cfg->jwt_audience), "ecf-api-clients");
    cfg->token_cache_seconds = 2;
    cfg->body_limit = 1024 * 1024;
    cfg->rate_limit_enabled = 1;
    cfg->rate_limit_requests = 1000;
    cfg->rate_limit_window_seconds = 300;
    cfg->sandbox_clock = 0;
    cfg->log_requests = 1;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int parse_long(const char *v, int base, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, base);
    if (errno || end == v || *end != '\0')
        return -1;
    *out = n;
    return 0;
}

static int set_key(struct config *cfg, const struct key_desc *k, const char *value,
                   const char *basedir, char *err, size_t errlen)
{
    char *field = (char *)cfg + k->offset;
    long n;
    switch (k->kind) {
    case K_STR:
    case K_PATH: {
        int w;
        if (k->kind == K_PATH && value[0] != '\0' && value[0] != '/' && basedir)
            w = snprintf(field, k->size, "%s/%s", basedir, value);
        else
            w = snprintf(field, k->size, "%s", value);
        if (w < 0 || (size_t)w >= k->size) {
            snprintf(err, errlen, "config: value of %s is too long", k->name);
            return -1;
        }
        return 0;
    }
    case K_OCTAL:
        if (parse_long(value, 8, &n) || n < 0 || n > 0777)
            goto bad;
        *(unsigned *)(void *)field = (unsigned)n;
        return 0;
    case K_INT:
        if (parse_long(value, 10, &n) || n < 0 || n > INT_MAX)
            goto bad;
        *(int *)(void *)field = (int)n;
        return 0;
    case K_BOOL:
        if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "on") ||
            !strcmp(value, "yes"))
            n = 1;
        else if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "off") ||
                 !strcmp(value, "no"))
            n = 0;
        else
            goto bad;
        *(int *)(void *)field = (int)n;
        return 0;
    case K_LONG:
        if (parse_long(value, 10, &n) || n < 0)
            goto bad;
        *(long *)(void *)field = n;
        return 0;
    case K_SIZE:
        if (parse_long(value, 10, &n) || n < 1)
            goto bad;
        *(size_t *)(void *)field = (size_t)n;
        return 0;
    }
bad:
    snprintf(err, errlen, "config: bad value for %s: '%s'", k->name, value);
    return -1;
}

static const struct key_desc *find_key(const char *name)
{
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (!strcmp(keys[i].name, name))
            return &keys[i];
    return NULL;
}

static int read_file(struct config *cfg, const char *path, char *err, size_t errlen)
{
    char basedir[CONFIG_PATH_MAX];
    char line[2048];
    int lineno = 0, rc = -1;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "config: cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    const char *slash = strrchr(path, '/');
    if (slash) {
        size_t n = (size_t)(slash - path);
        if (n == 0)
            n = 1;
        if (n >= sizeof(basedir)) {
            snprintf(err, errlen, "config: path too long");
            goto out;
        }
        memcpy(basedir, path, n);
        basedir[n] = '\0';
    } else if (!getcwd(basedir, sizeof(basedir))) {
        snprintf(err, errlen, "config: cannot resolve working directory");
        goto out;
    }
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "config: %s:%d: line too long", path, lineno);
            goto out;
        }
        char *s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "config: %s:%d: expected key = value", path, lineno);
            goto out;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        const struct key_desc *k = find_key(key);
        if (!k) {
            snprintf(err, errlen, "config: %s:%d: unknown key '%s'", path, lineno, key);
            goto out;
        }
        if (set_key(cfg, k, value, basedir, err, errlen))
            goto out;
    }
    rc = 0;
out:
    fclose(f);
    return rc;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
    config_defaults(cfg);
    if (path) {
        if (snprintf(cfg->source, sizeof(cfg->source), "%s", path) >= (int)sizeof(cfg->source)) {
            snprintf(err, errlen, "config: path too long");
            return -1;
        }
        if (read_file(cfg, path, err, errlen))
            return -1;
    }
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        char env[96];
        size_t j = 0;
        xsnprintf(env, sizeof(env), "ECF_%s", keys[i].name);
        for (j = 4; env[j]; j++)
            env[j] = (char)toupper((unsigned char)env[j]);
        const char *v = getenv(env);
        if (v && set_key(cfg, &keys[i], v, NULL, err, errlen))
            return -1;
    }
    if (cfg->token_cache_seconds > 5) {
        snprintf(err, errlen, "config: token_cache_seconds must be at most 5");
        return -1;
    }
    /* At least one write always gets in while reads wait: 0 would let reads starve writes. */
    if (cfg->write_budget < 1) {
        snprintf(err, errlen, "config: write_budget must be 1 or more");
        return -1;
    }
    if (cfg->write_socket_path[0] && strcmp(cfg->write_socket_path, cfg->socket_path) == 0) {
        snprintf(err, errlen, "config: write_socket_path must differ from socket_path");
        return -1;
    }
    if (cfg->workers == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        cfg->workers = n > 0 ? (int)n : 2;
    }
    if (cfg->rate_limit_window_seconds < 1)
        cfg->rate_limit_window_seconds = 1;
    return 0;
}

char *config_read_secret(const char *path, size_t *len, int strip_newline, char *err, size_t errlen)
{
    struct stat st;
    char *buf = NULL;
    int fd = -1;
    if (!path || !*path) {
        snprintf(err, errlen, "secret file not configured");
        return NULL;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot open secret file %s: %s", path, strerror(errno));
        goto fail;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        snprintf(err, errlen,
                 "secret file %s must not be accessible by group or others (chmod 600)", path);
        goto fail;
    }
    if (st.st_size <= 0 || st.st_size > 65536) {
        snprintf(err, errlen, "secret file %s is empty or too large", path);
        goto fail;
    }
    buf = xmalloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, errlen, "cannot read secret file %s", path);
            goto fail;
        }
        got += (size_t)n;
    }
    buf[got] = '\0';
    if (strip_newline)
        while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
            buf[--got] = '\0';
    if (got == 0) {
        snprintf(err, errlen, "secret file %s is empty", path);
        goto fail;
    }
    close(fd);
    *len = got;
    return buf;
fail:
    if (fd >= 0)
        close(fd);
    free(buf);
    return NULL;
}
