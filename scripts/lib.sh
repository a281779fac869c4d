# shellcheck shell=bash
# Shared helpers of scripts/serve and scripts/test. Source it; do not run it.
#
# Sets REPO_ROOT (the repository root) and LOCAL_DIR (its git-ignored .local/ directory).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="$REPO_ROOT/.local"

si_log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }

si_die() {
    # si_die MESSAGE [EXIT_CODE]
    printf '[%s] ERROR: %s\n' "$(basename "$0")" "$1" >&2
    exit "${2:-1}"
}

# The Python that runs Odoo, the tests and pip: python3 until si_ensure_odoo picks one.
SI_PY=python3
SI_VENV="$LOCAL_DIR/venv"
# Written last by the bootstrap: a venv without it is half-built and is rebuilt.
SI_VENV_MARKER="$SI_VENV/.social-incidents-complete"
# The official Odoo 18.0 source the project is tested with (a nightly build of 2025-05-06).
SI_ODOO_SRC_URL_DEFAULT="https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.20250506.tar.gz"
SI_BOOTSTRAP_LOG="$LOCAL_DIR/bootstrap.log"

# si_odoo_version PYTHON: the major version of the Odoo that PYTHON imports ("18.0"), or fails.
si_odoo_version() {
    "$1" -c 'import odoo.release as r; print(r.major_version)' 2>/dev/null
}

# Sets SI_PY to the Python that runs Odoo 18.0, installing Odoo when none does:
#   1. a complete project venv (.local/venv) → its Python;
#   2. else the python3 on PATH when it imports Odoo 18.0 (as before; what CI uses), unless
#      SOCIAL_INCIDENTS_VENV=1 asks for the venv;
#   3. else bootstrap .local/venv: Odoo 18.0 from ODOO_SRC (a directory or a .tar.gz) or
#      downloaded from ODOO_SRC_URL, its requirements, Odoo itself, the project's requirements.
# si_ensure_odoo [EXTRA_REQUIREMENTS_FILE...]: files installed into a new venv too.
si_ensure_odoo() {
    if [ -f "$SI_VENV_MARKER" ]; then
        if [ "$(si_odoo_version "$SI_VENV/bin/python")" = 18.0 ]; then
            SI_PY="$SI_VENV/bin/python"
            si_log "Odoo 18.0: the project venv ${SI_VENV#"$REPO_ROOT"/} ($(sed -n 's/^source = //p' "$SI_VENV_MARKER"))"
            if [ -n "${ODOO_SRC:-}" ]; then
                si_log "ODOO_SRC is not used: the venv is complete (rm -rf ${SI_VENV#"$REPO_ROOT"/} to build it again from ODOO_SRC)"
            fi
            return 0
        fi
        si_log "the project venv ${SI_VENV#"$REPO_ROOT"/} no longer imports Odoo 18.0: building it again"
    elif [ "${SOCIAL_INCIDENTS_VENV:-0}" != 1 ]; then
        local version
        if version="$(si_odoo_version python3)" && [ "$version" = 18.0 ]; then
            SI_PY=python3
            si_log "Odoo 18.0: the python3 on PATH ($(command -v python3))"
            return 0
        fi
        if [ -n "$version" ]; then
            si_log "python3 on PATH imports Odoo $version, not 18.0: installing Odoo 18.0 into ${SI_VENV#"$REPO_ROOT"/}"
        else
            si_log "Odoo 18.0 is not importable by python3: installing it into ${SI_VENV#"$REPO_ROOT"/}"
        fi
    else
        si_log "SOCIAL_INCIDENTS_VENV=1: installing Odoo 18.0 into ${SI_VENV#"$REPO_ROOT"/}"
    fi
    si_bootstrap_venv "$@"
    SI_PY="$SI_VENV/bin/python"
}

# si_free_port: a TCP port free on 127.0.0.1 now.
si_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Lines of an Odoo log that fail a run: Odoo logs some install problems without failing (a demo
# file that does not load is skipped with a warning).
SI_ODOO_LOG_ERRORS='^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |demo data failed to install'

# si_check_odoo_log LOG WHAT [EXTRA_ERROR_PATTERN]: die showing the errors when Odoo's LOG has
# any (WHAT "logged errors"); print its warnings, which do not fail the run.
si_check_odoo_log() {
    local log="$1" what="$2" errors="$SI_ODOO_LOG_ERRORS${3:+|$3}"
    if grep -qE "$errors" "$log"; then
        grep -nE -A 25 "$errors" "$log" | head -n 80 >&2
        si_die "$what logged errors (above; full log in ${log#"$REPO_ROOT"/})"
    fi
    if grep -qE '^[0-9-]+ [0-9:,]+ [0-9]+ WARNING ' "$log"; then
        si_log "$what logged warnings (not failing the run):"
        grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ WARNING ' "$log" | cut -c1-300 >&2
    fi
}

# The name scripts of other branches may still call.
si_check_odoo() {
    si_ensure_odoo "$@"
}

# si_phase NAME COMMAND...: run one bootstrap phase, saying what it does and how long it took.
si_phase() {
    local name="$1" started=$SECONDS
    shift
    si_log "$name ..."
    "$@"
    si_log "$name: done in $((SECONDS - started)) s"
}

si_bootstrap_venv() {
    local base_python="${SOCIAL_INCIDENTS_PYTHON:-python3}" started=$SECONDS
    command -v "$base_python" >/dev/null 2>&1 \
        || si_die "$base_python not found: install Python 3.10, 3.11 or 3.12 (Debian: apt-get install python3 python3-venv), or name one in SOCIAL_INCIDENTS_PYTHON"
    "$base_python" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' \
        || si_die "$base_python is Python $("$base_python" -c 'import platform; print(platform.python_version())'): Odoo 18.0's pinned requirements need Python 3.10 to 3.12; name such a Python in SOCIAL_INCIDENTS_PYTHON"
    mkdir -p "$LOCAL_DIR"
    : >"$SI_BOOTSTRAP_LOG"
    si_log "bootstrap of ${SI_VENV#"$REPO_ROOT"/} (pip's output: ${SI_BOOTSTRAP_LOG#"$REPO_ROOT"/})"
    # A venv without the marker is what a failed or interrupted install left: start over.
    if [ -e "$SI_VENV" ]; then
        si_log "removing the incomplete ${SI_VENV#"$REPO_ROOT"/}"
        rm -rf "$SI_VENV"
    fi

    si_phase "Debian build packages" si_ensure_build_packages "$base_python"
    SI_ODOO_SRC_DIR=""
    si_phase "Odoo source" si_ensure_odoo_source
    si_phase "venv ($("$base_python" -c 'import platform; print(platform.python_version())'))" \
        si_venv_create "$base_python"
    si_phase "Odoo's requirements" si_venv_pip "Odoo's requirements ($SI_ODOO_SRC_DIR/requirements.txt)" \
        install -r "$SI_ODOO_SRC_DIR/requirements.txt"
    # compat mode puts the source directory on sys.path (a .pth) as a plain install would: in
    # setuptools' default (strict) mode Odoo is found through an import hook only, and an addon
    # wheel installed into this venv (site-packages/odoo/addons/...) then hides Odoo behind an
    # empty odoo/ namespace package (scripts/check-wheels met it).
    si_phase "Odoo 18.0 itself (editable, from $SI_ODOO_SRC_DIR)" si_venv_pip "Odoo (pip install -e $SI_ODOO_SRC_DIR)" \
        install --no-deps -e "$SI_ODOO_SRC_DIR" --config-settings editable_mode=compat
    local requirements=(-r "$REPO_ROOT/requirements.txt") file
    for file in "$@"; do
        requirements+=(-r "$file")
    done
    si_phase "the project's requirements" si_venv_pip "the project's requirements" install "${requirements[@]}"

    [ "$(si_odoo_version "$SI_VENV/bin/python")" = 18.0 ] \
        || si_die "the new venv does not import Odoo 18.0 (see ${SI_BOOTSTRAP_LOG#"$REPO_ROOT"/})"
    # Last: only now is the venv complete.
    {
        echo "source = $SI_ODOO_SRC_DIR (from ${SI_ODOO_SRC_ORIGIN:-?})"
        echo "python = $("$SI_VENV/bin/python" -c 'import platform; print(platform.python_version())')"
        echo "date = $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    } >"$SI_VENV_MARKER.tmp"
    mv "$SI_VENV_MARKER.tmp" "$SI_VENV_MARKER"
    si_log "Odoo 18.0 installed into ${SI_VENV#"$REPO_ROOT"/} in $((SECONDS - started)) s"
}

# What Odoo's requirements need to build from source (python-ldap, psycopg2, cbor2...): a C
# compiler, the Python headers, and the headers of libldap, libsasl2 and libpq; and the project's
# own: the hunspell binding (requirements.txt) compiles against libhunspell-dev.
si_ensure_build_packages() {
    local base_python="$1" packages=()
    command -v gcc >/dev/null 2>&1 || packages+=(build-essential)
    [ -f "$("$base_python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ] \
        || packages+=(python3-dev)
    "$base_python" -c 'import ensurepip, venv' >/dev/null 2>&1 || packages+=(python3-venv)
    [ -f /usr/include/ldap.h ] || packages+=(libldap2-dev)
    [ -f /usr/include/sasl/sasl.h ] || packages+=(libsasl2-dev)
    command -v pg_config >/dev/null 2>&1 || packages+=(libpq-dev)
    [ -f /usr/include/hunspell/hunspell.hxx ] || packages+=(libhunspell-dev)
    if [ ${#packages[@]} -eq 0 ]; then
        si_log "already installed: build tools, Python headers, libldap2-dev, libsasl2-dev, libpq-dev, libhunspell-dev"
        return 0
    fi
    si_apt_install "${packages[@]}"
}

# Sets SI_ODOO_SRC_DIR to a directory holding the Odoo 18.0 source (setup.py, odoo/release.py)
# and SI_ODOO_SRC_ORIGIN to where it came from:
#   ODOO_SRC a directory → used in place; ODOO_SRC a .tar.gz → extracted into .local/odoo-src;
#   neither → ODOO_SRC_URL (default: the pinned official nightly) downloaded into .local/
#   downloads/, then extracted.
si_ensure_odoo_source() {
    local url="${ODOO_SRC_URL:-$SI_ODOO_SRC_URL_DEFAULT}" tarball
    local hint="set ODOO_SRC to a directory holding the Odoo 18.0 source (setup.py, odoo/release.py) or to a .tar.gz of it, e.g. ODOO_SRC=~/odoo_18.0.latest.tar.gz scripts/test (from https://nightly.odoo.com/18.0/nightly/src/)"
    if [ -n "${ODOO_SRC:-}" ]; then
        if [ -d "$ODOO_SRC" ]; then
            SI_ODOO_SRC_DIR="$(cd "$ODOO_SRC" && pwd)"
            SI_ODOO_SRC_ORIGIN="ODOO_SRC=$ODOO_SRC"
            si_check_odoo_source "$SI_ODOO_SRC_DIR" \
                || si_die "ODOO_SRC=$ODOO_SRC is not the Odoo 18.0 source: $SI_CHECK_PROBLEM; $hint"
            si_log "using the Odoo source in place: $SI_ODOO_SRC_DIR"
            return 0
        fi
        [ -f "$ODOO_SRC" ] || si_die "ODOO_SRC=$ODOO_SRC does not exist; $hint"
        tarball="$(cd "$(dirname "$ODOO_SRC")" && pwd)/$(basename "$ODOO_SRC")"
        SI_ODOO_SRC_ORIGIN="ODOO_SRC=$ODOO_SRC"
    else
        tarball="$LOCAL_DIR/downloads/$(basename "${url%%\?*}")"
        SI_ODOO_SRC_ORIGIN="$url"
        if [ -f "$tarball" ]; then
            si_log "already downloaded: ${tarball#"$REPO_ROOT"/}"
        else
            si_download "$url" "$tarball" \
                || si_die "could not download the Odoo 18.0 source from $url (no network, or set ODOO_SRC_URL to another copy); or $hint"
        fi
    fi

    # The extracted copy is reused when it came from the same tarball (path, size, time).
    local dest="$LOCAL_DIR/odoo-src" stamp
    stamp="$(stat -c '%n %s %Y' "$tarball")"
    if [ -f "$dest/.social-incidents-from" ] && [ "$(cat "$dest/.social-incidents-from")" = "$stamp" ] \
            && si_check_odoo_source "$dest"; then
        SI_ODOO_SRC_DIR="$dest"
        si_log "already extracted from ${tarball#"$REPO_ROOT"/}: ${dest#"$REPO_ROOT"/}"
        return 0
    fi
    si_log "extracting $tarball into ${dest#"$REPO_ROOT"/}"
    local tmp top
    rm -rf "$LOCAL_DIR"/odoo-src.tmp.*  # what an interrupted extraction left
    tmp="$(mktemp -d "$LOCAL_DIR/odoo-src.tmp.XXXXXX")"
    if ! tar -xzf "$tarball" -C "$tmp" 2>"$tmp.err"; then
        head -n 5 "$tmp.err" >&2
        rm -rf "$tmp" "$tmp.err"
        # a corrupt download is not kept for the next run
        [ -z "${ODOO_SRC:-}" ] && rm -f "$tarball"
        si_die "cannot extract $tarball (not a complete .tar.gz); $hint"
    fi
    rm -f "$tmp.err"
    # The tarball's top directory varies (odoo-18.0.post20250506/, odoo/ ...): find setup.py.
    top="$(find "$tmp" -maxdepth 3 -name release.py -path '*/odoo/release.py' -printf '%h\n' | head -n 1)"
    top="${top%/odoo}"
    if [ -z "$top" ] || ! si_check_odoo_source "$top"; then
        rm -rf "$tmp"
        [ -z "${ODOO_SRC:-}" ] && rm -f "$tarball"
        si_die "$tarball does not hold the Odoo 18.0 source: ${SI_CHECK_PROBLEM:-no odoo/release.py in it}; $hint"
    fi
    echo "$stamp" >"$top/.social-incidents-from"
    rm -rf "$dest.old"
    [ -e "$dest" ] && mv "$dest" "$dest.old"
    mv "$top" "$dest"
    rm -rf "$tmp" "$dest.old"
    SI_ODOO_SRC_DIR="$dest"
}

# si_check_odoo_source DIR: true when DIR holds Odoo 18.0's source; else SI_CHECK_PROBLEM says why.
si_check_odoo_source() {
    local dir="$1" version
    SI_CHECK_PROBLEM=""
    if [ ! -f "$dir/setup.py" ] || [ ! -f "$dir/odoo/release.py" ] || [ ! -f "$dir/requirements.txt" ]; then
        SI_CHECK_PROBLEM="$dir has no setup.py, requirements.txt and odoo/release.py"
        return 1
    fi
    version="$("${SOCIAL_INCIDENTS_PYTHON:-python3}" -c 'import runpy, sys; print(runpy.run_path(sys.argv[1])["major_version"])' \
        "$dir/odoo/release.py" 2>/dev/null)" || version="unreadable"
    if [ "$version" != 18.0 ]; then
        SI_CHECK_PROBLEM="$dir/odoo/release.py is Odoo $version, not 18.0"
        return 1
    fi
}

# si_download URL FILE: download with timeouts; FILE appears only once complete.
si_download() {
    local url="$1" file="$2"
    mkdir -p "$(dirname "$file")"
    si_log "downloading $url"
    if command -v curl >/dev/null 2>&1; then
        local quiet=()
        [ -t 2 ] || quiet=(-sS)  # no progress meter in logs
        curl -fL "${quiet[@]}" --connect-timeout 20 --max-time 1800 --retry 2 -o "$file.part" "$url" \
            || { rm -f "$file.part"; return 1; }
    else
        "${SOCIAL_INCIDENTS_PYTHON:-python3}" - "$url" "$file.part" <<'PY' || { rm -f "$file.part"; return 1; }
import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=60) as response, open(sys.argv[2], "wb") as out:
    shutil.copyfileobj(response, out)
PY
    fi
    mv "$file.part" "$file"
}

si_venv_create() {
    "$1" -m venv "$SI_VENV" >>"$SI_BOOTSTRAP_LOG" 2>&1 \
        || si_die "python3 -m venv ${SI_VENV#"$REPO_ROOT"/} failed (Debian: apt-get install python3-venv); see ${SI_BOOTSTRAP_LOG#"$REPO_ROOT"/}"
    # setuptools<81 for the installs AND the isolated build environments: Odoo's pinned cbor2
    # (and others) build with setup.py features that setuptools 81 removed. pip 26 applies only
    # PIP_BUILD_CONSTRAINT to build environments, older pip only PIP_CONSTRAINT: set both.
    echo 'setuptools<81' >"$SI_VENV/pip-constraints.txt"
    si_venv_pip "a current pip" install --upgrade pip
}

# si_venv_pip WHAT PIP_ARGS...: pip of the venv, its output in the bootstrap log.
si_venv_pip() {
    local what="$1"
    shift
    echo "+ pip $*" >>"$SI_BOOTSTRAP_LOG"
    if ! PIP_CONSTRAINT="$SI_VENV/pip-constraints.txt" PIP_BUILD_CONSTRAINT="$SI_VENV/pip-constraints.txt" \
            PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_PROGRESS_BAR=off \
            "$SI_VENV/bin/python" -m pip "$@" >>"$SI_BOOTSTRAP_LOG" 2>&1; then
        tail -n 30 "$SI_BOOTSTRAP_LOG" >&2
        si_die "installing $what into ${SI_VENV#"$REPO_ROOT"/} failed (last lines above; full log: $SI_BOOTSTRAP_LOG). The venv is left incomplete and the next run builds it again."
    fi
}

# The directory of the odoo package; its addons/ subdirectory holds Odoo's core addons.
si_odoo_dir() {
    "$SI_PY" -c 'import odoo, os; print(os.path.dirname(odoo.__file__))'
}

si_addons_path() {
    printf '%s/addons,%s' "$(si_odoo_dir)" "$REPO_ROOT"
}

# Every directory at the repository root holding a __manifest__.py, comma-separated.
si_addons() {
    local manifest names=()
    for manifest in "$REPO_ROOT"/*/__manifest__.py; do
        [ -f "$manifest" ] || continue
        names+=("$(basename "$(dirname "$manifest")")")
    done
    [ ${#names[@]} -gt 0 ] || si_die "no addon (directory with a __manifest__.py) found in $REPO_ROOT"
    (IFS=,; printf '%s' "${names[*]}")
}

# Run a command as root: directly when we are root, else through sudo.
si_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        si_die "need root to run: $* (no sudo available)"
    fi
}

# Run a command as the postgres OS user.
si_as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        "$@"
    elif [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    elif command -v sudo >/dev/null 2>&1; then
        sudo -u postgres "$@"
    else
        si_die "need to run as the postgres user: $* (not root and no sudo)"
    fi
}

# True when the current OS user can already connect to PostgreSQL (libpq defaults / PG* env).
si_pg_connects() {
    psql -X -w -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1
}

# Make sure a PostgreSQL server runs and the current OS user has a superuser role in it:
# install the Debian package if missing, start a stopped cluster, create the role.
si_ensure_postgres() {
    if command -v psql >/dev/null 2>&1 && si_pg_connects; then
        return 0
    fi

    if ! command -v pg_lsclusters >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null 2>&1 \
        || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
        command -v apt-get >/dev/null 2>&1 \
            || si_die "PostgreSQL is not installed and apt-get is not available: install PostgreSQL 15+ and create a superuser role for '$(id -un)'."
        si_log "PostgreSQL is not installed: installing it with apt-get"
        si_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
            || si_die "apt-get update failed"
        si_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql \
            || si_die "apt-get install postgresql failed"
    fi

    local version="" cluster="" status=""
    # The newest cluster ("VERSION CLUSTER PORT STATUS ...").
    read -r version cluster _ status _ < <(pg_lsclusters -h 2>/dev/null | sort -k1,1nr | head -n 1) || true
    if [ -z "$version" ]; then
        version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -nr | head -n 1)"
        [ -n "$version" ] || si_die "cannot find an installed PostgreSQL version in /usr/lib/postgresql"
        cluster=main
        si_log "no PostgreSQL cluster: creating $version/$cluster"
        si_as_root pg_createcluster "$version" "$cluster" || si_die "pg_createcluster $version $cluster failed"
        status=down
    fi
    if [ "${status%%,*}" != online ]; then
        si_log "starting PostgreSQL cluster $version/$cluster"
        si_as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start \
            || si_die "could not start PostgreSQL cluster $version/$cluster (see /var/log/postgresql/)"
    fi

    local i
    for i in $(seq 1 30); do
        pg_isready -q && break
        sleep 1
    done
    pg_isready -q || si_die "PostgreSQL does not accept connections"

    local user
    user="$(id -un)"
    if ! si_pg_connects; then
        if [ -z "$(si_as_postgres psql -X -w -d postgres -Atqc "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" ]; then
            si_log "creating the PostgreSQL superuser role '$user'"
            si_as_postgres createuser -s "$user" || si_die "could not create the PostgreSQL role '$user'"
        fi
    fi
    si_pg_connects || si_die "the OS user '$user' still cannot connect to PostgreSQL (database 'postgres')"
}

si_db_exists() {
    [ "$(psql -X -w -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

# si_drop_db DB DATA_DIR: drop the database (closing its connections) and its filestore.
si_drop_db() {
    if si_db_exists "$1"; then
        si_log "dropping database $1"
        dropdb -w --if-exists --force "$1" || si_die "could not drop database $1"
    fi
    rm -rf "${2:?}/filestore/$1"
}

# si_write_conf FILE DATA_DIR HTTP_PORT DB [EXTRA_LINE...]: write an Odoo configuration file
# serving DB only. Through db_name, not dbfilter: with a dbfilter Odoo lists the server's
# databases (a new PostgreSQL connection and a query) on every request without a session,
# e.g. each webhook delivery; with db_name alone it serves that database without a look.
si_write_conf() {
    local file="$1" data_dir="$2" port="$3" db="$4"
    shift 4
    mkdir -p "$(dirname "$file")" "$data_dir"
    {
        echo "; written by scripts/$(basename "$0"); regenerated on every run"
        echo "[options]"
        echo "addons_path = $(si_addons_path)"
        echo "data_dir = $data_dir"
        echo "http_port = $port"
        echo "db_name = $db"
        echo "list_db = False"
        local line
        for line in "$@"; do
            echo "$line"
        done
    } >"$file"
}

# si_apt_install PACKAGE...: install Debian packages with apt-get (apt-get update once a run).
SI_APT_UPDATED=0
si_apt_install() {
    command -v apt-get >/dev/null 2>&1 \
        || si_die "apt-get is not available: install $* (or their equivalents) by hand."
    si_log "installing Debian's $* with apt-get"
    if [ "$SI_APT_UPDATED" = 0 ]; then
        si_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
            || si_die "apt-get update failed"
        SI_APT_UPDATED=1
    fi
    si_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" \
        || si_die "apt-get install $* failed"
}

# si_ensure_command COMMAND DEBIAN_PACKAGE: install the package with apt-get when COMMAND is
# missing (the tours need Debian's chromium; Odoo finds /usr/bin/chromium by itself).
si_ensure_command() {
    local command_name="$1" package="$2"
    command -v "$command_name" >/dev/null 2>&1 && return 0
    command -v apt-get >/dev/null 2>&1 \
        || si_die "$command_name is missing and apt-get is not available: install $package."
    si_log "$command_name is missing"
    si_apt_install "$package"
}

# The spelling check of the reply assistant (issue #17): Debian's Russian Hunspell dictionary
# (apt hunspell-ru) read through the hunspell binding (pyhunspell, requirements.txt), which pip
# compiles against libhunspell-dev. Optional at runtime (the panel then says spelling is not
# checked), required by the tests. si_ensure_hunspell installs with apt-get what is missing and
# pip-installs the binding into $SI_PY when it does not import.
SI_HUNSPELL_DIC=/usr/share/hunspell/ru_RU
si_ensure_hunspell() {
    local packages=()
    { [ -f "$SI_HUNSPELL_DIC.dic" ] && [ -f "$SI_HUNSPELL_DIC.aff" ]; } || packages+=(hunspell-ru)
    if ! "$SI_PY" -c 'import hunspell' >/dev/null 2>&1; then
        [ -f /usr/include/hunspell/hunspell.hxx ] || packages+=(libhunspell-dev)
        command -v gcc >/dev/null 2>&1 || packages+=(build-essential)
        [ -f "$("$SI_PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ] \
            || packages+=(python3-dev)
    fi
    if [ ${#packages[@]} -gt 0 ]; then
        si_log "the spelling check needs ${packages[*]}"
        si_apt_install "${packages[@]}"
    fi
    if ! "$SI_PY" -c 'import hunspell' >/dev/null 2>&1; then
        local requirement
        requirement="$(grep -E '^hunspell([<>=!~ ]|$)' "$REPO_ROOT/requirements.txt" | sed 's/#.*//; s/ *$//')"
        si_log "installing the hunspell binding ($requirement) with pip"
        "$SI_PY" -m pip install -q "${requirement:-hunspell}" \
            || si_die "pip install ${requirement:-hunspell} failed (it compiles against libhunspell-dev)"
        "$SI_PY" -c 'import hunspell' \
            || si_die "the hunspell binding still does not import after pip install ${requirement:-hunspell}"
    fi
}
