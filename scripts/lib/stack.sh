# shellcheck shell=bash
# shellcheck disable=SC2034,SC2119,SC2120 # variables and optional arguments used by callers
# A private ecf-api stack: MariaDB, the ecf-api pool and nginx, rooted at one directory
# (var/ for scripts/up, var/test/ for scripts/test). Bash; safe under `set -euo pipefail`.
#
#   source scripts/lib/stack.sh
#   stack_setup ROOT NAME HTTPS_PORT HTTP_PORT BIN_DIR [DOCS_DIR]  # new or refreshed stack
#   stack_load ROOT                            # an existing one (ROOT/stack.env)
#   db_init [--fresh]; db_start; db_provision [--fresh]; tls_selfsigned; write_config
#   nginx_start; pool_start; ... pool_stop; nginx_stop; db_stop   (or stack_stop_all)
# Also: db_stop, db_restart, db_ping, db_wait, db_sql (root client), db_pid, pool_pid,
# pool_workers, pool_wait_ready, nginx_pid, stack_http_status PATH, stack_ecfctl ARGS,
# stack_token FILE ARGS (ecfctl token create into a 0600 file).
# Knobs (environment, read by stack_setup / write_config): STACK_WORKERS (4),
# STACK_MAX_REQUESTS (10000), STACK_RATE_LIMIT_REQUESTS (1000), STACK_CONFIG_EXTRA (extra "key = value" lines).
# Functions return non-zero with a message on stderr; nothing calls exit.
#
# Layout under ROOT: stack.env (the STACK_* variables), ecf-api.conf, mariadb.cnf,
# secrets/ (0700: db and JWT secrets, root client file), tls/, run/ (pid files), log/,
# nginx/ (rendered config), db/ (datadir). Sockets live under a short directory
# /tmp/ecf-<hash of ROOT>/ (unix socket paths must stay under 107 bytes and be reachable
# by the mysql and nginx worker users); ROOT/sockets links to it. When the mysql user cannot
# reach ROOT (a checkout under /root), the datadir goes there too.
#
# Every process is started detached (setsid) with its PID recorded, and stopped by that PID
# only after checking the process's command line still names this stack.

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

STACK_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/stack.sh

_stack_vars=(
    STACK_ROOT STACK_NAME STACK_SRC STACK_HTTPS_PORT STACK_HTTP_PORT STACK_BIN_DIR
    STACK_ECF_API STACK_ECFCTL STACK_SHORT STACK_RUN STACK_LOG STACK_SECRETS STACK_DATADIR
    STACK_DB_CNF STACK_DB_SOCK STACK_DB_PIDFILE STACK_DB_NAME STACK_DB_USER
    STACK_DB_PASSWORD_FILE STACK_DB_ROOT_CNF STACK_JWT_SECRET STACK_FCGI_SOCK STACK_FCGI_WRITE_SOCK
    STACK_WRITE_BUDGET STACK_CONF
    STACK_POOL_PIDFILE STACK_POOL_LOG STACK_NGINX STACK_NGINX_CONF STACK_NGINX_PIDFILE
    STACK_TLS_CERT STACK_TLS_KEY STACK_WORKERS STACK_MAX_REQUESTS STACK_RUN_USER
    STACK_DOCS_DIR
)

_stack_root_user() { [[ $(id -u) -eq 0 ]]; }

# _stack_can USER TEST PATH: can USER (a system account) do `test TEST PATH`?
_stack_can() {
    local user=$1 op=$2 path=$3
    if ! _stack_root_user; then return 0; fi # everything runs as us then
    runuser -u "$user" -- test "$op" "$path" 2>/dev/null
}

_stack_hash() { printf '%s' "$1" | sha256sum | cut -c1-10; }

# stack_setup ROOT NAME HTTPS_PORT HTTP_PORT BIN_DIR [DOCS_DIR]
# DOCS_DIR holds the openapi.yaml nginx serves (default: the checkout's docs/).
stack_setup() {
    local root=$1
    mkdir -p "$root" || return 1
    STACK_ROOT=$(cd "$root" && pwd -P)
    STACK_NAME=$2
    STACK_HTTPS_PORT=$3
    STACK_HTTP_PORT=$4
    STACK_BIN_DIR=$(cd "$5" && pwd -P)
    STACK_SRC=$ECF_SRC
    STACK_ECF_API=$STACK_BIN_DIR/ecf-api
    STACK_ECFCTL=$STACK_BIN_DIR/ecfctl
    STACK_SHORT=/tmp/ecf-$(_stack_hash "$STACK_ROOT")
    STACK_RUN=$STACK_ROOT/run
    STACK_LOG=$STACK_ROOT/log
    STACK_SECRETS=$STACK_ROOT/secrets
    STACK_DB_CNF=$STACK_ROOT/mariadb.cnf
    STACK_DB_SOCK=$STACK_SHORT/mysql/mysqld.sock
    STACK_DB_PIDFILE=$STACK_RUN/mariadbd.pid
    STACK_DB_NAME=ecf
    STACK_DB_USER=ecf
    STACK_DB_PASSWORD_FILE=$STACK_SECRETS/db.password
    STACK_DB_ROOT_CNF=$STACK_SECRETS/root.cnf
    STACK_JWT_SECRET=$STACK_SECRETS/jwt.secret
    STACK_FCGI_SOCK=$STACK_SHORT/fcgi/ecf-api.sock
    # Writes (every method but GET/HEAD) on their own socket, so that reads waiting for a
    # worker are served before more than STACK_WRITE_BUDGET writes run (README "Running it").
    # STACK_SPLIT_WRITES=0: one socket for everything.
    if [[ ${STACK_SPLIT_WRITES:-1} == 1 ]]; then
        STACK_FCGI_WRITE_SOCK=$STACK_SHORT/fcgi/ecf-api-write.sock
    else
        STACK_FCGI_WRITE_SOCK=
    fi
    STACK_WRITE_BUDGET=${STACK_WRITE_BUDGET:-2}
    STACK_CONF=$STACK_ROOT/ecf-api.conf
    STACK_POOL_PIDFILE=$STACK_RUN/ecf-api.pid
    STACK_POOL_LOG=$STACK_LOG/ecf-api.log
    STACK_NGINX=$STACK_ROOT/nginx
    STACK_NGINX_CONF=$STACK_NGINX/conf/nginx.conf
    STACK_NGINX_PIDFILE=$STACK_RUN/nginx.pid
    STACK_TLS_CERT=$STACK_ROOT/tls/cert.pem
    STACK_TLS_KEY=$STACK_ROOT/tls/key.pem
    STACK_WORKERS=${STACK_WORKERS:-4}
    STACK_MAX_REQUESTS=${STACK_MAX_REQUESTS:-10000}
    STACK_RUN_USER=$(id -un)
    STACK_DOCS_DIR=${6:-$ECF_SRC/docs}
    # The datadir: in the checkout when mysql can reach it, else in the short directory.
    if [[ -d $STACK_ROOT/db/mysql ]]; then
        STACK_DATADIR=$STACK_ROOT/db
    elif [[ -d $STACK_SHORT/db/mysql ]]; then
        STACK_DATADIR=$STACK_SHORT/db
    elif _stack_can mysql -x "$STACK_ROOT"; then
        STACK_DATADIR=$STACK_ROOT/db
    else
        STACK_DATADIR=$STACK_SHORT/db
    fi
    local p
    for p in "$STACK_DB_SOCK" "$STACK_FCGI_SOCK" "$STACK_FCGI_WRITE_SOCK"; do
        if ((${#p} > 100)); then
            err "socket path too long (${#p} bytes): $p"
            return 1
        fi
    done
    mkdir -p "$STACK_RUN" "$STACK_LOG" "$STACK_ROOT/tls" || return 1
    (umask 077 && mkdir -p "$STACK_SECRETS") && chmod 0700 "$STACK_SECRETS" || return 1
    _stack_short_dirs || return 1
    stack_save
}

# stack_save: writes ROOT/stack.env (sourced by stack_load, e.g. from the fault tests).
stack_save() {
    local v tmp=$STACK_ROOT/stack.env.tmp
    {
        printf '# generated by scripts/lib/stack.sh; sourced by stack_load\n'
        for v in "${_stack_vars[@]}"; do printf '%s=%q\n' "$v" "${!v}"; done
    } >"$tmp" && mv -f "$tmp" "$STACK_ROOT/stack.env"
}

# stack_load ROOT: the stack that stack_setup described there.
stack_load() {
    local root=$1
    if [[ ! -f $root/stack.env ]]; then
        err "no stack at $root (missing stack.env)"
        return 1
    fi
    # shellcheck source=/dev/null
    source "$root/stack.env"
}

# The short directory: sockets (and maybe the datadir). Created by us, refuse anything else.
_stack_short_dirs() {
    local d=$STACK_SHORT
    if [[ -L $d || (-e $d && ! -O $d) ]]; then
        err "$d exists and is not ours; remove it"
        return 1
    fi
    mkdir -p "$d/fcgi" "$d/mysql" "$d/nginx-temp" || return 1
    chmod 0755 "$d" "$d/fcgi" || return 1
    chmod 0711 "$d/nginx-temp" || return 1 # nginx workers (nobody) reach their dirs
    if _stack_root_user; then
        chown mysql:mysql "$d/mysql" && chmod 0750 "$d/mysql" || return 1
    fi
    ln -sfn "$d" "$STACK_ROOT/sockets"
}

# --- processes ------------------------------------------------------------------------

# _stack_alive PID: the process exists and is not a zombie.
_stack_alive() {
    local pid=$1 stat
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

# _stack_pid_of PIDFILE NEEDLE: prints the PID in PIDFILE if that process is alive and its
# command line contains NEEDLE (so a recycled PID is never mistaken for ours).
_stack_pid_of() {
    local file=$1 needle=$2 pid cmd
    [[ -f $file ]] || return 1
    pid=$(tr -dc '0-9' <"$file" 2>/dev/null) || return 1
    _stack_alive "$pid" || return 1
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
    [[ $cmd == *"$needle"* ]] || return 1
    printf '%s\n' "$pid"
}

# _stack_wait_gone PID SECONDS: 0 once PID is gone, 1 on timeout. Reaps our own children.
_stack_wait_gone() {
    local pid=$1 secs=$2 i
    for ((i = 0; i < secs * 10; i++)); do
        _stack_alive "$pid" || {
            wait "$pid" 2>/dev/null || true
            return 0
        }
        sleep 0.1
    done
    return 1
}

# _stack_kill_gracefully PID SIGNAL SECONDS NAME: signal, wait, then SIGKILL.
_stack_kill_gracefully() {
    local pid=$1 sig=$2 secs=$3 name=$4
    kill "-$sig" "$pid" 2>/dev/null || true
    if ! _stack_wait_gone "$pid" "$secs"; then
        warn "$name ($pid) still running after ${secs}s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        _stack_wait_gone "$pid" 5 || true
    fi
}

# --- MariaDB --------------------------------------------------------------------------

_stack_write_db_cnf() {
    {
        printf '# generated by scripts/lib/stack.sh for the %s stack\n' "$STACK_NAME"
        printf '[mysqld]\n'
        printf 'datadir = %s\n' "$STACK_DATADIR"
        printf 'socket = %s\n' "$STACK_DB_SOCK"
        printf 'pid-file = %s\n' "$STACK_SHORT/mysql/mariadbd.pid"
        if _stack_root_user; then printf 'user = mysql\n'; fi
        printf 'skip-networking\n'
        printf 'skip-name-resolve\n'
        printf 'innodb_flush_log_at_trx_commit = 1\n'
        printf 'innodb_buffer_pool_size = 128M\n'
        printf 'performance_schema = OFF\n'
        printf 'character-set-server = utf8mb4\n'
        printf 'collation-server = utf8mb4_unicode_ci\n'
        printf "default-time-zone = '+00:00'\n"
        printf 'max_connections = 200\n'
        printf 'tmpdir = /tmp\n'
    } >"$STACK_DB_CNF.tmp" && mv -f "$STACK_DB_CNF.tmp" "$STACK_DB_CNF"
}

# _stack_secret FILE NBYTES: creates FILE (0600, hex, no newline) unless it exists.
_stack_secret() {
    local file=$1 n=$2
    if [[ ! -s $file ]]; then
        (umask 077 && openssl rand -hex "$n" | tr -d '\n' >"$file.tmp" && mv -f "$file.tmp" "$file") ||
            return 1
    fi
    chmod 0600 "$file"
}

db_initialized() { [[ -d $STACK_DATADIR/mysql && -s $STACK_DB_ROOT_CNF ]]; }

# db_init [--fresh]: a datadir with a root password, no anonymous or remote roots.
# Idempotent; --fresh throws the old datadir away first.
db_init() {
    if [[ ${1:-} == --fresh ]]; then
        db_stop
        rm -rf "$STACK_DATADIR" "$STACK_DB_ROOT_CNF"
    fi
    _stack_write_db_cnf || return 1
    if db_initialized; then return 0; fi
    if [[ -d $STACK_DATADIR/mysql ]]; then
        err "datadir $STACK_DATADIR exists but $STACK_DB_ROOT_CNF is gone;" \
            "remove the stack's data (scripts/down --purge) and start again"
        return 1
    fi
    db_stop
    log "initialising MariaDB datadir $STACK_DATADIR"
    rm -rf "$STACK_DATADIR"
    rm -f "$STACK_RUN/seeded" # a new database has no demo data yet
    local -a user_opt=()
    if _stack_root_user; then user_opt=(--user=mysql); fi
    mariadb-install-db --defaults-file="$STACK_DB_CNF" "${user_opt[@]}" \
        --auth-root-authentication-method=normal --skip-test-db \
        >"$STACK_LOG/mariadb-install.log" 2>&1 || {
        tail -n 20 "$STACK_LOG/mariadb-install.log" >&2
        err "mariadb-install-db failed (log: $STACK_LOG/mariadb-install.log)"
        return 1
    }
    db_start || return 1
    # Fresh datadirs have password-less roots (also for 127.0.0.1/::1) and maybe anonymous
    # users: keep only root@localhost, with a password.
    local rootpw_file=$STACK_SECRETS/db-root.password
    rm -f "$rootpw_file"
    _stack_secret "$rootpw_file" 24 || return 1
    local -a users=()
    local u
    while IFS= read -r u; do [[ -n $u ]] && users+=("$u"); done < <(
        mariadb --no-defaults --socket="$STACK_DB_SOCK" -uroot -N -B -e \
            "SELECT CONCAT(QUOTE(User),'@',QUOTE(Host)) FROM mysql.user
             WHERE User='' OR (User='root' AND Host<>'localhost')"
    )
    {
        for u in "${users[@]}"; do printf 'DROP USER IF EXISTS %s;\n' "$u"; done
        printf "ALTER USER 'root'@'localhost' IDENTIFIED BY '%s';\n" "$(cat "$rootpw_file")"
        printf 'FLUSH PRIVILEGES;\n'
    } | mariadb --no-defaults --socket="$STACK_DB_SOCK" -uroot || {
        err "could not secure the root account"
        return 1
    }
    (
        umask 077
        printf '[client]\nuser = root\npassword = %s\nsocket = %s\n' \
            "$(cat "$rootpw_file")" "$STACK_DB_SOCK" >"$STACK_DB_ROOT_CNF"
    ) || return 1
}

# db_sql [mariadb options...]: runs SQL from stdin (or -e) as root on this stack's server.
db_sql() {
    mariadb --defaults-file="$STACK_DB_ROOT_CNF" --socket="$STACK_DB_SOCK" "$@"
}

db_pid() { _stack_pid_of "$STACK_DB_PIDFILE" "$STACK_DB_CNF"; }

db_ping() {
    mariadb-admin --no-defaults --socket="$STACK_DB_SOCK" --connect-timeout=1 ping \
        >/dev/null 2>&1
}

# db_wait [SECONDS]: until the server answers on its socket.
db_wait() {
    local secs=${1:-60} i pid
    pid=$(db_pid) || true
    for ((i = 0; i < secs * 10; i++)); do
        db_ping && return 0
        if [[ -n $pid ]] && ! _stack_alive "$pid"; then break; fi
        sleep 0.1
    done
    tail -n 20 "$STACK_LOG/mariadb.log" >&2 2>/dev/null || true
    err "MariaDB did not come up (log: $STACK_LOG/mariadb.log)"
    return 1
}

db_start() {
    if db_pid >/dev/null; then
        db_wait
        return
    fi
    _stack_short_dirs || return 1
    [[ -f $STACK_DB_CNF ]] || _stack_write_db_cnf || return 1
    if db_ping; then
        err "something else answers on $STACK_DB_SOCK"
        return 1
    fi
    rm -f "$STACK_DB_SOCK"
    setsid mariadbd --defaults-file="$STACK_DB_CNF" </dev/null >>"$STACK_LOG/mariadb.log" 2>&1 &
    echo $! >"$STACK_DB_PIDFILE"
    db_wait
}

db_stop() {
    local pid
    if pid=$(db_pid); then
        log "stopping MariaDB ($pid)"
        _stack_kill_gracefully "$pid" TERM 60 mariadbd
    fi
    rm -f "$STACK_DB_PIDFILE"
}

db_restart() {
    db_stop
    db_start
}

# db_provision [--fresh]: database and application user with only the rights it needs.
# --fresh drops the database first (the test stack); otherwise idempotent (up).
db_provision() {
    _stack_secret "$STACK_DB_PASSWORD_FILE" 24 || return 1
    local pw drop=
    pw=$(cat "$STACK_DB_PASSWORD_FILE")
    [[ ${1:-} == --fresh ]] && drop="DROP DATABASE IF EXISTS \`$STACK_DB_NAME\`;"
    db_sql <<SQL || { err "could not provision database $STACK_DB_NAME"; return 1; }
$drop
CREATE DATABASE IF NOT EXISTS \`$STACK_DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$STACK_DB_USER'@'localhost' IDENTIFIED BY '$pw';
ALTER USER '$STACK_DB_USER'@'localhost' IDENTIFIED BY '$pw';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES, LOCK TABLES,
      CREATE TEMPORARY TABLES ON \`$STACK_DB_NAME\`.* TO '$STACK_DB_USER'@'localhost';
FLUSH PRIVILEGES;
SQL
}

# --- TLS and configuration ------------------------------------------------------------

# tls_selfsigned: a self-signed certificate for localhost / 127.0.0.1 / ::1 (kept while it
# is valid for another week).
tls_selfsigned() {
    mkdir -p "$(dirname "$STACK_TLS_CERT")" || return 1
    if [[ -s $STACK_TLS_CERT && -s $STACK_TLS_KEY ]] &&
        openssl x509 -checkend 604800 -noout -in "$STACK_TLS_CERT" >/dev/null 2>&1; then
        return 0
    fi
    log "creating a self-signed certificate for localhost"
    (
        umask 077
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -keyout "$STACK_TLS_KEY.tmp" -out "$STACK_TLS_CERT.tmp" -days 365 -sha256 \
            -subj "/CN=localhost" \
            -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
            -addext "basicConstraints=critical,CA:FALSE" \
            -addext "keyUsage=critical,digitalSignature" \
            -addext "extendedKeyUsage=serverAuth" >/dev/null 2>&1
    ) || {
        err "openssl could not create the certificate"
        return 1
    }
    chmod 0644 "$STACK_TLS_CERT.tmp"
    mv -f "$STACK_TLS_KEY.tmp" "$STACK_TLS_KEY"
    mv -f "$STACK_TLS_CERT.tmp" "$STACK_TLS_CERT"
}

# write_config: ROOT/ecf-api.conf for ecf-api and ecfctl (keys = struct config fields).
# Extra "key = value" lines can be appended with STACK_CONFIG_EXTRA (newline separated).
write_config() {
    _stack_secret "$STACK_DB_PASSWORD_FILE" 24 || return 1
    _stack_secret "$STACK_JWT_SECRET" 64 || return 1
    {
        printf '# generated by scripts/lib/stack.sh for the %s stack; rewritten on every start\n' \
            "$STACK_NAME"
        printf 'socket_path = %s\n' "$STACK_FCGI_SOCK"
        printf 'socket_mode = 0666\n'
        printf 'write_socket_path = %s\n' "$STACK_FCGI_WRITE_SOCK"
        printf 'write_budget = %s\n' "$STACK_WRITE_BUDGET"
        printf 'workers = %s\n' "$STACK_WORKERS"
        printf 'max_requests = %s\n' "$STACK_MAX_REQUESTS"
        printf 'pid_file = %s\n' "$STACK_POOL_PIDFILE"
        printf 'db_host = localhost\n'
        printf 'db_port = 3306\n'
        printf 'db_socket = %s\n' "$STACK_DB_SOCK"
        printf 'db_name = %s\n' "$STACK_DB_NAME"
        printf 'db_user = %s\n' "$STACK_DB_USER"
        printf 'db_password_file = %s\n' "$STACK_DB_PASSWORD_FILE"
        printf 'jwt_algorithm = HS256\n'
        printf 'jwt_key_file = %s\n' "$STACK_JWT_SECRET"
        printf 'jwt_issuer = ecf-api\n'
        printf 'jwt_audience = ecf-api-clients\n'
        printf 'token_cache_seconds = 5\n'
        printf 'body_limit = 1048576\n'
        printf 'rate_limit_enabled = 1\n'
        printf 'rate_limit_requests = %s\n' "${STACK_RATE_LIMIT_REQUESTS:-1000}"
        printf 'rate_limit_window_seconds = 300\n'
        printf 'sandbox_clock = 1\n'
        printf 'log_requests = 1\n'
        if [[ -n ${STACK_CONFIG_EXTRA:-} ]]; then printf '%s\n' "$STACK_CONFIG_EXTRA"; fi
    } >"$STACK_CONF.tmp" && mv -f "$STACK_CONF.tmp" "$STACK_CONF"
}

# stack_ecfctl ARGS...: ecfctl against this stack's configuration.
stack_ecfctl() {
    ecf_env "$STACK_ECFCTL" --config "$STACK_CONF" "$@"
}

# stack_token FILE ecfctl-token-create-args...: mints a token into FILE (0600).
stack_token() {
    local file=$1 tok
    shift
    tok=$(stack_ecfctl token create "$@") || {
        err "ecfctl token create $* failed"
        return 1
    }
    tok=$(printf '%s' "$tok" | tr -d '[:space:]')
    if [[ ! $tok =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$ ]]; then
        err "ecfctl token create printed something that is not a JWT"
        return 1
    fi
    (umask 077 && printf '%s\n' "$tok" >"$file.tmp" && mv -f "$file.tmp" "$file") || return 1
    chmod 0600 "$file"
}

# --- nginx ----------------------------------------------------------------------------

nginx_pid() { _stack_pid_of "$STACK_NGINX_PIDFILE" "$STACK_NGINX_CONF"; }

_stack_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# _stack_render TEMPLATE OUT NAME=VALUE...: replaces @NAME@ placeholders.
_stack_render() {
    local in=$1 out=$2 text kv
    shift 2
    text=$(<"$in") || return 1
    for kv in "$@"; do
        text=${text//"@${kv%%=*}@"/"${kv#*=}"}
    done
    if [[ $text =~ @[A-Z0-9_]+@ ]]; then
        err "unreplaced placeholder ${BASH_REMATCH[0]} in $in"
        return 1
    fi
    printf '%s\n' "$text" >"$out"
}

nginx_start() {
    nginx_stop
    local p
    for p in "$STACK_HTTPS_PORT" "$STACK_HTTP_PORT"; do
        if _stack_port_busy "$p"; then
            err "port $p on 127.0.0.1 is already in use by another program"
            return 1
        fi
    done
    _stack_short_dirs || return 1
    mkdir -p "$STACK_NGINX/conf" || return 1
    # nginx's workers run as nobody when we are root: the docs must be readable by them.
    local docs=${STACK_DOCS_DIR:-$STACK_SRC/docs}
    if ! _stack_can nobody -r "$docs/openapi.yaml"; then
        mkdir -p "$STACK_SHORT/docs" && chmod 0755 "$STACK_SHORT/docs" || return 1
        if [[ -f $docs/openapi.yaml ]]; then
            install -m 0644 "$docs/openapi.yaml" "$STACK_SHORT/docs/openapi.yaml" || return 1
        fi
        docs=$STACK_SHORT/docs
    fi
    local v6="# no IPv6 loopback on this machine"
    if grep -qs '^0\{31\}1 ' /proc/net/if_inet6; then
        v6="listen [::1]:$STACK_HTTPS_PORT ssl http2;"
    fi
    _stack_render "$STACK_SRC/nginx/dev.conf.in" "$STACK_NGINX_CONF" \
        "PREFIX=$STACK_NGINX" "HTTPS_PORT=$STACK_HTTPS_PORT" "HTTP_PORT=$STACK_HTTP_PORT" \
        "FCGI_SOCKET=$STACK_FCGI_SOCK" "FCGI_WRITE_SOCKET=${STACK_FCGI_WRITE_SOCK:-$STACK_FCGI_SOCK}" \
        "TLS_CERT=$STACK_TLS_CERT" "TLS_KEY=$STACK_TLS_KEY" "DOCS_DIR=$docs" "LOG_DIR=$STACK_LOG" "TEMP_DIR=$STACK_SHORT/nginx-temp" \
        "PID_FILE=$STACK_NGINX_PIDFILE" "LISTEN_HTTPS_V6=$v6" || return 1
    cp -f "$STACK_SRC/nginx/fastcgi_params" "$STACK_NGINX/conf/fastcgi_params" || return 1
    local -a cmd=(nginx -p "$STACK_NGINX" -c "$STACK_NGINX_CONF" -e "$STACK_LOG/nginx-error.log")
    if ! "${cmd[@]}" -t -q 2>"$STACK_LOG/nginx-t.log"; then
        cat "$STACK_LOG/nginx-t.log" >&2
        err "nginx rejected $STACK_NGINX_CONF"
        return 1
    fi
    # daemon on: nginx returns once it has bound its ports (or failed to).
    "${cmd[@]}" </dev/null >>"$STACK_LOG/nginx-error.log" 2>&1 || {
        tail -n 10 "$STACK_LOG/nginx-error.log" >&2
        err "nginx did not start"
        return 1
    }
    local i
    for ((i = 0; i < 50; i++)); do
        nginx_pid >/dev/null && return 0
        sleep 0.1
    done
    err "nginx did not write $STACK_NGINX_PIDFILE"
    return 1
}

nginx_stop() {
    local pid
    if pid=$(nginx_pid); then
        log "stopping nginx ($pid)"
        _stack_kill_gracefully "$pid" QUIT 10 nginx
    fi
    rm -f "$STACK_NGINX_PIDFILE"
}

# --- the pool -------------------------------------------------------------------------

pool_pid() { _stack_pid_of "$STACK_POOL_PIDFILE" "$STACK_CONF"; }

# pool_workers: the master's children (one PID a line).
pool_workers() {
    local pid
    pid=$(pool_pid) || return 1
    pgrep -P "$pid" || true
}

# stack_http_status PATH: the status nginx's plain HTTP listener answers for PATH (000 when
# nothing answers).
stack_http_status() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
        "http://127.0.0.1:$STACK_HTTP_PORT$1" 2>/dev/null || true
}

# pool_wait_ready [SECONDS]: the master is alive and /healthz answers through nginx (when
# nginx runs; else until the socket exists). The PID from $! is used until the master has
# written its pid file.
pool_wait_ready() {
    local secs=${1:-60} launched=${2:-} i code pid nopid=0
    for ((i = 0; i < secs * 10; i++)); do
        pid=$(pool_pid) || pid=$launched
        if [[ -z $pid ]] || ! _stack_alive "$pid"; then
            tail -n 30 "$STACK_POOL_LOG" >&2 2>/dev/null || true
            err "ecf-api exited during start-up (log: $STACK_POOL_LOG)"
            return 1
        fi
        if [[ -S $STACK_FCGI_SOCK ]]; then
            code=ready
            if nginx_pid >/dev/null; then code=$(stack_http_status /healthz); fi
            case $code in
            ready | 200 | 503)
                pool_pid >/dev/null && return 0
                # answering but no pid file yet: give the master a moment, then record $!
                if ((++nopid > 30)) && [[ -n $launched ]]; then
                    warn "ecf-api did not write $STACK_POOL_PIDFILE; recording PID $launched"
                    echo "$launched" >"$STACK_POOL_PIDFILE"
                    return 0
                fi
                ;;
            esac
        fi
        sleep 0.1
    done
    err "ecf-api did not become ready in ${secs}s (log: $STACK_POOL_LOG)"
    return 1
}

# pool_start: ecf-api --config in the background, stderr to log/ecf-api.log. When it is
# started from the same shell, the master is that shell's child (`wait` gets its status).
# Sanitizer options (ASAN_OPTIONS, UBSAN_OPTIONS) are passed through from the environment.
pool_start() {
    local pid
    if pid=$(pool_pid); then
        log "ecf-api already running ($pid)"
        return 0
    fi
    if [[ ! -x $STACK_ECF_API ]]; then
        err "$STACK_ECF_API is missing (build first)"
        return 1
    fi
    _stack_short_dirs || return 1
    rm -f "$STACK_POOL_PIDFILE"
    ecf_env_unset
    # setsid and env exec in place: $! is the master's PID.
    setsid env "${ECF_ENV_UNSET[@]}" "$STACK_ECF_API" --config "$STACK_CONF" \
        </dev/null >>"$STACK_POOL_LOG" 2>&1 &
    STACK_POOL_LAUNCHED=$!
    pool_wait_ready 60 "$STACK_POOL_LAUNCHED"
}

# pool_stop: SIGTERM to the master (graceful: in-flight requests finish), then wait.
pool_stop() {
    local pid workers
    pid=$(pool_pid) || {
        rm -f "$STACK_POOL_PIDFILE"
        return 0
    }
    workers=$(pgrep -P "$pid" || true)
    log "stopping ecf-api ($pid)"
    _stack_kill_gracefully "$pid" TERM 30 ecf-api
    local w
    for w in $workers; do
        if _stack_alive "$w"; then
            warn "ecf-api worker $w outlived its master; killing it"
            kill -KILL "$w" 2>/dev/null || true
        fi
    done
    rm -f "$STACK_POOL_PIDFILE"
}

stack_stop_all() {
    pool_stop || true
    nginx_stop || true
    db_stop || true
}
