"""newsroom_ingest — per feed, a mapped task fetches, extracts and archives its articles to the data dir; then one
task enriches and indexes them all (the spaCy models load once per run, not once per feed); then the run record.

Task bodies live in `pipeline.orchestration` (imported inside the tasks, so parsing this file stays fast).
Read when the dag-processor parses this file: NEWSROOM_SCHEDULE (default @daily), NEWSROOM_CATCHUP (default off),
NEWSROOM_FEED_PARALLELISM (feeds fetched at once, default 4: no models in those tasks), NEWSROOM_TASK_RETRIES
(default 3, exponential backoff from NEWSROOM_RETRY_DELAY_SECONDS, default 120), checked in newsroom_settings.py.
Everything else (store, feeds, data dir, NEWSROOM_MAX_FAILED_FEEDS_RATIO) is read at run time. Idempotent per
logical date: the run record's id derives from it and article ids from URLs, so a rerun or a backfill overwrites,
never duplicates; the record keeps every attempt. `announce` emits the Asset event (alerts) only when the run wrote
articles (new, updated or replayed), even a run then failed; the leaf `check` then fails the run when the feeds could
not be listed, when more than NEWSROOM_MAX_FAILED_FEEDS_RATIO (default 0.5) of the feeds failed, or the run failed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import Asset, Param, dag, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException
from newsroom_settings import env_bool, env_cron, env_int, env_seconds

ARTICLES = Asset("newsroom://articles")
ISO_DATE = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
DEFAULT_ARGS = {
    "owner": "newsroom",
    "retries": env_int("NEWSROOM_TASK_RETRIES", 3),
    "retry_delay": timedelta(seconds=env_seconds("NEWSROOM_RETRY_DELAY_SECONDS", 120)),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=30),
    # one run at a time (max_active_runs=1): a task hung for good would hold every later run. The bookkeeping tasks
    # take seconds (their store requests time out after 30 s, 3 retries); collect_feed and enrich_index say more.
    "execution_timeout": timedelta(minutes=15),
}


@dag(
    dag_id="newsroom_ingest",
    schedule=env_cron("NEWSROOM_SCHEDULE", "@daily", extra_presets=("@once", "@continuous")),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=env_bool("NEWSROOM_CATCHUP", False),
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["newsroom", "ingest"],
    params={
        "feeds": Param([], type="array", items={"type": "string"},
                       description="Only these feed names (default: every feed)."),
        "since": Param(None, type=["null", "string"], pattern=ISO_DATE,
                       description="Only items published since this ISO date (YYYY-MM-DD[THH:MM])."),
        "refetch": Param(False, type="boolean",
                         description="Fetch every listed page again, even those already stored or staged by another "
                                     "run (after an extraction fix)."),
    },
    doc_md=__doc__,
)
def newsroom_ingest():
    @task
    def list_feeds(params=None) -> list[str]:
        from pipeline.orchestration import plan_run, run_task

        # checks the params once, lists the feeds, sets the store up once for every feed task
        return run_task(plan_run, only=params.get("feeds") or None, since=params.get("since"))

    @task
    def run_key(dag_run=None, logical_date=None) -> str:
        from pipeline.orchestration import run_key as key

        return key(dag_run.dag_id, logical_date, dag_run.run_id)

    @task(max_active_tis_per_dagrun=env_int("NEWSROOM_FEED_PARALLELISM", 4, minimum=1),
          execution_timeout=timedelta(hours=1))
    def collect_feed(feed_name: str, record_id: str, params=None) -> dict:
        from pipeline.orchestration import collect_feed as collect
        from pipeline.orchestration import run_task

        return run_task(collect, feed_name, record_id, since=params.get("since"), refetch=bool(params.get("refetch")))

    # one at a time across runs: a backfill runs beside the scheduled runs, and this task is the feed state's writer
    @task(trigger_rule="all_done", execution_timeout=timedelta(hours=4), max_active_tis_per_dag=1)
    def enrich_index(collected, record_id: str) -> dict:
        from pipeline.orchestration import enrich_and_index_run, run_task

        # A slice reads the mapped results in one request; iterating would probe one past the end and log a
        # harmless but alarming "XCom not found … offset=N" error line.
        return run_task(enrich_and_index_run, [c for c in collected[:] if c], record_id)

    @task(trigger_rule="all_done")
    def finalize(collected, record_id: str, feeds: list[str], ti=None) -> dict:
        from pipeline.orchestration import finalize_run, list_failure, run_task

        indexed = ti.xcom_pull(task_ids="enrich_index")  # None when that task failed
        record = run_task(finalize_run, [c for c in collected[:] if c], record_id, feeds, indexed=indexed)
        reason = list_failure(record)  # nothing listed: the run failed, and no Asset event (announce is skipped)
        if reason:
            raise AirflowFailException(reason)
        return record

    # Airflow records an outlet event only when its task succeeds: announcing in a task of its own lets the event
    # out for a run that `check` then fails (its indexed articles still get their alerts now).
    @task(outlets=[ARTICLES])
    def announce(record: dict, outlet_events=None) -> None:
        from pipeline.orchestration import should_announce

        if not should_announce(record):
            raise AirflowSkipException(f"run {record['run_id']} wrote no article (nothing new, updated or "
                                       "replayed): no Asset event, newsroom_alerts waits for its cron")
        outlet_events[ARTICLES].extra = record

    @task(trigger_rule="all_done")
    def check(record_id: str, ti=None) -> None:
        from pipeline.orchestration import run_failure, run_task

        reason = run_task(run_failure, ti.xcom_pull(task_ids="finalize"), record_id)
        if reason:
            raise AirflowFailException(reason)

    feeds = list_feeds()
    key = run_key()
    collected = collect_feed.partial(record_id=key).expand(feed_name=feeds)
    record = finalize(collected, key, feeds)
    enrich_index(collected, key) >> record
    announce(record)
    record >> check(key)


newsroom_ingest()
