/* Arena lifetime and configuration loading. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/config.h"
#include "tap.h"

static int hook_runs;
static void hook(void *arg)
{
    hook_runs += *(int *)arg;
}

static const char *write_file(const char *dir, const char *name, const char *text, mode_t mode)
{
    static char path[512];
    xsnprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
    return path;
}

int main(void)
{
    struct arena *a = arena_new(1024);
    char *s = arena_strdup(a, "hello");
    ok(!strcmp(s, "hello"), "strdup");
    void *big = arena_alloc(a, 100000);
    ok(big != NULL && ((uintptr_t)big % 16) == 0, "allocation larger than a chunk, aligned");
    char *p = arena_printf(a, "%s-%d-%s", "x", 42, "y");
    ok(!strcmp(p, "x-42-y"), "printf");
    char longer[5000];
    memset(longer, 'z', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    ok(strlen(arena_printf(a, "%s", longer)) == 4999, "printf never truncates");
    int one = 1, ten = 10;
    arena_on_reset(a, hook, &one);
    arena_on_reset(a, hook, &ten);
    arena_reset(a);
    ok(hook_runs == 11, "hooks run on reset");
    ok(arena_used(a) == 0, "reset empties the arena");
    arena_reset(a);
    ok(hook_runs == 11, "hooks run once");
    arena_free(a);

    char dir[] = "/tmp/ecf-test-XXXXXX";
    ok(mkdtemp(dir) != NULL, "temp dir");
    struct config cfg;
    char err[256];
    const char *path = write_file(dir, "a.conf",
                                  "# comment\n"
                                  "workers = 3\n"
                                  "socket_path = run/x.sock\n"
                                  "socket_mode = 0666\n"
                                  "sandbox_clock = on\n"
                                  "rate_limit_requests = 50\n",
                                  0644);
    ok(config_load(&cfg, path, err, sizeof(err)) == 0, "config loads");
    ok(cfg.workers == 3 && cfg.socket_mode == 0666 && cfg.sandbox_clock == 1 &&
           cfg.rate_limit_requests == 50,
       "values parsed");
    char expect[600];
    xsnprintf(expect, sizeof(expect), "%s/run/x.sock", dir);
    ok(!strcmp(cfg.socket_path, expect), "relative path resolved against the file's folder");
    ok(cfg.body_limit == 1048576 && cfg.rate_limit_window_seconds == 300, "defaults kept");
    setenv("ECF_WORKERS", "5", 1);
    ok(config_load(&cfg, path, err, sizeof(err)) == 0 && cfg.workers == 5,
       "environment overrides the file");
    setenv("ECF_WORKERS", "many", 1);
    ok(config_load(&cfg, path, err, sizeof(err)) == -1 && strstr(err, "workers"),
       "bad environment value rejected");
    unsetenv("ECF_WORKERS");
    path = write_file(dir, "b.conf", "no_such_key = 1\n", 0644);
    ok(config_load(&cfg, path, err, sizeof(err)) == -1 && strstr(err, "unknown key"),
       "unknown key rejected");
    path = write_file(dir, "c.conf", "workers\n", 0644);
    ok(config_load(&cfg, path, err, sizeof(err)) == -1, "line without '=' rejected");
    path = write_file(dir, "d.conf", "token_cache_seconds = 10\n", 0644);
    ok(config_load(&cfg, path, err, sizeof(err)) == -1, "revocation latency above 5 s refused");
    path = write_file(dir, "e.conf", "write_budget = 0\n", 0644);
    ok(config_load(&cfg, path, err, sizeof(err)) == -1 && strstr(err, "write_budget"),
       "a write budget of 0 refused (reads could starve writes)");

    size_t len;
    path = write_file(dir, "secret", "s3cret\n", 0644);
    ok(config_read_secret(path, &len, 1, err, sizeof(err)) == NULL && strstr(err, "chmod"),
       "world-readable secret refused");
    chmod(path, 0600);
    char *sec = config_read_secret(path, &len, 1, err, sizeof(err));
    ok(sec && len == 6 && !strcmp(sec, "s3cret"), "0600 secret read, newline stripped");
    free(sec);
    path = write_file(dir, "empty", "\n", 0600);
    ok(config_read_secret(path, &len, 1, err, sizeof(err)) == NULL, "empty secret refused");
    ok(config_read_secret("/nonexistent/x", &len, 1, err, sizeof(err)) == NULL,
       "missing secret refused");
    return tap_done();
}
