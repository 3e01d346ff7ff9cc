"""newsroom_alerts — evaluate the alert rules when new articles land (Asset newsroom://articles), and on a cron
as a safety net (NEWSROOM_ALERTS_CRON, default every 6 hours) in case an ingest run emitted nothing.

Rule logic and notification channels live in `pipeline.alerts`; SMTP/Slack credentials come from the Airflow
Connections `newsroom_smtp` / `newsroom_slack` or NEWSROOM_* variables, never from this file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import Asset, AssetOrTimeSchedule, CronTriggerTimetable, Param, dag, task
from airflow.sdk.exceptions import AirflowFailException
from newsroom_settings import env_cron

ARTICLES = Asset("newsroom://articles")


@dag(
    dag_id="newsroom_alerts",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable(env_cron("NEWSROOM_ALERTS_CRON", "15 */6 * * *"), timezone="UTC"),
        assets=[ARTICLES],
    ),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "newsroom", "retries": 2, "retry_delay": timedelta(minutes=1),
                  "retry_exponential_backoff": 2.0, "max_retry_delay": timedelta(minutes=15)},
    tags=["newsroom", "alerts"],
    params={
        "rules": Param([], type="array", items={"type": "string"},
                       description="Only these rule names (default: every rule)."),
        "dry_run": Param(False, type="boolean", description="Evaluate without notifying."),
    },
    doc_md=__doc__,
)
def newsroom_alerts():
    @task(execution_timeout=timedelta(minutes=30))
    def evaluate(params=None) -> dict:
        from pipeline.orchestration import alerts_failure, evaluate_alerts, run_task

        report = run_task(evaluate_alerts, params.get("rules") or None, dry_run=bool(params.get("dry_run")))
        reason = alerts_failure(report)  # after the whole evaluation: the other rules and channels did run
        if reason:
            print(f"alerts report: {report}")  # the counts stay in the log (no XCom for a failed task)
            raise AirflowFailException(reason)
        return report

    evaluate()


newsroom_alerts()
