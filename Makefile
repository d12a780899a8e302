# make test: create .venv if missing, install everything, run the test suite but its slow tests.
# make test-slow: the slow tests (a minute or more each: training runs, servers, Ray, browsers); CI runs both.
# make demo: same install, then start the web demo (HOST/PORT/PROFILE configurable).
# make bench: the latency, load and text reading tables of benchmarks/RESULTS.md. make toy: the CPU training reproduction.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 7860
PROFILE ?= auto
STAMP := $(VENV)/.installed

export HF_HUB_DISABLE_TELEMETRY := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: install test test-slow demo bench toy clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-offline.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-offline.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@# WordNet 3.0 (questions are read with it): Debian's wordnet-base where apt can install it, else nltk's download.
	@test -f /usr/share/wordnet/data.noun || ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ] || \
		(apt-get update -q && apt-get install -y -q --no-install-recommends wordnet-base) || true
	$(PY) -c "from lyrics_model.language.wordnet import locate_wordnet; print('WordNet:', locate_wordnet())"
	touch $(STAMP)

test: $(STAMP)
	HF_HUB_OFFLINE=1 YOLO_OFFLINE=1 $(PY) -m pytest -m "not slow"

test-slow: $(STAMP)
	HF_HUB_OFFLINE=1 YOLO_OFFLINE=1 $(PY) -m pytest -m slow

demo: $(STAMP)
	$(PY) app.py --host $(HOST) --port $(PORT) --profile $(PROFILE)

bench: $(STAMP)
	HF_HUB_OFFLINE=1 $(PY) benchmarks/bench_refiner.py
	HF_HUB_OFFLINE=1 $(PY) benchmarks/bench_chat.py
	HF_HUB_OFFLINE=1 $(PY) benchmarks/bench_load.py
	HF_HUB_OFFLINE=1 $(PY) benchmarks/bench_text_reader.py

toy: $(STAMP)
	HF_HUB_OFFLINE=1 $(PY) -m lyrics_model train-toy --out runs/toy

clean:
	rm -rf $(VENV)
