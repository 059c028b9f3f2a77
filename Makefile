# The command surface. `make run` and `make test` work on a fresh machine with Python 3.11.
SHELL := /bin/bash
PORT ?= 8000
export PORT
UV := $(shell ./tools/ensure-uv)
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := 3.11
CITYHALL := .venv/bin/cityhall
PYTEST_WORKERS ?= 2

.PHONY: install run demo serve test test-postgres lint fmt bench clean

install: .venv/.synced

.venv/.synced: pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

# The demo's devices send readings while it runs (docs/devices.md, *The demo*).
run: install
	$(CITYHALL) prepare --demo
	CITYHALL_DEVICE_SIMULATOR=$${CITYHALL_DEVICE_SIMULATOR:-1} $(CITYHALL) serve

demo: install
	$(CITYHALL) migrate --no-input -v0
	$(CITYHALL) demo

# The browser tests drive Debian's Chromium, the MQTT tests Debian's mosquitto, the PKCS#11 tests SoftHSM v2
# (softhsm2), each installed on first use.
# SQLite tests use a database file, not memory: the browser tests' live server then gives each of
# its threads (pages, live streams) a connection of its own instead of sharing one across threads.
test: install
	./tools/ensure-gettext
	CITYHALL_TEST_SQLITE=$${CITYHALL_TEST_SQLITE:-var/test.sqlite3} CITYHALL_CHROMIUM=$$(./tools/ensure-chromium) CITYHALL_MOSQUITTO=$$(./tools/ensure-mosquitto) CITYHALL_SOFTHSM=$$(./tools/ensure-softhsm) .venv/bin/pytest -n $(PYTEST_WORKERS)

test-postgres: install
	./tools/ensure-gettext
	CITYHALL_CHROMIUM=$$(./tools/ensure-chromium) CITYHALL_MOSQUITTO=$$(./tools/ensure-mosquitto) CITYHALL_SOFTHSM=$$(./tools/ensure-softhsm) ./tools/with-postgres .venv/bin/pytest -n $(PYTEST_WORKERS)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/lint-imports
	.venv/bin/python tools/check_model_access.py
	$(CITYHALL) makemigrations --check --dry-run
	UV=$(UV) ./tools/audit-dependencies

fmt: install
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

bench: install
	.venv/bin/python -m bench

clean:
	rm -rf .venv .tools var
