#!/bin/sh
# Integration + contract suite against a running stack, as ONE TAP stream on stdout.
#
#   ECF_TEST_BASE_URL=https://localhost:8543 ECF_TEST_CA=... ECF_TEST_CONFIG=... \
#   ECF_TEST_ADMIN_TOKEN_FILE=... ECF_TEST_DEMO_TOKEN_FILE=... [ECF_TEST_ECFCTL=...] \
#     tests/integration/run-suite.sh [FILE.test.mjs ...]
#
# Without ECF_TEST_BASE_URL it prints the TAP skip plan `1..0 # SKIP ...` and exits 0:
# automake's tap-driver.sh (the LOG_DRIVER for .sh tests) reports that as SKIP, whereas
# it reports exit 77 as ERROR (77 means skip only to the plain test driver); set
# ECF_TEST_SKIP_STATUS=77 to get the exit status of the plain driver. Otherwise it
# runs every tests/integration/*.test.mjs (or the files given) one after the other with
# node >= 18, renumbers their points into one stream with a single plan at the end,
# names each point after its file, and exits 1 if any point failed or a file crashed.
# Dependencies (ajv, yaml) come from node_modules at the top of the source tree; when
# that is missing, `npm ci` installs it there (or, in a read-only tree such as
# `make distcheck`'s, in a temporary copy of the suite).
# ECF_TEST_GREP=regex runs only the matching points (see lib/tap.mjs).

set -u

if [ -z "${ECF_TEST_BASE_URL:-}" ]; then
    echo "1..0 # SKIP ECF_TEST_BASE_URL is not set (no running stack)"
    exit "${ECF_TEST_SKIP_STATUS:-0}"
fi

# Where the sources are: automake exports $srcdir (the top of the tree); run by hand,
# this script's own folder is tests/integration.
script_dir=$(cd "$(dirname "$0")" && pwd)
if [ -n "${srcdir:-}" ] && [ -d "$srcdir/tests/integration" ]; then
    top=$(cd "$srcdir" && pwd)
else
    top=$(cd "$script_dir/../.." && pwd)
fi
testdir="$top/tests/integration"

if ! command -v node >/dev/null 2>&1; then
    echo "Bail out! node (>= 18) is not installed"
    exit 1
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
    echo "Bail out! node >= 18 is required, found $(node --version)"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecf-it.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

if [ ! -d "$top/node_modules/ajv" ] || [ ! -d "$top/node_modules/yaml" ]; then
    if [ -w "$top" ]; then
        echo "# npm ci in $top" >&2
        if ! (cd "$top" && npm ci --no-audit --no-fund >&2); then
            echo "Bail out! npm ci failed in $top"
            exit 1
        fi
    else
        # Read-only source tree: copy what the suite needs and install beside it.
        copy="$tmp/src"
        mkdir -p "$copy/tests" "$copy/docs"
        if ! { cp -R "$testdir" "$copy/tests/" && cp "$top/docs/openapi.yaml" "$copy/docs/" &&
            cp "$top/package.json" "$top/package-lock.json" "$copy/"; }; then
            echo "Bail out! cannot copy the suite to $copy"
            exit 1
        fi
        chmod -R u+w "$copy"
        echo "# npm ci in $copy (source tree is read-only)" >&2
        if ! (cd "$copy" && npm ci --no-audit --no-fund >&2); then
            echo "Bail out! npm ci failed in $copy"
            exit 1
        fi
        top="$copy"
        testdir="$copy/tests/integration"
    fi
fi

if [ $# -gt 0 ]; then
    files="$*"
else
    files=$(ls "$testdir"/*.test.mjs 2>/dev/null)
fi
if [ -z "$files" ]; then
    echo "Bail out! no *.test.mjs files in $testdir"
    exit 1
fi

echo "TAP version 13"
n=0
passed=0
failed=0
skipped=0
for f in $files; do
    case "$f" in
    /*) ;;
    *) [ -f "$f" ] || f="$testdir/$f" ;;
    esac
    name=$(basename "$f" .mjs)
    name=${name%.test}
    out="$tmp/$name.out"
    err="$tmp/$name.err"
    counts="$tmp/$name.counts"
    (cd "$top" && node "$f") >"$out" 2>"$err"
    rc=$?
    echo "# ---- $name (exit $rc)"
    # Renumber the points, prefix their names with the file, keep comments, turn any
    # other output into comments; drop the per-file version line and plan.
    awk -v start="$n" -v prefix="$name" -v counts="$counts" '
        BEGIN { n = start; plan = -1; seen = 0; ok = 0; bad = 0; skip = 0 }
        /^TAP version/ { next }
        /^1\.\.[0-9]+/ { p = $0; sub(/^1\.\./, "", p); sub(/[^0-9].*$/, "", p); plan = p + 0; next }
        /^(not )?ok([ \t]|$)/ {
            isbad = ($0 ~ /^not ok/)
            rest = $0
            sub(/^(not )?ok[ \t]*[0-9]*[ \t]*(-[ \t]*)?/, "", rest)
            n++; seen++
            if (isbad) bad++
            else if (rest ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) skip++
            else ok++
            printf "%s %d - %s: %s\n", (isbad ? "not ok" : "ok"), n, prefix, rest
            next
        }
        /^# [0-9]+ passed, [0-9]+ failed/ { next }
        /^#/ { print; next }
        /^[ \t]*$/ { next }
        { print "# " $0 }
        END { printf "%d %d %d %d %d %d\n", n, plan, seen, ok, bad, skip > counts }
    ' "$out"
    read -r n plan seen ok bad skip <"$counts"
    passed=$((passed + ok))
    failed=$((failed + bad))
    skipped=$((skipped + skip))
    if [ -s "$err" ]; then
        echo "# stderr of $name:"
        head -n 60 "$err" | sed 's/^/#   /'
    fi
    if [ "$plan" -lt 0 ] || [ "$plan" -ne "$seen" ] || { [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; }; then
        n=$((n + 1))
        failed=$((failed + 1))
        echo "not ok $n - $name: the file did not finish cleanly (exit $rc, plan $plan, ran $seen)"
    fi
done

echo "1..$n"
echo "# integration: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
