"""newsroom_ingest — per feed, a mapped task fetches, extracts and archives its articles to the data dir; then one
task enriches and indexes them all (the spaCy models load once per run, not once per feed); then the run record.

Task bodies live in `pipeline.orchestration` (imported inside the tasks, so parsing this file stays fast).
Read when the dag-processor parses this file: NEWSROOM_SCHEDULE (default @daily), NEWSROOM_CATCHUP (default off),
NEWSROOM_FEED_PARALLELISM (feeds fetched at once, default 4: no models in those tasks), NEWSROOM_TASK_RETRIES
(default 3, exponential backoff from NEWSROOM_RETRY_DELAY_SECONDS, default 120). Everything else (store, feeds,
data dir, NEWSROOM_MAX_FAILED_FEEDS_RATIO) is read at run time. Idempotent per logical date: the run record's id
derives from it and article ids from URLs, so a rerun or a backfill overwrites, never duplicates; the record keeps
every attempt. The run fails when more than NEWSROOM_MAX_FAILED_FEEDS_RATIO (default 0.5) of the feeds failed.
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
        from pipeline.orchestration import feed_names, run_task

        return run_task(feed_names, only=params.get("feeds") or None)

    @task
    def run_key(dag_run=None, logical_date=None) -> str:
        from pipeline.orchestration import run_key as key

        return key(dag_run.dag_id, logical_date, dag_run.run_id)

    @task(max_active_tis_per_dagrun=int(os.environ.get("NEWSROOM_FEED_PARALLELISM", "4")),
          execution_timeout=timedelta(hours=1))
    def collect_feed(feed_name: str, record_id: str, params=None) -> dict:
        from pipeline.orchestration import collect_feed as collect
        from pipeline.orchestration import run_task

        return run_task(collect, feed_name, record_id, since=params.get("since"))

    @task(trigger_rule="all_done", execution_timeout=timedelta(hours=4))
    def enrich_index(collected, record_id: str) -> dict:
        from pipeline.orchestration import enrich_and_index_run, run_task

        # A slice reads the mapped results in one request; iterating would probe one past the end and log a
        # harmless but alarming "XCom not found … offset=N" error line.
        return run_task(enrich_and_index_run, [c for c in collected[:] if c], record_id)

    @task(trigger_rule="all_done", outlets=[ARTICLES])
    def finalize(collected, record_id: str, feeds: list[str], ti=None, outlet_events=None) -> dict:
        from pipeline.orchestration import airflow_settings, check_failed_feeds, finalize_run

        settings = airflow_settings()
        indexed = ti.xcom_pull(task_ids="enrich_index")  # None when that task failed
        record = finalize_run([c for c in collected[:] if c], record_id, feeds, settings=settings, indexed=indexed)
        outlet_events[ARTICLES].extra = record
        reason = check_failed_feeds(record, settings.max_failed_feeds_ratio)
        if reason:
            raise AirflowFailException(reason)
        return record

    feeds = list_feeds()
    key = run_key()
    collected = collect_feed.partial(record_id=key).expand(feed_name=feeds)
    enrich_index(collected, key) >> finalize(collected, key, feeds)


newsroom_ingest()
