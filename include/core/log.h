/* One JSON object per line on stderr. */
#ifndef ECF_CORE_LOG_H
#define ECF_CORE_LOG_H

#include <json-c/json.h>

/* Names the process in log lines; call it again after fork (it caches the pid). */
void log_set_component(const char *name);
/* level: "info", "warn", "error". The message is formatted then JSON-escaped. */
void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds time, pid and component to obj, writes it as one line, and puts obj. */
void log_json(json_object *obj);

#endif
