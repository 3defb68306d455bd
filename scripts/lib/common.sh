# shellcheck shell=bash
# shellcheck disable=SC2034 # ECF_SRC is for the scripts that source this
# Small helpers shared by scripts/up, scripts/down, scripts/test and the stack library.
# Source it; it defines functions and ECF_SRC (the checkout root) and changes nothing else.

ECF_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)

# nginx, mariadbd and runuser live in /usr/sbin, which is not on a normal user's PATH.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
err() { printf 'error: %s\n' "$*" >&2; }

# as_root CMD...: runs CMD as root (directly when we are root, else through sudo).
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        err "need root for: $* (install sudo or run as root)"
        return 1
    fi
}

# The environment for our binaries: the ECF_<KEY> overrides are honoured by ecf-api and
# ecfctl, so the variables the scripts themselves use (ECF_TEST_*, ECF_SANITIZE) are
# removed to keep them from being read as configuration.
# ecf_env_unset: fills the array ECF_ENV_UNSET with `-u NAME` arguments for env(1).
ecf_env_unset() {
    ECF_ENV_UNSET=()
    local name
    while IFS= read -r name; do
        case $name in
        ECF_TEST_* | ECF_SANITIZE) ECF_ENV_UNSET+=(-u "$name") ;;
        esac
    done < <(compgen -e)
}

# ecf_env CMD...: runs CMD without those variables.
ecf_env() {
    ecf_env_unset
    env "${ECF_ENV_UNSET[@]}" "$@"
}
