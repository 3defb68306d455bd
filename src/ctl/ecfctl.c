/* ecfctl: the admin CLI (migrations, tokens, seeds, the scheduled refresh). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/jwt.h"
#include "auth/tokens.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/log.h"
#include "ctl.h"
#include "db/db.h"
#include "db/db_migrate.h"
#include "db/db_mentors.h"
#include "db/db_tokens.h"

#define DEFAULT_CONFIG "var/ecf-api.conf"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: ecfctl [--config FILE] COMMAND ...\n"
            "\n"
            "Commands:\n"
            "  migrate                         apply schema migrations (safe to repeat)\n"
            "  token create (--lead-provider ID|NAME | --admin NAME)\n"
            "               [--scope \"S ...\"] [--expires-in 90d] [--description TEXT]\n"
            "                                  mint a token and print it once\n"
            "  token list                      jti, owner, scopes, expiry, revoked, last used\n"
            "  token revoke JTI                refuse the token from now on\n"
            "  lead-provider create NAME       add a lead provider, print its id\n"
            "  chapter create NAME             add a mentor-service chapter, print its id\n"
            "  seed --demo                     load the demo data set (once)\n"
            "  seed --mentors N                add N synthetic mentors (load tests)\n"
            "  seed --participants N [--lead-providers K]\n"
            "                                  add N synthetic v3 participants across K (3)\n"
            "                                  providers \"Load Provider 1..K\" (load tests)\n"
            "  refresh [--since TIME] [--now TIME]\n"
            "                                  the scheduled job: store due automatic pauses;\n"
            "                                  move updated_at of participants whose derived\n"
            "                                  status or mentor changed since the last run\n"
            "                                  (else --since, else 25 hours ago); --now runs\n"
            "                                  as of that instant. TIME is RFC 3339. Run it\n"
            "                                  from cron or a systemd timer, e.g. every 10 min:\n"
            "                                  */10 * * * * ecfctl --config FILE refresh\n"
            "\n"
            "The configuration is --config, else $ECF_CONFIG, else " DEFAULT_CONFIG ".\n"
            "Exit status: 0 ok, 1 failure, 2 usage.\n");
}

int ctl_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("ecfctl: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CTL_FAIL;
}

static int cmd_migrate(struct ctl *c)
{
    char err[512];
    int applied = 0;
    if (db_migrate(c->db, c->now_us, &applied, err, sizeof(err)))
        return ctl_fail("%s", err);
    printf("migrations: %d applied, %zu known\n", applied, db_migrations_count);
    return CTL_OK;
}

static int token_create(struct ctl *c, int argc, char **argv)
{
    static const struct option opts[] = {{"lead-provider", required_argument, NULL, 'l'},
                                         {"admin", required_argument, NULL, 'a'},
                                         {"scope", required_argument, NULL, 's'},
                                         {"expires-in", required_argument, NULL, 'e'},
                                         {"description", required_argument, NULL, 'd'},
                                         {NULL, 0, NULL, 0}};
    struct token_request tr;
    char err[256];
    int o;
    memset(&tr, 0, sizeof(tr));
    optind = 1;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        unsigned bits;
        switch (o) {
        case 'l':
            tr.lead_provider = optarg;
            break;
        case 'a':
            tr.admin_name = optarg;
            break;
        case 's':
            if (jwt_scopes_parse(optarg, &bits))
                return ctl_fail("unknown scope in '%s'", optarg);
            tr.scopes |= bits;
            break;
        case 'e':
            if (tokens_parse_lifetime(optarg, &tr.lifetime_s))
                return ctl_fail("--expires-in wants a number and s, m, h or d (e.g. 90d)");
            break;
        case 'd':
            tr.description = optarg;
            break;
        default:
            return CTL_USAGE;
        }
    }
    if (optind != argc || (tr.lead_provider == NULL) == (tr.admin_name == NULL)) {
        fprintf(stderr, "ecfctl: token create needs exactly one of --lead-provider or --admin\n");
        return CTL_USAGE;
    }
    struct jwt_keys keys;
    if (tokens_load_keys(&c->cfg, 1, &keys, err, sizeof(err)))
        return ctl_fail("%s", err);
    struct issued_token out;
    int db_rc;
    enum token_issue_result r =
        tokens_issue(c->db, &keys, &tr, clock_real_us(), c->arena, &out, &db_rc);
    tokens_free_keys(&keys);
    switch (r) {
    case TOKEN_ISSUED:
        printf("%s\n", out.token);
        fprintf(stderr, "ecfctl: token %s for %s, expires %lld\n", out.jti, out.owner,
                (long long)(out.expires_at_us / CLOCK_US_PER_SEC));
        return CTL_OK;
    case TOKEN_UNKNOWN_LEAD_PROVIDER:
        return ctl_fail("no lead provider with id or name '%s'", tr.lead_provider);
    case TOKEN_BAD_ADMIN_NAME:
        return ctl_fail("admin names are 1-100 letters, digits or - _ . @");
    case TOKEN_CANNOT_SIGN:
        return ctl_fail("cannot sign tokens with this configuration");
    case TOKEN_DB_FAILED:
        return ctl_fail("database: %s", db_last_error(c->db));
    }
    return CTL_FAIL;
}

static void print_ts(int64_t us)
{
    char buf[CLOCK_TS_LEN];
    if (!us) {
        fputs("-", stdout);
        return;
    }
    clock_format_ts(us, buf);
    fputs(buf, stdout);
}

static int token_list(struct ctl *c)
{
    struct token_row *rows;
    size_t n;
    if (db_token_list(c->db, c->arena, &rows, &n))
        return ctl_fail("database: %s", db_last_error(c->db));
    printf("jti\towner\tscopes\texpires_at\trevoked_at\tlast_used_at\n");
    for (size_t i = 0; i < n; i++) {
        printf("%s\t%s\t%s\t", rows[i].jti, rows[i].subject, rows[i].scopes);
        print_ts(rows[i].expires_at_us);
        putchar('\t');
        print_ts(rows[i].revoked_at_us);
        putchar('\t');
        print_ts(rows[i].last_used_at_us);
        putchar('\n');
    }
    return CTL_OK;
}

static int cmd_token(struct ctl *c, int argc, char **argv)
{
    if (argc < 2)
        return CTL_USAGE;
    if (!strcmp(argv[1], "create"))
        return token_create(c, argc - 1, argv + 1);
    if (!strcmp(argv[1], "list") && argc == 2)
        return token_list(c);
    if (!strcmp(argv[1], "revoke") && argc == 3) {
        int rc = db_token_revoke(c->db, argv[2], clock_real_us());
        if (rc == DB_NOT_FOUND)
            return ctl_fail("no active token with jti %s", argv[2]);
        if (rc)
            return ctl_fail("database: %s", db_last_error(c->db));
        printf("revoked %s\n", argv[2]);
        return CTL_OK;
    }
    return CTL_USAGE;
}

static int cmd_create(struct ctl *c, int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "create") != 0)
        return CTL_USAGE;
    const char *name = argv[2];
    if (!*name || strlen(name) > 200)
        return ctl_fail("names are 1 to 200 characters");
    if (!strcmp(argv[0], "lead-provider")) {
        struct lead_provider_row lp;
        char id[UUID_TEXT_LEN];
        ids_uuid_v4(lp.id);
        lp.name = name;
        lp.created_at_us = c->now_us;
        int rc = db_lead_provider_insert(c->db, &lp);
        if (rc == DB_DUPLICATE)
            return ctl_fail("a lead provider named '%s' exists", name);
        if (rc)
            return ctl_fail("database: %s", db_last_error(c->db));
        ids_uuid_format(lp.id, id);
        printf("%s\n", id);
        return CTL_OK;
    }
    char id[16];
    ids_prefixed_random("chpt_", 8, id);
    struct chapter_row ch = {id, name, c->now_us};
    if (db_chapter_insert(c->db, &ch))
        return ctl_fail("database: %s", db_last_error(c->db));
    printf("%s\n", id);
    return CTL_OK;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    const char *config_path = getenv("ECF_CONFIG");
    int o;
    /* '+': stop at the command so its own options are left for it. */
    while ((o = getopt_long(argc, argv, "+c:hV", opts, NULL)) != -1) {
        switch (o) {
        case 'c':
            config_path = optarg;
            break;
        case 'h':
            usage(stdout);
            return CTL_OK;
        case 'V':
            printf("ecfctl %s\n", PACKAGE_VERSION);
            return CTL_OK;
        default:
            usage(stderr);
            return CTL_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CTL_USAGE;
    }
    if (!config_path)
        config_path = DEFAULT_CONFIG;
    argc -= optind;
    argv += optind;
    const char *cmd = argv[0];
    int known = !strcmp(cmd, "migrate") || !strcmp(cmd, "token") || !strcmp(cmd, "seed") ||
                !strcmp(cmd, "refresh") || !strcmp(cmd, "lead-provider") || !strcmp(cmd, "chapter");
    if (!known) {
        usage(stderr);
        return CTL_USAGE;
    }

    struct ctl c;
    char err[512];
    memset(&c, 0, sizeof(c));
    log_set_component("ecfctl");
    if (config_load(&c.cfg, config_path, err, sizeof(err)))
        return ctl_fail("%s", err);
    c.db = db_open_admin(&c.cfg, err, sizeof(err));
    if (!c.db)
        return ctl_fail("%s", err);
    c.arena = arena_new(64 * 1024);
    c.now_us = clock_real_us();

    int rc;
    if (!strcmp(cmd, "migrate"))
        rc = argc == 1 ? cmd_migrate(&c) : CTL_USAGE;
    else if (!strcmp(cmd, "token"))
        rc = cmd_token(&c, argc, argv);
    else if (!strcmp(cmd, "seed"))
        rc = ctl_seed(&c, argc, argv);
    else if (!strcmp(cmd, "refresh"))
        rc = ctl_refresh_argv(&c, argc, argv);
    else
        rc = cmd_create(&c, argc, argv);
    if (rc == CTL_USAGE)
        usage(stderr);
    arena_free(c.arena);
    db_close(c.db);
    return rc;
}
