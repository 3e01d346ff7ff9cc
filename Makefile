# newsroom — every command a user needs. `make run` and `make test` do all the set-up themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: install install-transformers run test eval gazetteers bench-extract bench-enrich bench-topics bench-ingest bench-dags store-up store-down clean
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

run: $(STAMP) ## ingest the configured feeds once (embedded store unless NEWSROOM_ES_URL is set)
	$(BIN)/newsroom ingest

test: $(STAMP) $(TF_STAMP) ## run the test suite (starts and stops its own servers on 127.0.0.1)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

eval: $(STAMP) ## enrichment quality on $(SHARED)/gold/enrichment-dev.jsonl, entities on all $(SHARED)/gold items
	$(BIN)/python -m benchmarks.eval_enrich --gold $(SHARED)/gold/enrichment-dev.jsonl
	$(BIN)/python -m benchmarks.eval_entities --gold-dir $(SHARED)/gold

gazetteers: $(STAMP) ## regenerate pipeline/enrich/gazetteers/*.txt from the pinned packages
	$(BIN)/python -m pipeline.enrich.build_gazetteers

bench-extract: $(STAMP) ## extraction speed and F1 vs plain trafilatura on $(SHARED)/corpus
	$(BIN)/python -m benchmarks.bench_extract --corpus $(SHARED)/corpus

bench-enrich: $(STAMP) ## enrichment throughput vs NER-only spaCy, peak memory
	$(BIN)/python -m benchmarks.bench_enrich --corpus $(SHARED)/corpus

bench-topics: $(STAMP) ## topic matcher throughput
	$(BIN)/python -m benchmarks.bench_topics --corpus $(SHARED)/corpus

bench-ingest: $(STAMP) ## end-to-end ingestion rate vs per-stage rates (local fixture site + stand-in)
	$(BIN)/python -m benchmarks.bench_ingest

bench-dags: $(STAMP) ## parse time of each DAG file (target < 2 s)
	$(BIN)/python -m benchmarks.bench_dag_parse

store-up: $(STAMP)
	$(BIN)/newsroom store up

store-down: $(STAMP)
	$(BIN)/newsroom store down

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
