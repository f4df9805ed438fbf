# The few verbs people need. Every target creates the virtual environment it uses.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
LANGS := ru en uk

.PHONY: demo demo-en demo-staff run test lint typecheck content-check texts-update texts-compile \
	flowchart bench backup health clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

## demo: chat with the bot in this terminal, through the local Telegram emulator (no token)
demo: $(STAMP)
	$(BIN)/python -m emulator.terminal --lang ru

demo-en: $(STAMP)
	$(BIN)/python -m emulator.terminal --lang en

## demo-staff: the same, as a staff member (staff commands enabled)
demo-staff: $(STAMP)
	$(BIN)/python -m emulator.terminal --lang ru --staff

## run: the real bot (needs TELEGRAM_BOT_TOKEN)
run: $(STAMP)
	$(BIN)/python bot.py

## test: lint, types, content check, catalogs, and the whole test suite
test: $(STAMP) lint typecheck content-check
	$(BIN)/python -m pytest -n 2 --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

content-check: $(STAMP)
	$(BIN)/python tools/content_check.py content
	$(BIN)/python tools/flowchart.py --check

## texts-update: extract interface strings and merge them into every catalog
texts-update: $(STAMP)
	$(BIN)/pybabel extract -F locales/babel.cfg -k _ -k n_:1,2 -k N_ --no-location -w 100 \
		--sort-output --project=asylum-guide-bot -o locales/messages.pot .
	for lang in $(LANGS); do \
		$(BIN)/pybabel update -w 100 -i locales/messages.pot -d locales -l $$lang --no-fuzzy-matching \
			--ignore-obsolete; \
	done

## texts-compile: compile the catalogs to .mo (committed, so the bot runs without a build step)
texts-compile: $(STAMP)
	$(BIN)/pybabel compile -d locales --statistics

## flowchart: redraw content/flowchart/process.<lang>.png after editing process.yaml
flowchart: $(STAMP)
	$(BIN)/python tools/flowchart.py

## bench: every benchmark in bench/ (about 35 minutes), then a summary; figures in bench/README.md
bench: $(STAMP)
	$(BIN)/python bench/run.py

## backup: a consistent copy of the live database into data/backups/ (DEST=folder to choose)
DEST ?= data/backups
backup: $(STAMP)
	mkdir -p -m 700 $(DEST)
	$(BIN)/python tools/backup.py $(DEST)

## health: is the bot polling, the database writable, the sender keeping up? (exit 1 if not)
health: $(STAMP)
	$(BIN)/python tools/health.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
