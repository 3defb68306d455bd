# shellcheck shell=bash
# Builds ecf-api and ecfctl. Source scripts/lib/common.sh first.
#
#   build_project release|san [--werror]
#
# sets ECF_BUILD_DIR (where `make check` runs), ECF_BIN_DIR (ecf-api, ecfctl) and
# ECF_BUILD_SRC (the source tree that build was made from).
#   release: in the source tree when it was configured there (a developer's in-tree build),
#            otherwise a VPATH build in build/release.
#   san:     ASan + UBSan, a VPATH build in build/san. Automake refuses a VPATH build of a
#            source tree configured in-tree, so then the sources are copied (minus build
#            products) to build/san-src and built there.

_build_jobs() { nproc 2>/dev/null || echo 2; }

_build_autoreconf() {
    local src=$1
    if [[ ! -x $src/configure || $src/configure.ac -nt $src/configure ||
        ! -f $src/Makefile.in || $src/Makefile.am -nt $src/Makefile.in ||
        ! -f $src/build-aux/tap-driver.sh ]]; then
        log "autoreconf -fi ($src)"
        (cd "$src" && autoreconf -fi) || return 1
    fi
}

# _build_configure_make SRC BUILDDIR ARGS...: configure (again when ARGS changed) and make.
_build_configure_make() {
    local src=$1 dir=$2
    shift 2
    local want="$*"
    mkdir -p "$dir" || return 1
    if [[ ! -f $dir/config.status || ! -f $dir/Makefile ||
        "$(cat "$dir/.ecf-configure-args" 2>/dev/null)" != "$want" ]]; then
        log "configure $want ($dir)"
        local rel
        if [[ $dir -ef $src ]]; then rel=./configure; else rel=$src/configure; fi
        (cd "$dir" && "$rel" "$@") >"$dir/.ecf-configure.log" 2>&1 || {
            tail -n 30 "$dir/.ecf-configure.log" >&2
            err "configure failed (full log: $dir/.ecf-configure.log)"
            return 1
        }
        printf '%s' "$want" >"$dir/.ecf-configure-args"
    fi
    log "make -j$(_build_jobs) ($dir)"
    make -C "$dir" -j"$(_build_jobs)" || {
        err "build failed in $dir"
        return 1
    }
}

# _build_copy_sources SRC DEST: copies the checkout's sources to DEST without the products
# of an in-tree build (objects, archives, compiled programs, config.status, Makefile,
# config.h, logs), keeping timestamps so make stays incremental.
_build_copy_sources() {
    local src=$1 dest=$2
    mkdir -p "$dest" || return 1
    (
        cd "$src" || exit 1
        find . \( -path ./.git -o -path ./build -o -path ./var -o -path ./node_modules \
            -o -name autom4te.cache -o -name .deps \) -prune -o -type f -print0 |
            while IFS= read -r -d '' f; do
                case ${f##*/} in
                *.o | *.a | *.so | *.trs | *.log | .dirstamp | config.status | stamp-h1 | *~) continue ;;
                esac
                case $f in ./config.h | ./Makefile | ./libtool) continue ;; esac
                if [[ -x $f && $(head -c 4 "$f" | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]; then
                    continue # a compiled program
                fi
                printf '%s\0' "$f"
            done | tar --null -T - -cf -
    ) | tar -C "$dest" -xpf - || return 1
    # tests may look for node_modules next to the sources
    if [[ -d $src/node_modules && ! -e $dest/node_modules ]]; then
        ln -s "$src/node_modules" "$dest/node_modules"
    fi
}

build_project() {
    local mode=${1:-release} werror=
    [[ ${2:-} == --werror ]] && werror=--enable-werror
    local src=$ECF_SRC
    ECF_BUILD_SRC=$src
    _build_autoreconf "$src" || return 1
    case $mode in
    release)
        if [[ -f $src/config.status ]]; then
            ECF_BUILD_DIR=$src
            log "using the in-tree build in $src"
            make -C "$src" -j"$(_build_jobs)" || return 1
        else
            ECF_BUILD_DIR=$src/build/release
            # shellcheck disable=SC2086 # werror is empty or one word
            _build_configure_make "$src" "$ECF_BUILD_DIR" $werror || return 1
        fi
        ;;
    san)
        if [[ -f $src/config.status ]]; then
            local copy=$src/build/san-src
            _build_copy_sources "$src" "$copy" || return 1
            (cd "$copy" && ECF_SRC=$copy _build_autoreconf "$copy") || return 1
            ECF_BUILD_DIR=$copy
            ECF_BUILD_SRC=$copy
        else
            ECF_BUILD_DIR=$src/build/san
        fi
        # shellcheck disable=SC2086
        _build_configure_make "${copy:-$src}" "$ECF_BUILD_DIR" \
            --enable-asan --enable-ubsan $werror || return 1
        ;;
    *)
        err "build_project: unknown mode $mode"
        return 1
        ;;
    esac
    ECF_BIN_DIR=$ECF_BUILD_DIR
    local b
    for b in ecf-api ecfctl; do
        [[ -x $ECF_BIN_DIR/$b ]] || {
            err "$ECF_BIN_DIR/$b was not built"
            return 1
        }
    done
    export ECF_BUILD_DIR ECF_BIN_DIR ECF_BUILD_SRC
}
