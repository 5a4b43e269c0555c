# Two commands for a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean translations screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kiosk --data-dir ./demo-data run --demo

lint: $(STAMP)
	$(BIN)/ruff check kiosk ui devices sync tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n auto --dist worksteal

# The PNGs in docs/screenshots/ (a test run writes them to build/screenshots/ instead).
screenshots: $(STAMP)
	SCREENSHOTS_DIR=docs/screenshots QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -q tests/ui/test_screenshots.py tests/ui/test_engine_screens.py \
		tests/ui/test_checkout_screen.py tests/ui/test_lost_card_tab.py \
		tests/ui/test_refund_lines.py tests/ui/test_donate.py tests/ui/test_transfer.py

# After changing any text in ui/: refresh the .ts files, translate the new entries (Qt
# Linguist: .venv/bin/pyside6-linguist), then compile the .qm files the app loads.
translations: $(STAMP)
	$(BIN)/pyside6-lupdate $$(find ui kiosk/app -name '*.py') -no-obsolete \
		-ts assets/i18n/counterpoint_zh_TW.ts assets/i18n/counterpoint_zh_CN.ts
	$(BIN)/pyside6-lrelease assets/i18n/counterpoint_zh_TW.ts assets/i18n/counterpoint_zh_CN.ts

clean:
	rm -rf $(VENV) demo-data .pytest_cache .mypy_cache .ruff_cache .hypothesis
