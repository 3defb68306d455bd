#!/usr/bin/env bash
# Pool fault tests, as TAP on stdout. Run by scripts/test after `make check`, against the
# test stack it started (loopback only); every wait and every batch of requests is bounded.
#
#   e. a second ecf-api with the same configuration refuses to start; the first keeps serving;
#      one that shares only the write socket refuses too, and leaves no socket behind
#   a. kill -9 of one worker under load: the master replaces it, few requests fail, then none
#   c. SIGHUP under load: no request fails and every worker is replaced
#   b. MariaDB restarted under load: once it is back, no 5xx
#   d. SIGTERM with requests in flight: they complete, the master exits 0; then a restart
#
# Needs ECF_TEST_BASE_URL, ECF_TEST_HTTP_URL, ECF_TEST_ROOT, ECF_TEST_STACK_LIB,
# ECF_TEST_POOL_PIDFILE and ECF_TEST_DEMO_TOKEN_FILE (scripts/test exports them). Without
# ECF_TEST_BASE_URL it prints a skip plan ("1..0 # SKIP"; exit 0, which automake's TAP
# driver counts as SKIPPED; exit 77 would be an ERROR there).
set -uo pipefail

if [[ -z ${ECF_TEST_BASE_URL:-} ]]; then
    echo "1..0 # SKIP ECF_TEST_BASE_URL is not set (no running stack)"
    exit 0
fi
for v in ECF_TEST_HTTP_URL ECF_TEST_ROOT ECF_TEST_STACK_LIB ECF_TEST_POOL_PIDFILE \
    ECF_TEST_DEMO_TOKEN_FILE; do
    if [[ -z ${!v:-} ]]; then
        echo "Bail out! $v is not set"
        exit 1
    fi
done
if ! command -v node >/dev/null 2>&1; then
    echo "Bail out! node is not installed"
    exit 1
fi

# shellcheck source=scripts/lib/stack.sh
source "$ECF_TEST_STACK_LIB" || {
    echo "Bail out! cannot load $ECF_TEST_STACK_LIB"
    exit 1
}
stack_load "$ECF_TEST_ROOT" || {
    echo "Bail out! no stack at $ECF_TEST_ROOT"
    exit 1
}
# The stack's pid file is the one the tests were told about.
STACK_POOL_PIDFILE=$ECF_TEST_POOL_PIDFILE

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ecf-faults.XXXXXX")
C=16      # concurrency of the load batches
N=3000    # requests in a load batch
BG_PIDS=()

cleanup() {
    local p
    for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

t=0
ok() {
    t=$((t + 1))
    echo "ok $t - $*"
}
not_ok() {
    t=$((t + 1))
    echo "not ok $t - $*"
}
# check DESCRIPTION COMMAND...: one TAP point from COMMAND's status.
check() {
    local d=$1
    shift
    if "$@"; then ok "$d"; else not_ok "$d"; fi
}
diag() { printf '# %s\n' "$*"; }

# jget FILE KEY: a top-level field of a load.mjs / fcgi.mjs summary ("" when missing).
jget() {
    node -e 'let s={};try{s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"))}catch{}
             const v=s[process.argv[2]];console.log(v===undefined||v===null?"":typeof v==="object"?JSON.stringify(v):v)' \
        "$1" "$2"
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s.
wait_for() {
    local secs=$1 i
    shift
    for ((i = 0; i < secs * 10; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

workers() { pool_workers 2>/dev/null | sort -n | tr '\n' ' ' | sed 's/ $//'; }
healthz_200() { [[ $(stack_http_status /healthz) == 200 ]]; }

# load_bg OUT ARGS...: starts load.mjs in the background (its PID in LOAD_PID).
load_bg() {
    local out=$1
    shift
    timeout 300 node "$HERE/load.mjs" "$@" >"$out" 2>"$out.err" &
    LOAD_PID=$!
    BG_PIDS+=("$LOAD_PID")
}
load_fg() {
    local out=$1
    shift
    timeout 300 node "$HERE/load.mjs" "$@" >"$out" 2>"$out.err"
}
summary() { diag "$1: $(cat "$2" 2>/dev/null) $(head -c 300 "$2.err" 2>/dev/null)"; }

# Bring the pool back to a healthy state after a test that may have broken it.
recover_pool() {
    healthz_200 && pool_pid >/dev/null && return 0
    diag "recovering the pool"
    pool_stop >/dev/null 2>&1
    pool_start >/dev/null 2>&1
    healthz_200
}

echo "1..15"

if ! healthz_200; then
    diag "the stack does not answer /healthz with 200 before the fault tests"
    recover_pool || diag "and could not be recovered"
fi

# --- e. a second instance on the same socket ---------------------------------------------
orig_pid=$(pool_pid || true)
orig_pf=$(cat "$STACK_POOL_PIDFILE" 2>/dev/null || true)
ecf_env_unset
timeout 20 env "${ECF_ENV_UNSET[@]}" "$STACK_ECF_API" --config "$STACK_CONF" \
    </dev/null >"$TMP/second.out" 2>"$TMP/second.err"
rc=$?
diag "second instance: exit $rc; stderr: $(head -c 300 "$TMP/second.err" | tr '\n' ' ')"
check "e: a second ecf-api on the same socket exits non-zero by itself (exit $rc)" \
    test "$rc" -ne 0 -a "$rc" -ne 124 -a "$rc" -lt 128
check "e: and says why on stderr" test -s "$TMP/second.err"
now_pf=$(cat "$STACK_POOL_PIDFILE" 2>/dev/null || true)
if [[ -n $orig_pid && $now_pf != "$orig_pf" ]] && _stack_alive "$orig_pid"; then
    diag "the pid file changed ($orig_pf -> $now_pf); restoring it"
    printf '%s\n' "$orig_pf" >"$STACK_POOL_PIDFILE"
    pf_same=1
else
    pf_same=0
    [[ $now_pf == "$orig_pf" ]] && pf_same=1
fi
e3() { [[ -n $orig_pid && $(pool_pid) == "$orig_pid" && $pf_same == 1 ]] && healthz_200; }
check "e: the first instance still serves (same master $orig_pid, pid file intact, /healthz 200)" e3
if [[ -n ${STACK_FCGI_WRITE_SOCK:-} ]]; then
    # Its own main socket and pid file, the live write socket: refused at the write socket,
    # and the main socket it had bound is removed again.
    timeout 20 env "${ECF_ENV_UNSET[@]}" ECF_SOCKET_PATH="$TMP/other.sock" \
        ECF_PID_FILE="$TMP/other.pid" "$STACK_ECF_API" --config "$STACK_CONF" \
        </dev/null >"$TMP/third.out" 2>"$TMP/third.err"
    rc=$?
    diag "instance sharing the write socket: exit $rc; stderr: $(head -c 300 "$TMP/third.err" | tr '\n' ' ')"
    e4() {
        [[ $rc -ne 0 && $rc -ne 124 && $rc -lt 128 && ! -e $TMP/other.sock && ! -e $TMP/other.pid &&
            -S $STACK_FCGI_WRITE_SOCK ]] && grep -q "another instance" "$TMP/third.err" && healthz_200
    }
    check "e: a second ecf-api on the same write socket exits non-zero, leaves nothing behind" e4
else
    ok "e: no write socket configured # SKIP"
fi
recover_pool >/dev/null

# --- a. kill -9 of a worker under load ---------------------------------------------------
read -r -a before <<<"$(workers)"
diag "workers before: ${before[*]:-none}"
rm -f "$TMP/mark-a"
load_bg "$TMP/a.json" --url "$ECF_TEST_HTTP_URL" --path /healthz -n "$N" -c "$C" \
    --mark-after 300 --mark-file "$TMP/mark-a"
victim=${before[0]:-}
if wait_for 60 test -f "$TMP/mark-a" && [[ -n $victim ]]; then
    kill -KILL "$victim" 2>/dev/null && diag "killed worker $victim after $(cat "$TMP/mark-a") requests"
fi
wait "$LOAD_PID"
summary "load during the kill" "$TMP/a.json"
replaced() {
    local -a now
    read -r -a now <<<"$(workers)"
    [[ ${#now[@]} -eq ${#before[@]} && ${#now[@]} -gt 0 && " ${now[*]} " != *" $victim "* ]]
}
check "a: the master replaced the killed worker (${#before[@]} workers again)" \
    wait_for 15 replaced
diag "workers after: $(workers)"
fail=$(jget "$TMP/a.json" fail)
check "a: requests failed during the kill: ${fail:-?} (at most $C)" \
    test "${fail:-999999}" -le "$C" -a "$(jget "$TMP/a.json" completed)" == "$N"
load_fg "$TMP/a2.json" --url "$ECF_TEST_HTTP_URL" --path /healthz -n 500 -c 8
summary "follow-up" "$TMP/a2.json"
check "a: a follow-up batch of 500 has no failures" test "$(jget "$TMP/a2.json" non200)" == 0
recover_pool >/dev/null

# --- c. SIGHUP under load ----------------------------------------------------------------
read -r -a before <<<"$(workers)"
master=$(pool_pid || true)
diag "workers before reload: ${before[*]:-none} (master ${master:-none})"
rm -f "$TMP/mark-c"
load_bg "$TMP/c.json" --url "$ECF_TEST_HTTP_URL" --path /healthz -n "$N" -c "$C" \
    --mark-after 300 --mark-file "$TMP/mark-c"
if wait_for 60 test -f "$TMP/mark-c" && [[ -n $master ]]; then
    kill -HUP "$master" && diag "SIGHUP to $master after $(cat "$TMP/mark-c") requests"
fi
wait "$LOAD_PID"
summary "load during the reload" "$TMP/c.json"
check "c: no request failed during the reload (non-200: $(jget "$TMP/c.json" non200))" \
    test "$(jget "$TMP/c.json" non200)" == 0 -a "$(jget "$TMP/c.json" completed)" == "$N"
all_new() {
    local -a now
    local p
    read -r -a now <<<"$(workers)"
    [[ ${#now[@]} -eq ${#before[@]} && ${#now[@]} -gt 0 ]] || return 1
    for p in "${before[@]}"; do [[ " ${now[*]} " == *" $p "* ]] && return 1; done
    return 0
}
c2() { wait_for 20 all_new && [[ $(pool_pid) == "$master" ]]; }
check "c: every worker was replaced (${#before[@]} new ones, same master)" c2
diag "workers after reload: $(workers)"
recover_pool >/dev/null

# --- b. MariaDB restarted under load -----------------------------------------------------
# Fresh tokens keep these batches clear of the rate limit (per token).
tok1=$TMP/b1.token tok2=$TMP/b2.token
for f in "$tok1" "$tok2"; do
    if ! stack_token "$f" --lead-provider "Ambition Institute" \
        --scope "lead_provider mentors:read mentors:write" --expires-in 1h \
        --description "fault test" 2>"$TMP/token.err"; then
        diag "could not mint a token ($(head -c 200 "$TMP/token.err")); using the demo token"
        cp "$ECF_TEST_DEMO_TOKEN_FILE" "$f"
    fi
done
rm -f "$TMP/mark-b"
load_bg "$TMP/b.json" --url "$ECF_TEST_HTTP_URL" --path '/api/v1/mentors?limit=5' \
    --token-file "$tok1" -n 800 -c 8 --mark-after 100 --mark-file "$TMP/mark-b"
wait_for 60 test -f "$TMP/mark-b" || true
diag "restarting MariaDB after $(cat "$TMP/mark-b" 2>/dev/null || echo '?') requests"
db_restart >"$TMP/db.log" 2>&1 || diag "db_restart: $(tail -n 3 "$TMP/db.log" | tr '\n' ' ')"
wait "$LOAD_PID"
summary "load during the restart" "$TMP/b.json"
check "b: MariaDB is back (ping) within 60 s" wait_for 60 db_ping
load_fg "$TMP/b2.json" --url "$ECF_TEST_HTTP_URL" --path '/api/v1/mentors?limit=5' \
    --token-file "$tok2" -n 200 -c 8
summary "follow-up" "$TMP/b2.json"
check "b: a follow-up batch of 200 GET /api/v1/mentors?limit=5 has no 5xx (statuses $(jget "$TMP/b2.json" statuses))" \
    test "$(jget "$TMP/b2.json" fail)" == 0 -a "$(jget "$TMP/b2.json" completed)" == 200
check "b: /healthz answers 200 after the restart" healthz_200
recover_pool >/dev/null

# --- d. SIGTERM with requests in flight ----------------------------------------------------
# Restart the pool from this shell so that its master is our child (`wait` gives its status).
pool_stop >/dev/null 2>&1
if pool_start >"$TMP/start.log" 2>&1; then
    master=$(pool_pid || true)
else
    master=
    diag "pool_start failed: $(tail -n 5 "$TMP/start.log" | tr '\n' ' ')"
fi
held=3
rm -f "$TMP/go"
hpids=()
for ((i = 1; i <= held; i++)); do
    node "$HERE/fcgi.mjs" --socket "$STACK_FCGI_SOCK" --ready-file "$TMP/ready$i" \
        --go-file "$TMP/go" --token-file "$ECF_TEST_DEMO_TOKEN_FILE" --max-wait-ms 15000 \
        >"$TMP/held$i.json" 2>"$TMP/held$i.err" &
    hpids+=($!)
    BG_PIDS+=($!)
done
all_ready() {
    local i
    for ((i = 1; i <= held; i++)); do [[ -f $TMP/ready$i ]] || return 1; done
}
wait_for 15 all_ready || diag "not every held request got going"
sleep 0.5 # let the workers accept them and block reading the bodies
status=
if [[ -n $master ]]; then
    kill -TERM "$master"
    t0=$(date +%s%N)
    diag "SIGTERM to $master with $held requests in flight"
    sleep 1
    touch "$TMP/go"
    for p in "${hpids[@]}"; do wait "$p"; done
    master_gone() { ! _stack_alive "$master"; }
    if wait_for 15 master_gone; then
        wait "$master"
        status=$?
        ms=$((($(date +%s%N) - t0) / 1000000))
        diag "master exited with status $status, ${ms} ms after SIGTERM"
    else
        diag "master still running 15 s after SIGTERM"
        ms=999999
    fi
else
    touch "$TMP/go"
    for p in "${hpids[@]}"; do wait "$p"; done
    ms=999999
fi
heldok=0
for ((i = 1; i <= held; i++)); do
    diag "held request $i: $(cat "$TMP/held$i.json" 2>/dev/null) $(head -c 200 "$TMP/held$i.err")"
    st=$(jget "$TMP/held$i.json" status)
    if [[ $(jget "$TMP/held$i.json" complete) == true && $st =~ ^[0-9]+$ ]] &&
        ((st > 0 && st < 500)); then
        heldok=$((heldok + 1))
    fi
done
check "d: the $held requests in flight at SIGTERM completed ($heldok complete, non-5xx)" \
    test "$heldok" -eq "$held"
check "d: the master exited with status 0 within 10 s (status ${status:-none}, ${ms} ms)" \
    test "${status:-x}" == 0 -a "$ms" -le 10000
# Whatever happened, hand a running pool back (scripts/test stops it later by its pid file).
pool_stop >/dev/null 2>&1
pool_start >"$TMP/start2.log" 2>&1 || diag "pool_start: $(tail -n 5 "$TMP/start2.log" | tr '\n' ' ')"
check "d: the pool starts again afterwards and answers /healthz 200" healthz_200
