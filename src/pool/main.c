/* ecf-api: the prefork FastCGI pool. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "pool.h"

static void usage(FILE *out)
{
    fprintf(out, "Usage: ecf-api [--config FILE]\n"
                 "\n"
                 "Runs the Lead Provider API and Mentor Status Service as a prefork FastCGI pool.\n"
                 "\n"
                 "  -c, --config FILE  configuration file (default: $ECF_CONFIG)\n"
                 "  -t, --check        load and check the configuration, then exit\n"
                 "  -h, --help         show this help\n"
                 "  -V, --version      show the version\n"
                 "\n"
                 "Every key of the file can be overridden by ECF_<KEY> in the environment.\n"
                 "Signals: SIGTERM/SIGINT stop gracefully, SIGHUP reloads the configuration.\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"check", no_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    const char *config_path = getenv("ECF_CONFIG");
    int check_only = 0, c;
    while ((c = getopt_long(argc, argv, "c:thV", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            config_path = optarg;
            break;
        case 't':
            check_only = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("ecf-api %s\n", PACKAGE_VERSION);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    struct config cfg;
    char err[512];
    if (config_load(&cfg, config_path, err, sizeof(err)) != 0) {
        fprintf(stderr, "ecf-api: %s\n", err);
        return 1;
    }
    if (check_only) {
        printf("configuration ok\n");
        return 0;
    }
    return master_run(config_path, &cfg);
}
