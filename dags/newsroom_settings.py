"""Parse-time settings of the newsroom DAG files: the variables the airflow dag-processor reads when it parses
dags/*.py (schedules, retries, parallelism). Each is checked here, once, and a bad value is an import error
naming the variable and its value, not a bare traceback; a bad cron is refused here rather than silently
disabling a schedule. Not a DAG file (see .airflowignore); standard library and croniter only, so parsing stays fast.
"""

from __future__ import annotations

import os

PRESETS = ("@hourly", "@daily", "@weekly", "@monthly", "@quarterly", "@yearly")
WHERE = "read by the airflow dag-processor when it parses the newsroom DAG files"


class SettingError(ValueError):
    """A parse-time NEWSROOM_* variable has a value the DAGs cannot use."""


def _raw(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or not value.strip() else value.strip()


def env_cron(name: str, default: str, extra_presets: tuple[str, ...] = ()) -> str:
    """A cron expression (5 to 7 fields) or a preset such as @daily."""
    from croniter import croniter

    value = _raw(name, default)
    if value in PRESETS + extra_presets or croniter.is_valid(value):
        return value
    raise SettingError(f"{name}={value!r} is not a cron expression (5 fields, e.g. '15 */6 * * *') or a preset "
                       f"({', '.join(PRESETS + extra_presets)}); {WHERE}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = _raw(name, str(default))
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise SettingError(f"{name}={value!r} is not a whole number >= {minimum}; {WHERE}")
    return number


def env_seconds(name: str, default: float) -> float:
    value = _raw(name, str(default))
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not 0 < number < 86400 * 7:
        raise SettingError(f"{name}={value!r} is not a number of seconds (more than 0, less than a week); {WHERE}")
    return number


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name, "true" if default else "false").lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingError(f"{name}={value!r} is not true or false; {WHERE}")
