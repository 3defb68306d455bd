/* api_tokens and lead_providers rows. */
#ifndef ECF_DB_DB_TOKENS_H
#define ECF_DB_DB_TOKENS_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct arena;

struct token_row {
    const char *jti;
    const char *subject;     /* the JWT sub */
    const char *scopes;      /* space separated */
    const char *description; /* may be NULL */
    int has_lead_provider;
    uint8_t lead_provider_id[16];
    const char *admin_name; /* NULL for provider tokens */
    int64_t created_at_us, expires_at_us;
    int64_t revoked_at_us;   /* 0 = not revoked */
    int64_t last_used_at_us; /* 0 = never */
};

int db_token_get(struct db *db, const char *jti, struct arena *a, struct token_row *out);
int db_token_insert(struct db *db, const struct token_row *t);
/* Writes last_used_at unless it was written less than 60 s before now. */
int db_token_touch(struct db *db, const char *jti, int64_t now_us);
/* DB_NOT_FOUND when unknown or already revoked. */
int db_token_revoke(struct db *db, const char *jti, int64_t now_us);
int db_token_list(struct db *db, struct arena *a, struct token_row **rows, size_t *n);

struct lead_provider_row {
    uint8_t id[16];
    const char *name;
    int64_t created_at_us;
};
/* By UUID text or by exact name. DB_NOT_FOUND when neither matches. */
int db_lead_provider_find(struct db *db, const char *id_or_name, struct arena *a,
                          struct lead_provider_row *out);
/* DB_DUPLICATE when the name exists. */
int db_lead_provider_insert(struct db *db, const struct lead_provider_row *lp);

#endif
