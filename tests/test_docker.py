"""docker/: what can be checked without a Docker daemon (none runs on the CI machine).

The entry point really runs (with a stand-in for the odoo image's /entrypoint.sh), the files
are parsed; building the image and starting the containers is not tested here.
"""

import ast
import configparser
import os
import re
import stat
import subprocess

import pytest
import yaml

from addon_files import REPO_ROOT

DOCKER = REPO_ROOT / "docker"
ENTRYPOINT = DOCKER / "entrypoint.sh"
GOOD = "correct-horse-battery-staple"


@pytest.fixture
def run_entrypoint(tmp_path):
    """Run docker/entrypoint.sh; the next entry point prints its ODOO_RC file, the mode of that
    file, whether ODOO_ADMIN_PASSWD is still set, and its arguments."""
    fake_next = tmp_path / "next.sh"
    fake_next.write_text(
        '#!/bin/bash\nstat -c "mode=%a" "$ODOO_RC"\ncat "$ODOO_RC"\n'
        'echo "env=${ODOO_ADMIN_PASSWD-unset}"\necho "args=$*"\n'
    )
    fake_next.chmod(0o755)

    def run(env=None, secret=None, template=DOCKER / "odoo.conf", args=("--", "-d", "x")):
        secret_file = tmp_path / "secret"
        if secret is not None:
            secret_file.write_text(secret)
        environ = {
            "PATH": os.environ["PATH"],
            "TMPDIR": str(tmp_path),
            "ODOO_RC_TEMPLATE": str(template),
            "ODOO_NEXT_ENTRYPOINT": str(fake_next),
            "ODOO_ADMIN_PASSWD_FILE": str(secret_file),
            **(env or {}),
        }
        return subprocess.run(
            ["bash", str(ENTRYPOINT), *args],
            env=environ,
            capture_output=True,
            text=True,
            timeout=30,
        )

    return run


@pytest.mark.parametrize(
    "env, secret, reason",
    [
        ({}, None, "no master password"),
        ({"ODOO_ADMIN_PASSWD": ""}, None, "no master password"),
        ({"ODOO_ADMIN_PASSWD": "admin"}, None, "default 'admin'"),
        ({"ODOO_ADMIN_PASSWD": "short-pass"}, None, "shorter than 12"),
        ({}, "admin\n", "default 'admin'"),
        ({}, "", "no master password"),
        ({}, "first-line-is-long\nsecond line\n", "several lines"),
        # a secret that says "admin" is not saved by a good environment variable
        ({"ODOO_ADMIN_PASSWD": GOOD}, "admin", "default 'admin'"),
    ],
)
def test_entrypoint_refuses_to_start_without_a_real_password(run_entrypoint, env, secret, reason):
    result = run_entrypoint(env, secret)
    assert result.returncode == 78, result.stdout + result.stderr
    assert "refusing to start" in result.stderr and reason in result.stderr
    assert "args=" not in result.stdout  # Odoo was not started


def test_entrypoint_refuses_a_template_with_its_own_password(run_entrypoint, tmp_path):
    template = tmp_path / "odoo.conf"
    template.write_text("[options]\nadmin_passwd = admin\n")
    result = run_entrypoint({"ODOO_ADMIN_PASSWD": GOOD}, template=template)
    assert result.returncode == 78 and "sets admin_passwd itself" in result.stderr


def _rc_of(stdout):
    lines = stdout.splitlines()
    assert lines[0] == "mode=600"  # readable by the odoo user only
    rc = configparser.RawConfigParser()
    rc.read_string("\n".join(line for line in lines[1:] if not line.startswith(("env=", "args="))))
    return rc


def test_entrypoint_password_from_the_environment(run_entrypoint):
    result = run_entrypoint({"ODOO_ADMIN_PASSWD": GOOD})
    assert result.returncode == 0, result.stderr
    rc = _rc_of(result.stdout)
    assert rc.get("options", "admin_passwd") == GOOD
    assert rc.get("options", "workers") == "4"  # the template is kept
    assert "env=unset" in result.stdout  # Odoo's processes do not inherit it
    assert "args=-- -d x" in result.stdout
    assert GOOD not in result.stderr


def test_entrypoint_password_from_a_docker_secret(run_entrypoint):
    result = run_entrypoint({}, secret=GOOD + "\n")
    assert result.returncode == 0, result.stderr
    assert _rc_of(result.stdout).get("options", "admin_passwd") == GOOD


def test_odoo_conf_is_a_small_production():
    rc = configparser.RawConfigParser()
    rc.read(DOCKER / "odoo.conf")
    options = dict(rc.items("options"))
    assert "admin_passwd" not in options
    assert options["proxy_mode"] == "True"
    assert int(options["workers"]) >= 2
    assert int(options["max_cron_threads"]) >= 1
    assert options["gevent_port"] == "8072"
    assert int(options["limit_memory_soft"]) < int(options["limit_memory_hard"])
    assert 0 < int(options["limit_time_cpu"]) < int(options["limit_time_real"])
    assert options["list_db"] == "False"
    # every key is an option Odoo 18.0 knows (odoo/tools/config.py, read without importing Odoo)
    import importlib.util

    spec = importlib.util.find_spec("odoo")
    if spec is not None:
        source = open(
            os.path.join(os.path.dirname(spec.origin), "tools", "config.py"), encoding="utf-8"
        ).read()
        known = set(re.findall(r'dest=["\'](\w+)["\']', source)) | {"addons_path", "data_dir"}
        assert set(options) <= known, set(options) - known


def test_dockerfile_health_check_entrypoint_and_ports():
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert re.search(r"^HEALTHCHECK .*\n?.*/web/health", dockerfile, re.M)
    assert 'ENTRYPOINT ["/usr/local/bin/social-incidents-entrypoint"]' in dockerfile
    assert "COPY docker/entrypoint.sh /usr/local/bin/social-incidents-entrypoint" in dockerfile
    assert re.search(r"^EXPOSE .*\b8072\b", dockerfile, re.M)
    # the addons' Python dependencies come from requirements.txt, pinned as in the manifests
    assert "-r /tmp/requirements.txt" in dockerfile
    assert os.stat(ENTRYPOINT).st_mode & stat.S_IXUSR


def test_requirements_pin_holidays_as_the_manifests():
    manifest = ast.literal_eval((REPO_ROOT / "social_incidents" / "__manifest__.py").read_text())
    declared = [d for d in manifest["external_dependencies"]["python"] if d.startswith("holidays")]
    required = [
        line.split("#")[0].strip().replace(" ", "")
        for line in (REPO_ROOT / "requirements.txt").read_text().splitlines()
        if line.startswith("holidays")
    ]
    assert declared and required == [d.replace(" ", "") for d in declared]
    assert "<" in required[0]  # pinned to a tested range


def test_compose_file():
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    odoo = compose["services"]["odoo"]
    assert "ports" not in odoo  # only through nginx: proxy_mode trusts X-Forwarded-*
    assert odoo["environment"]["ODOO_ADMIN_PASSWD"].startswith("${ODOO_ADMIN_PASSWD:?")
    nginx = compose["services"]["nginx"]
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in nginx["volumes"]


def test_nginx_routes_the_websocket_and_the_webhooks():
    conf = (DOCKER / "nginx.conf").read_text()
    assert re.search(r"upstream odoo_websocket \{\s*server odoo:8072;", conf)
    assert re.search(r"location /websocket \{[^}]*proxy_pass http://odoo_websocket;", conf)
    assert re.search(r"location /websocket \{[^}]*proxy_set_header Upgrade \$http_upgrade;", conf)
    for header in ("X-Forwarded-Host", "X-Forwarded-For", "X-Forwarded-Proto"):
        assert f"proxy_set_header {header} " in conf
    # the VK Callback API route lies under the webhook location
    controller = (REPO_ROOT / "social_incidents_vk" / "controllers" / "main.py").read_text()
    routes = re.findall(r'@http\.route\(\s*"([^"]+)"', controller)
    webhook_prefixes = re.findall(r"location (/social_incidents_\w+/) \{", conf)
    assert routes and webhook_prefixes
    for route in routes:
        assert any(route.startswith(prefix) for prefix in webhook_prefixes), route
