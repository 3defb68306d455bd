#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"

static const char *component = "ecf";
static int cached_pid; /* getpid() is a system call; set again after fork */

void log_set_component(const char *name)
{
    component = name;
    cached_pid = (int)getpid();
}

void log_json(json_object *obj)
{
    char ts[CLOCK_TS_LEN];
    clock_format_ts(clock_real_us(), ts);
    json_object_object_add(obj, "time", json_object_new_string(ts));
    json_object_object_add(obj, "pid",
                           json_object_new_int(cached_pid ? cached_pid : (int)getpid()));
    json_object_object_add(obj, "component", json_object_new_string(component));
    size_t len;
    const char *s = json_object_to_json_string_length(
        obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    /* One write per line so lines from several processes do not interleave. */
    char buf[4096];
    if (len + 1 <= sizeof(buf)) {
        memcpy(buf, s, len);
        buf[len] = '\n';
        if (write(STDERR_FILENO, buf, len + 1) < 0) {
            /* nowhere left to report it */
        }
    } else {
        fwrite(s, 1, len, stderr);
        fputc('\n', stderr);
        fflush(stderr);
    }
    json_object_put(obj);
}

void log_msg(const char *level, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        msg[0] = '\0';
    /* A long message is cut here on purpose and marked, never silently. */
    if (n >= (int)sizeof(msg))
        memcpy(msg + sizeof(msg) - 4, "...", 4);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "level", json_object_new_string(level));
    json_object_object_add(o, "msg", json_object_new_string(msg));
    log_json(o);
}
