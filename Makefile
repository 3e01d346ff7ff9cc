# newsroom — every command a user needs. `make run` and `make test` do all the set-up themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: install install-transformers install-postgres run demo test eval train-tone gazetteers bench-extract bench-enrich bench-topics bench-ingest bench-highlight bench-dags bench-dag-run bench-cli bench-search airflow airflow-down airflow-check store-up store-down clean
TF_STAMP := $(VENV)/.installed-transformers

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned environment (models included)

$(TF_STAMP): $(STAMP) requirements-transformers.lock
	$(BIN)/python -m pip install -q -r requirements-transformers.lock
	@touch $(TF_STAMP)

install-transformers: $(TF_STAMP) ## optional transformer sentiment backend (torch CPU + transformers)

install-postgres: $(STAMP) ## optional PostgreSQL drivers for Airflow's metadata DB (AIRFLOW_DB_URL)
	$(BIN)/python -m pip install -q -r requirements-postgres.lock

run: $(STAMP) ## ingest the configured feeds once (embedded store unless NEWSROOM_ES_URL is set)
	$(BIN)/newsroom ingest

demo: $(STAMP) ## serve the bundled sample site (tests/fixtures/site) on 127.0.0.1:8742 (DEMO_PORT=N) and ingest it (data/demo)
	$(BIN)/python -m pipeline.demo $(if $(DEMO_PORT),--port $(DEMO_PORT))

test: $(STAMP) $(TF_STAMP) ## run the test suite (starts and stops its own servers on 127.0.0.1)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

GOLD := $(SHARED)/gold/enrichment-dev.jsonl $(SHARED)/gold/train-fr.jsonl $(SHARED)/gold/train-en.jsonl

eval: $(STAMP) ## tone by 5-fold cross-validation on every shared labelled item; entities on all items and the dev set
	$(BIN)/python -m benchmarks.eval_tone --gold $(GOLD) $(if $(UNSEEN),--unseen $(UNSEEN)) $(if $(QUICK),--quick)
	$(BIN)/python -m benchmarks.eval_enrich --gold $(SHARED)/gold/enrichment-dev.jsonl
	$(BIN)/python -m benchmarks.eval_entities --gold-dir $(SHARED)/gold

gazetteers: $(STAMP) ## regenerate pipeline/enrich/gazetteers/*.txt from the pinned packages
	$(BIN)/python -m pipeline.enrich.build_gazetteers

train-tone: $(STAMP) ## retrain pipeline/enrich/weights/tone.json.gz from $(SHARED)/gold and pipeline/enrich/training (EXTRA=corrections.jsonl adds analysts' labels)
	$(BIN)/python -m pipeline.enrich.train_tone --gold $(GOLD) $(if $(EXTRA),--extra $(EXTRA))

bench-extract: $(STAMP) ## extraction speed and F1 vs plain trafilatura on $(SHARED)/corpus
	$(BIN)/python -m benchmarks.bench_extract --corpus $(SHARED)/corpus

bench-enrich: $(STAMP) ## enrichment throughput vs NER-only spaCy, peak memory
	$(BIN)/python -m benchmarks.bench_enrich --corpus $(SHARED)/corpus

bench-topics: $(STAMP) ## topic matcher throughput
	$(BIN)/python -m benchmarks.bench_topics --corpus $(SHARED)/corpus

bench-ingest: $(STAMP) ## 2,500 distinct articles made from $(SHARED)/corpus's real pages (PAGES=generated: ~450-word pages naming ten companies each): cores used, ratio to stage sum and to the floor, peak memory
	$(BIN)/python -m benchmarks.bench_ingest $(if $(filter generated,$(PAGES)),,$(if $(wildcard $(SHARED)/corpus),--corpus $(SHARED)/corpus))

bench-highlight: $(STAMP) ## alert search time against article length (why stored text is capped)
	$(BIN)/python -m benchmarks.bench_highlight

bench-dags: $(STAMP) ## parse time of each DAG file (target < 2 s)
	$(BIN)/python -m benchmarks.bench_dag_parse

bench-dag-run: $(STAMP) ## the daily Airflow run's work, per-feed model loading vs one enrich task (39 feeds)
	$(BIN)/python -m benchmarks.bench_dag_run

airflow: $(STAMP) ## local Airflow without Docker (LocalExecutor; SQLite, or PostgreSQL via AIRFLOW_DB_URL)
	$(BIN)/python infra/airflow_local.py up

airflow-down: ## stop what `make airflow` started
	$(BIN)/python infra/airflow_local.py down

airflow-check: $(STAMP) ## on demand: real scheduler, trigger newsroom_ingest on the sample site, wait, stop all
	$(BIN)/python infra/airflow_local.py check

bench-cli: $(STAMP) ## start-up time of the light commands (target < 1 s), and the heavy modules they import
	$(BIN)/python -m benchmarks.bench_cli

bench-search: $(STAMP) ## search and coverage latency at 2,500 and 10,000 stored articles (embedded store)
	$(BIN)/python -m benchmarks.bench_search

store-up: $(STAMP)
	$(BIN)/newsroom store up

store-down: $(STAMP)
	$(BIN)/newsroom store down

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
