# shellcheck shell=bash
# Debian packages the project needs to build, run and test; installs the missing ones.
# Source scripts/lib/common.sh first.

ECF_APT_PACKAGES=(
    build-essential autoconf automake libtool pkg-config
    libfcgi-dev libjson-c-dev libmariadb-dev libjwt-dev
    mariadb-server mariadb-client nginx openssl ca-certificates
    wrk curl procps util-linux
)

_deps_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

_node_ok() {
    command -v node >/dev/null 2>&1 &&
        node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' \
            >/dev/null 2>&1
}

# deps_ensure: installs (apt-get) whatever of ECF_APT_PACKAGES is missing, plus nodejs
# and npm when `node` is missing. Nothing to do = no root needed.
deps_ensure() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        warn "not a Debian system: install the equivalent of: ${ECF_APT_PACKAGES[*]} nodejs npm"
        return 0
    fi
    local -a missing=()
    local p
    for p in "${ECF_APT_PACKAGES[@]}"; do
        _deps_installed "$p" || missing+=("$p")
    done
    if ! command -v node >/dev/null 2>&1; then
        missing+=(nodejs)
        command -v npm >/dev/null 2>&1 || missing+=(npm)
    fi
    if ((${#missing[@]} > 0)); then
        log "installing missing packages: ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends "${missing[@]}" || return 1
    fi
    if ! _node_ok; then
        err "Node.js >= 18 is needed (found: $(node --version 2>/dev/null || echo none))"
        return 1
    fi
}

# deps_npm: installs the project's npm dependencies (npm ci) when package.json exists and
# node_modules is missing or older than package-lock.json / package.json.
deps_npm() {
    local src=${1:-$ECF_SRC}
    [[ -f $src/package.json ]] || return 0
    if [[ -d $src/node_modules && ! $src/package.json -nt $src/node_modules &&
        ! (-f $src/package-lock.json && $src/package-lock.json -nt $src/node_modules) ]]; then
        return 0
    fi
    log "installing npm dependencies"
    if [[ -f $src/package-lock.json ]]; then
        (cd "$src" && npm ci --no-audit --no-fund) || return 1
    else
        (cd "$src" && npm install --no-audit --no-fund) || return 1
    fi
    touch "$src/node_modules"
}
