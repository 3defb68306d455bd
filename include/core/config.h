/* Configuration: one "key = value" file, then ECF_<KEY> environment overrides
 * (e.g. ECF_WORKERS=4). Relative paths are resolved against the config file's folder. */
#ifndef ECF_CORE_CONFIG_H
#define ECF_CORE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_PATH_MAX 512

struct config {
    char source[CONFIG_PATH_MAX]; /* file it came from */
    /* pool */
    char socket_path[CONFIG_PATH_MAX];
    unsigned socket_mode;           /* octal in the file, e.g. 0660 */
    int workers;                    /* 0 = number of cores */
    long max_requests;              /* recycle a worker after this many; 0 = never */
    char user[64];                  /* drop privileges to this user when started as root */
    char pid_file[CONFIG_PATH_MAX]; /* master writes its pid here; empty = none */
    /* Optional second socket that nginx sends writes to; empty = one socket for all. While
     * reads wait, at most write_budget writes run at once (when none wait, writes use every
     * worker). */
    char write_socket_path[CONFIG_PATH_MAX];
    int write_budget;
    /* database */
    char db_host[256];
    int db_port;
    char db_socket[CONFIG_PATH_MAX];
    char db_name[64];
    char db_user[64];
    char db_password_file[CONFIG_PATH_MAX];
    /* JWT */
    char jwt_algorithm[8];                      /* HS256 | RS256 | ES256 */
    char jwt_key_file[CONFIG_PATH_MAX];         /* HS secret, or RS/ES public key (verify) */
    char jwt_signing_key_file[CONFIG_PATH_MAX]; /* RS/ES private key (ecfctl only) */
    char jwt_issuer[128];
    char jwt_audience[128];
    long token_cache_seconds; /* revocation latency bound; must be <= 5 */
    /* limits */
    size_t body_limit;
    int rate_limit_enabled;
    long rate_limit_requests;
    long rate_limit_window_seconds;
    /* behaviour */
    int sandbox_clock; /* honour X-With-Server-Date */
    int log_requests;
};

/* Fills defaults, reads path (NULL = defaults only), applies the environment.
 * Returns 0, or -1 with a one-line reason in err. */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);
void config_defaults(struct config *cfg);

/* Reads a secret file that must not be group/other readable. Returns a malloc'd
 * buffer (NUL-terminated, trailing newline stripped for text secrets) or NULL with err. */
char *config_read_secret(const char *path, size_t *len, int strip_newline, char *err,
                         size_t errlen);

#endif
