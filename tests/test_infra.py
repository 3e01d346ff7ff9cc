"""Production stack (infra/): the compose file's structure, secrets only from the env file, and `compose config`
when a compose client is installed (no Docker engine is needed for `config`; none runs here)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

INFRA = Path(__file__).resolve().parent.parent / "infra"
COMPOSE = INFRA / "docker-compose.yml"
ENV_EXAMPLE = INFRA / ".env.example"
STATEFUL = {"elasticsearch": "/usr/share/elasticsearch/data", "postgres": "/var/lib/postgresql/data",
            "redis": "/data", "kibana": "/usr/share/kibana/data"}
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer"}
SECRETS = ["ELASTIC_PASSWORD", "KIBANA_PASSWORD", "KIBANA_ENCRYPTION_KEY", "POSTGRES_PASSWORD", "AIRFLOW_FERNET_KEY",
           "AIRFLOW_JWT_SECRET", "AIRFLOW_API_SECRET_KEY"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _env_example() -> dict[str, str]:
    out = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def test_services_of_the_stack(compose):
    services = compose["services"]
    assert AIRFLOW_SERVICES | {"elasticsearch", "kibana", "postgres", "redis", "airflow-init", "newsroom-init",
                               "airflow-worker"} <= set(services)
    es = services["elasticsearch"]["environment"]
    assert es["discovery.type"] == "single-node" and es["xpack.security.enabled"] == "true"
    assert services["airflow-scheduler"]["environment"]["AIRFLOW__CORE__EXECUTOR"].startswith("${AIRFLOW_EXECUTOR:-LocalExecutor")
    # Celery is an opt-in profile: redis and workers only start with --profile celery
    assert services["redis"]["profiles"] == ["celery"] and services["airflow-worker"]["profiles"] == ["celery"]
    init = services["newsroom-init"]
    assert _as_the_image_runs(init["command"]) == ["python", "-m", "pipeline", "setup"] and init["restart"] == "no"
    # `newsroom setup` imports the Kibana objects when NEWSROOM_KIBANA_URL is set: it is, so Kibana must be up
    assert init["environment"]["NEWSROOM_KIBANA_URL"] == "http://kibana:5601"
    assert init["depends_on"]["elasticsearch"]["condition"] == "service_healthy"
    assert init["depends_on"]["kibana"]["condition"] == "service_healthy"
    assert services["airflow-scheduler"]["depends_on"]["newsroom-init"]["condition"] == "service_completed_successfully"


def _as_the_image_runs(command: list[str]) -> list[str]:
    """What the apache/airflow image's entrypoint (scripts/docker/entrypoint_prod.sh) executes for a compose
    `command`: `bash …` and `python …` as given; anything else as an Airflow command (`airflow` prepended, unless the
    command already starts with it)."""
    if command[0] in ("bash", "python"):
        return command
    return ["airflow", *(command[1:] if command[0] == "airflow" else command)]


def test_every_service_on_the_airflow_image_runs_a_command_its_entrypoint_can_run(compose):
    """`newsroom-init` ran `command: ["newsroom", "setup"]`: the Airflow image's entrypoint executes `airflow newsroom
    setup` (only `bash` and `python` commands are run as given), which exits with "invalid choice: 'newsroom'"; the
    scheduler waits for newsroom-init to complete successfully, so with that file no task would ever have run."""
    import sys

    airflow_commands = subprocess.run([sys.executable, "-m", "airflow", "--help"], capture_output=True, text=True,
                                      timeout=120, env={"AIRFLOW_HOME": "/nonexistent-airflow-home", "PATH": ""}).stdout
    for name, service in compose["services"].items():
        if service.get("image") != compose["x-airflow-common"]["image"]:
            continue
        argv = _as_the_image_runs(service["command"])
        if argv[0] == "airflow" and argv[1] != "celery":  # `celery`: the image's Celery provider, not installed here
            assert re.search(rf"^\s+{re.escape(argv[1])}\s", airflow_commands, re.M), (name, argv)
        elif argv[0] != "airflow":
            assert argv[0] in ("bash", "python"), (name, argv)


def test_healthchecks_and_volumes(compose):
    services = compose["services"]
    for name, path in STATEFUL.items():
        assert "healthcheck" in services[name], name
        named = [v.split(":")[0] for v in services[name]["volumes"] if ":" in v and v.split(":")[1] == path]
        assert named and named[0] in compose["volumes"], f"{name}: no named volume on {path}"
    for name in AIRFLOW_SERVICES | {"airflow-worker"}:
        assert "healthcheck" in services[name], name
        assert any(v.startswith("newsroom-data:") for v in services[name]["volumes"]), name  # WARC, state, spool


def test_no_secret_in_files_and_every_variable_documented(compose):
    text = COMPOSE.read_text(encoding="utf-8")
    variables = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    documented = _env_example()
    assert variables - {"HOSTNAME"} <= set(documented), variables - set(documented)
    for secret in SECRETS:
        assert documented[secret] == "", f"{secret} must be empty in .env.example"
        assert f"${{{secret}:?" in text, f"{secret} must be required (:?) somewhere in the compose file"
    for line in text.splitlines():  # any password-ish value is a ${VARIABLE}, never a literal
        if re.search(r"(PASSWORD|SECRET|FERNET|API_KEY)[A-Z_]*:\s*\S", line) and "${" not in line \
                and not line.strip().endswith(".json"):  # a path to a generated passwords file is no secret
            pytest.fail(f"literal secret in compose file: {line.strip()}")


def test_dockerfile_builds_airflow_with_the_project():
    text = (INFRA / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM apache/airflow:\$\{AIRFLOW_VERSION\}-python3\.11$", text, re.M)
    assert re.search(r"^ARG AIRFLOW_VERSION=3\.\d+\.\d+$", text, re.M)
    assert "-r /opt/newsroom/requirements.lock" in text and "--no-deps /opt/newsroom" in text
    lock = (INFRA.parent / "requirements.lock").read_text(encoding="utf-8")
    version = re.search(r"^ARG AIRFLOW_VERSION=(\S+)$", text, re.M).group(1)
    assert f"apache-airflow=={version}" in lock  # the image and the lock agree
    # the named volumes' mount points exist in the image, writable by the airflow user (else root-owned volumes)
    assert "mkdir -p /opt/newsroom/data /opt/airflow/secrets" in text
    assert re.search(r"^USER airflow$", text, re.M)


def _compose_command() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.fixture
def compose_cmd() -> list[str]:
    cmd = _compose_command()
    if cmd is None:
        pytest.skip("no compose client here (neither `docker compose` nor `docker-compose`): "
                    "`config` validation not run; install docker-compose to run it")
    return cmd


def _config(cmd: list[str], env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*cmd, "-f", str(COMPOSE), "--env-file", str(ENV_EXAMPLE), *args, "config"],
                          env=env, capture_output=True, text=True, timeout=60)


def test_compose_config_validates(compose_cmd, monkeypatch):
    import os

    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    env.update({secret: f"test-{secret.lower()}-0123456789abcdef0123456789" for secret in SECRETS})
    for args in ((), ("--profile", "celery")):
        proc = _config(compose_cmd, env, *args)
        assert proc.returncode == 0, proc.stderr
        resolved = yaml.safe_load(proc.stdout)
        assert "elasticsearch" in resolved["services"]
        if args:  # (docker-compose v1 lists profiled services in `config` whatever the profile; v2 filters)
            assert "airflow-worker" in resolved["services"] and "redis" in resolved["services"]


def test_compose_config_refuses_missing_secrets(compose_cmd):
    import os

    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    proc = _config(compose_cmd, env)
    assert proc.returncode != 0
    assert "infra/.env" in proc.stderr  # the message says where to set it


def test_every_newsroom_variable_of_the_env_file_reaches_the_airflow_containers(compose):
    """infra/.env is read by compose for `${...}` only, unless a service names it in env_file: without it the
    NEWSROOM_* variables the compose file does not list (webhook URL and secret of the shipped alerts.yaml, SMTP
    security, retries, crons, ES API key/CA) never reach the tasks."""
    common = compose["x-airflow-common"]
    assert {"path": ".env", "required": False} in common["env_file"]  # relative to infra/, optional
    for name in AIRFLOW_SERVICES | {"airflow-worker", "airflow-init", "newsroom-init"}:
        service = compose["services"][name]
        assert service.get("env_file", common["env_file"]) == common["env_file"], name
    # the stack's own store wins over a NEWSROOM_ES_URL left in infra/.env (environment beats env_file)
    assert common["environment"]["NEWSROOM_ES_URL"] == "http://elasticsearch:9200"


def test_airflow_init_gives_the_volumes_to_airflow_uid(compose):
    init = compose["services"]["airflow-init"]
    assert init["user"] == "0:0"
    script = " ".join(init["command"])
    for path in ("/opt/airflow/logs", "/opt/newsroom/data", "/opt/airflow/secrets"):
        assert path in script
    assert 'chown -R "${AIRFLOW_UID:-50000}:0"' in script
    assert "airflow db migrate" in script and "--reuid=" in script  # the migration itself does not run as root
    for name in AIRFLOW_SERVICES:
        assert compose["services"][name]["user"] == "${AIRFLOW_UID:-50000}:0", name


def _airflow_local():
    import importlib.util

    spec = importlib.util.spec_from_file_location("airflow_local", INFRA / "airflow_local.py")
    local = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(local)
    return local


def test_local_airflow_starts_no_log_server_on_every_interface(tmp_path):
    """`make airflow` bound the API server to 127.0.0.1, but its scheduler and triggerer each started Airflow's log
    server on 0.0.0.0/[::] (ports 8793 and 8794, outside AIRFLOW_PORT). They now run with --skip-serve-logs, a flag
    the installed Airflow accepts (LocalExecutor's logs are local files the api-server reads)."""
    import sys

    local = _airflow_local()
    for name in ("scheduler", "triggerer"):
        command = local.component_command(name)
        assert "--skip-serve-logs" in command, command
        usage = subprocess.run([sys.executable, "-m", "airflow", name, "--help"], capture_output=True, text=True,
                               timeout=120, env={"AIRFLOW_HOME": str(tmp_path), "PATH": ""})
        assert "--skip-serve-logs" in usage.stdout, usage.stderr[-500:]
    assert local.component_command("api-server")[1:] == ["api-server"]


def test_airflow_check_listens_on_the_operator_s_airflow_port(monkeypatch):
    """`make airflow-check` took any free port and ignored AIRFLOW_PORT, which `make airflow` honours: on a shared
    machine its API server landed outside the port range the operator was given."""
    local = _airflow_local()
    asked = {}
    monkeypatch.setattr(local, "check", lambda **kwargs: asked.update(kwargs) or 0)
    monkeypatch.setenv("AIRFLOW_PORT", "19777")
    assert local.main(["check"]) == 0 and asked == {"port": 19777}
    monkeypatch.delenv("AIRFLOW_PORT")
    assert local.main(["check"]) == 0 and asked == {"port": None}


def test_make_airflow_never_prints_or_saves_the_store_s_password(tmp_path, monkeypatch, capsys):
    """`make airflow` with NEWSROOM_ES_URL=http://user:password@host printed "Elasticsearch: http://elastic:S3CRETPW@…"
    on the terminal and saved it in AIRFLOW_HOME/newsroom-local.json (seen live, 2026-12-05). Both are masked now;
    the components still get the URL itself. (The Airflow processes are not started here: `db migrate` and the
    components are left out, the rest of `up` runs.)"""
    local = _airflow_local()
    monkeypatch.setenv("NEWSROOM_ES_URL", "http://elastic:S3CRETPW@127.0.0.1:19751")
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(local.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, "", ""))
    monkeypatch.setattr(local.LocalAirflow, "_alive", lambda self, name: True)
    monkeypatch.setattr(local.LocalAirflow, "_wait_healthy", lambda self, timeout: None)
    assert local.main(["up"]) == 0
    shown = capsys.readouterr().out
    saved = (tmp_path / "home" / "newsroom-local.json").read_text()
    assert "S3CRETPW" not in shown and "S3CRETPW" not in saved
    assert "http://***@127.0.0.1:19751" in shown and "127.0.0.1:19751" in saved
    env = local.LocalAirflow(tmp_path / "home", tmp_path / "data").env("http://elastic:S3CRETPW@127.0.0.1:19751")
    assert env["NEWSROOM_ES_URL"] == "http://elastic:S3CRETPW@127.0.0.1:19751"


def _seconds(duration: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([smh])", duration).groups()
    return int(number) * {"s": 1, "m": 60, "h": 3600}[unit]


def test_celery_workers_wait_for_the_execution_api_and_finish_their_tasks_on_stop(compose):
    """Airflow 3's tasks report to the api-server's execution API: a worker started before it was healthy took tasks
    that failed at their first call. The worker's warm shutdown (DUMB_INIT_SETSID=0) had Docker's default 10 s before
    SIGKILL, which cut every running task short. Flower is an optional profile, on loopback only."""
    services = compose["services"]
    worker = services["airflow-worker"]
    assert worker["depends_on"]["airflow-apiserver"]["condition"] == "service_healthy"
    assert worker["environment"]["DUMB_INIT_SETSID"] == "0" and _seconds(worker["stop_grace_period"]) >= 300
    flower = services["airflow-flower"]
    assert flower["profiles"] == ["flower"] and flower["command"] == ["airflow", "celery", "flower"]
    assert flower["ports"] == ["${FLOWER_PORT:-127.0.0.1:5555}:5555"] and "healthcheck" in flower
    for name in ("airflow-worker", "airflow-flower", "airflow-scheduler"):  # the broker: Redis, password from .env
        assert services[name]["environment"]["AIRFLOW__CELERY__BROKER_URL"] == "redis://:${REDIS_PASSWORD:-}@redis:6379/0"
