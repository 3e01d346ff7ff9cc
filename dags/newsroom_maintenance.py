"""newsroom_maintenance — weekly: rollover/retention checks, replay of spooled articles, and re-enrichment of
recent articles from the WARC archive when the models or the watchlist changed (or when asked: param `force`).

Schedule: NEWSROOM_MAINTENANCE_SCHEDULE (default Sundays 03:00 UTC, away from the daily ingest at midnight).
Task bodies: `pipeline.orchestration`, which calls
`pipeline.store.retention` and `pipeline.reenrich` (also `newsroom reenrich`, for installs without Airflow).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import Param, dag, task
from newsroom_settings import env_cron


@dag(
    dag_id="newsroom_maintenance",
    schedule=env_cron("NEWSROOM_MAINTENANCE_SCHEDULE", "0 3 * * 0"),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "newsroom", "retries": 2, "retry_delay": timedelta(minutes=5),
                  "retry_exponential_backoff": 2.0, "max_retry_delay": timedelta(hours=1),
                  # storage takes seconds; replay a spool of days of articles (bulk, thousands a second): minutes
                  "execution_timeout": timedelta(hours=1)},
    tags=["newsroom", "maintenance"],
    params={
        "reenrich_days": Param(30, type="integer", minimum=1, description="Re-enrich articles first seen this recently."),
        "force_reenrich": Param(False, type="boolean", description="Re-enrich even if nothing changed."),
    },
    doc_md=__doc__,
)
def newsroom_maintenance():
    # storage acts as of the run's data_interval_end (a rerun covers the same window); reenrich from there up to now,
    # since it records the enrichment fingerprint as done (pipeline.orchestration.reenrich_recent).
    @task
    def storage(data_interval_end=None) -> dict:
        from pipeline.orchestration import check_storage, run_task

        return run_task(check_storage, now=data_interval_end)

    @task
    def replay() -> dict:
        from pipeline.orchestration import replay_pending, run_task

        return run_task(replay_pending)

    @task(execution_timeout=timedelta(hours=6), max_active_tis_per_dag=1)
    def reenrich(params=None, data_interval_end=None) -> dict:
        from pipeline.orchestration import reenrich_recent, run_task

        return run_task(reenrich_recent, days=int(params["reenrich_days"]), force=bool(params["force_reenrich"]),
                        until=data_interval_end)

    storage() >> replay() >> reenrich()


newsroom_maintenance()
