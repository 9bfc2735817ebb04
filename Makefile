# RedBook: `make run` serves the app, `make test` runs the suite.
PY := .venv/bin/python
VENV_STAMP := .venv/.installed

.PHONY: run test lint bench load test-faults test-faults-short e2e-deps clean cluster test-cluster

# The venv gets the dev lock (production's requirements.txt plus the test and lint tools).
$(VENV_STAMP): requirements.txt requirements-dev.txt
	python3 -m venv .venv
	.venv/bin/pip install --quiet --upgrade pip
	.venv/bin/pip install --quiet -r requirements-dev.txt
	touch $(VENV_STAMP)

run: $(VENV_STAMP)
	bash scripts/run.sh

test: $(VENV_STAMP)
	bash scripts/test.sh

lint: $(VENV_STAMP)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	DEBUG=1 .venv/bin/mypy

bench: $(VENV_STAMP)
	bash scripts/bench.sh

# Users browsing and buying against gunicorn for LOAD_DURATION s (default 600), then checks.
load: $(VENV_STAMP)
	bash scripts/load.sh

# Kills workers, stops Redis, restarts Postgres (its own, on other ports), then checks.
test-faults: $(VENV_STAMP)
	bash scripts/faults.sh

# The same faults in fewer rounds (about 3 minutes): what CI can afford.
test-faults-short: $(VENV_STAMP)
	FAULTS_SHORT=1 bash scripts/faults.sh

# Two web nodes, two workers and beat behind nginx, Postgres primary + replica, Redis, moto
# (scripts/cluster.sh): prints the URLs, Ctrl-C stops everything.
cluster: $(VENV_STAMP)
	bash scripts/cluster.sh

# The cluster's checks (marker `cluster`, tests/cluster): 3-5 minutes, run by CI.
test-cluster: $(VENV_STAMP)
	DEBUG=1 .venv/bin/python -m pytest tests/cluster -m cluster -v --timeout 600

clean:
	rm -rf var .venv
