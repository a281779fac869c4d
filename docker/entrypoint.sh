#!/bin/bash
# Entry point of the Social Incidents image: refuses to start without a master password of its
# own, then runs the odoo image's /entrypoint.sh (database connection, `odoo ...`).
#
# Odoo's master password (admin_passwd: it creates, drops, dumps and restores databases) comes
# from, in this order:
#   * the file named by ODOO_ADMIN_PASSWD_FILE (default /run/secrets/odoo_admin_passwd: a
#     Docker secret named odoo_admin_passwd);
#   * the environment variable ODOO_ADMIN_PASSWD.
# Missing, shorter than 12 characters, or Odoo's default "admin": the container stops with a
# message and exit code 78 (configuration error). The password is written, with
# /etc/odoo/odoo.conf (ODOO_RC_TEMPLATE), into a configuration readable by the odoo user only,
# named by ODOO_RC for Odoo; the image keeps no password.
set -euo pipefail

template="${ODOO_RC_TEMPLATE:-/etc/odoo/odoo.conf}"
next="${ODOO_NEXT_ENTRYPOINT:-/entrypoint.sh}"
secret_file="${ODOO_ADMIN_PASSWD_FILE:-/run/secrets/odoo_admin_passwd}"

refuse() {
    echo "social-incidents: refusing to start: $1" >&2
    echo "social-incidents: give Odoo's master password as the Docker secret odoo_admin_passwd (or a file named by ODOO_ADMIN_PASSWD_FILE) or in ODOO_ADMIN_PASSWD; at least 12 characters, not 'admin'. Generate one with: openssl rand -base64 24" >&2
    exit 78
}

passwd=""
source_name=""
if [ -f "$secret_file" ]; then
    [ -r "$secret_file" ] || refuse "$secret_file is not readable by $(id -un)"
    passwd="$(cat "$secret_file")"   # $(...) drops the file's trailing newlines
    source_name="$secret_file"
elif [ -n "${ODOO_ADMIN_PASSWD:-}" ]; then
    passwd="$ODOO_ADMIN_PASSWD"
    source_name="ODOO_ADMIN_PASSWD"
fi
unset ODOO_ADMIN_PASSWD

[ -n "$passwd" ] || refuse "no master password (no secret at $secret_file, ODOO_ADMIN_PASSWD empty or unset)"
case "$passwd" in
    *$'\n'*|*$'\r'*) refuse "the master password from $source_name spans several lines" ;;
esac
[ "$passwd" != admin ] || refuse "the master password from $source_name is Odoo's default 'admin'"
[ "${#passwd}" -ge 12 ] || refuse "the master password from $source_name is shorter than 12 characters"
[ -r "$template" ] || refuse "the configuration $template is missing"
if grep -qE '^[[:space:]]*admin_passwd[[:space:]]*=' "$template"; then
    refuse "$template sets admin_passwd itself: remove it from there"
fi

umask 077
rc="$(mktemp "${TMPDIR:-/tmp}/odoo-XXXXXX.conf")"
{ cat "$template"; printf '\nadmin_passwd = %s\n' "$passwd"; } >"$rc"
unset passwd
export ODOO_RC="$rc"
echo "social-incidents: master password from $source_name; configuration $template (+ admin_passwd) in $rc" >&2
exec "$next" "$@"
