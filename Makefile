# Two entry points for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
MERGE_SIZES ?= 10000,100000,1000000
# `make demo DATA=folder-or-file.jsonl` ingests that instead of examples/, into a database named after it
DATA ?= examples
DEMO_DB ?= $(if $(filter examples,$(DATA)),demo.db,$(notdir $(patsubst %/,%,$(basename $(basename $(DATA))))).db)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test fuzz lint bench clean

$(BIN)/rasad: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The explorer's front-end libraries, from the npm registry, verified against assets.lock.json
VENDOR_STAMP := src/rasad/web/static/vendor/.complete
$(VENDOR_STAMP): src/rasad/web/assets.lock.json $(BIN)/rasad
	$(BIN)/python -m rasad.web.fetch_assets
	touch $@

install: $(BIN)/rasad $(VENDOR_STAMP)

# with ../shared beside the repository: its gazetteer (districts, sub-districts, villages) and its boundaries
# (governorates, and its approximate districts as admin2)
DEMO_GAZETTEER := $(if $(wildcard $(SHARED)/gazetteer/places.csv),--gazetteer $(SHARED)/gazetteer/places.csv)

demo: install
	$(BIN)/rasad ingest $(DATA) --db $(DEMO_DB) --no-progress $(DEMO_GAZETTEER)
	@if [ -f $(SHARED)/gazetteer/admin1.geojson ]; then $(BIN)/rasad boundaries import $(SHARED)/gazetteer/admin1.geojson --db $(DEMO_DB); fi
	@if [ -f $(SHARED)/gazetteer/admin2_approx.geojson ]; then $(BIN)/rasad boundaries import $(SHARED)/gazetteer/admin2_approx.geojson --level admin2 --db $(DEMO_DB); fi
	@echo "rasad explorer: http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	$(BIN)/rasad serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench

test: install lint
	$(BIN)/pytest -q

# tests/test_fuzz.py at length (hypothesis' `fuzz` profile): 25,000 inputs of each of four kinds through
# extract_text (100,000), 5,000 broken files through the readers and 5,000 query strings through the API, every
# input within 2 s; `make test` runs its `ci` profile (500 a kind, untimed)
fuzz: install
	RASAD_FUZZ_PROFILE=fuzz $(BIN)/pytest -q tests/test_fuzz.py --hypothesis-show-statistics

bench: install
	$(BIN)/python bench/bench_extract.py --corpus $(SHARED)/corpus/ant/articles.jsonl.gz --gazetteer $(SHARED)/gazetteer/places.csv
	$(BIN)/rasad extract $(SHARED)/corpus/ant/articles.jsonl.gz --no-progress -o bench/results/ant.jsonl
	$(BIN)/python bench/offtopic.py bench/results/ant.jsonl | tee bench/results/offtopic.txt
	$(BIN)/python bench/eval_merge.py | tee bench/results/merge_eval.txt
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_merge.py --sizes $(MERGE_SIZES) --out bench/results/merge-run.md
	$(BIN)/python bench/bench_merge.py --sizes $(MERGE_SIZES) --bulk --out bench/results/merge-bulk-run.md
	$(BIN)/python bench/bench_api.py
	$(BIN)/python bench/bench_linear.py
	$(BIN)/python bench/bench_dask.py --corpus $(SHARED)/corpus/ant/articles.jsonl.gz

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache .hypothesis src/rasad/web/static/vendor
