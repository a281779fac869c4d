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

# Odoo 18.0 must be importable by the python3 on PATH (this repository holds only our addons).
si_check_odoo() {
    local version
    if ! version="$(python3 -c 'import odoo.release as r; print(r.major_version)' 2>/dev/null)"; then
        si_die "Odoo 18.0 is not importable by python3 ($(command -v python3 || echo 'python3 not found')): install Odoo 18.0 into this Python (its source tree installed with pip, or a .pth file pointing at it) together with its requirements; see README." 2
    fi
    if [ "$version" != "18.0" ]; then
        si_die "python3 imports Odoo $version, but these addons need Odoo 18.0; see README." 2
    fi
}

# The directory of the odoo package; its addons/ subdirectory holds Odoo's core addons.
si_odoo_dir() {
    python3 -c 'import odoo, os; print(os.path.dirname(odoo.__file__))'
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

# si_ensure_command COMMAND DEBIAN_PACKAGE: install the package with apt-get when COMMAND is
# missing (the tours need Debian's chromium; Odoo finds /usr/bin/chromium by itself).
si_ensure_command() {
    local command_name="$1" package="$2"
    command -v "$command_name" >/dev/null 2>&1 && return 0
    command -v apt-get >/dev/null 2>&1 \
        || si_die "$command_name is missing and apt-get is not available: install $package."
    si_log "$command_name is missing: installing Debian's $package with apt-get"
    si_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
        || si_die "apt-get update failed"
    si_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" \
        || si_die "apt-get install $package failed"
}
