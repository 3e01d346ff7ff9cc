"""newsroom_alerts — evaluate the alert rules when new articles land (Asset newsroom://articles), and on a cron
as a safety net (NEWSROOM_ALERTS_CRON, default every 6 hours) in case an ingest run emitted nothing.

Rule logic and notification channels live in `pipeline.alerts`; SMTP/Slack credentials come from the Airflow
Connections `newsroom_smtp` / `newsroom_slack` or NEWSROOM_* variables, never from this file.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from airflow.sdk import Asset, AssetOrTimeSchedule, CronTriggerTimetable, Param, dag, task

ARTICLES = Asset("newsroom://articles")


@dag(
    dag_id="newsroom_alerts",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable(os.environ.get("NEWSROOM_ALERTS_CRON", "15 */6 * * *"), timezone="UTC"),
        assets=[ARTICLES],
    ),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "newsroom", "retries": 2, "retry_delay": timedelta(minutes=1),
                  "retry_exponential_backoff": 2.0, "max_retry_delay": timedelta(minutes=15)},
    tags=["newsroom", "alerts"],
    params={
        "rules": Param([], type="array", description="Only these rule names (default: every rule)."),
        "dry_run": Param(False, type="boolean", description="Evaluate without notifying."),
    },
    doc_md=__doc__,
)
def newsroom_alerts():
    @task(execution_timeout=timedelta(minutes=30))
    def evaluate(params=None) -> dict:
        from pipeline.orchestration import evaluate_alerts, run_task

        return run_task(evaluate_alerts, params.get("rules") or None, dry_run=bool(params.get("dry_run")))

    evaluate()


newsroom_alerts()
