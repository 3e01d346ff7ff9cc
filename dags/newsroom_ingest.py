"""newsroom_ingest — one mapped Airflow task per feed (fetch → extract → enrich → index), then the run record.

Task bodies live in `pipeline.orchestration` (imported inside the tasks, so parsing this file stays fast).
Schedule: NEWSROOM_SCHEDULE (default @daily); catch-up: NEWSROOM_CATCHUP (default off); feeds in parallel:
NEWSROOM_FEED_PARALLELISM (default 2, each task loads the spaCy models, ~1 GB); retries: NEWSROOM_TASK_RETRIES
(default 3, exponential backoff from NEWSROOM_RETRY_DELAY_SECONDS, default 120). Idempotent per logical date:
the run record's id derives from it and article ids from URLs, so a rerun or a backfill overwrites, never duplicates.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from airflow.sdk import Asset, Param, dag, task
from airflow.sdk.exceptions import AirflowFailException

ARTICLES = Asset("newsroom://articles")
DEFAULT_ARGS = {
    "owner": "newsroom",
    "retries": int(os.environ.get("NEWSROOM_TASK_RETRIES", "3")),
    "retry_delay": timedelta(seconds=float(os.environ.get("NEWSROOM_RETRY_DELAY_SECONDS", "120"))),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=30),
}


@dag(
    dag_id="newsroom_ingest",
    schedule=os.environ.get("NEWSROOM_SCHEDULE", "@daily"),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=os.environ.get("NEWSROOM_CATCHUP", "false").lower() in ("1", "true", "yes"),
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["newsroom", "ingest"],
    params={
        "feeds": Param([], type="array", description="Only these feed names (default: every feed)."),
        "since": Param(None, type=["null", "string"], description="Only items published since (ISO date)."),
    },
    doc_md=__doc__,
)
def newsroom_ingest():
    @task
    def list_feeds(params=None) -> list[str]:
        from pipeline.orchestration import feed_names

        return feed_names(only=params.get("feeds") or None)

    @task
    def run_key(dag_run=None, logical_date=None) -> str:
        from pipeline.orchestration import run_key as key

        return key(dag_run.dag_id, logical_date, dag_run.run_id)

    @task(max_active_tis_per_dagrun=int(os.environ.get("NEWSROOM_FEED_PARALLELISM", "2")),
          execution_timeout=timedelta(hours=2))
    def ingest_feed(feed_name: str, record_id: str, params=None) -> dict:
        from pipeline.orchestration import run_feed

        return run_feed(feed_name, record_id, since=params.get("since"))

    @task(trigger_rule="all_done", outlets=[ARTICLES])
    def finalize(results, record_id: str, feeds: list[str], outlet_events=None) -> dict:
        from pipeline.orchestration import finalize_run

        record = finalize_run(list(results), record_id, feeds)
        if record["status"] == "failed":
            raise AirflowFailException(f"every feed failed; run record {record_id} written")
        outlet_events[ARTICLES].extra = record
        return record

    feeds = list_feeds()
    key = run_key()
    finalize(ingest_feed.partial(record_id=key).expand(feed_name=feeds), key, feeds)


newsroom_ingest()
