# Two commands on a fresh machine with only python3:
#   make lab    creates .venv, installs the pinned stack and this package, opens JupyterLab
#   make test   the same venv plus the test tools, then the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# JupyterLab refuses to start as root unless told; CI containers and some VMs are root.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test test-fast screenshots bench lint clean lab-reference lab-lr lab-transfer site class answer-key worksheets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# jupyter-config/ is copied into the venv at install time (Voila's config and template, the
# JupyterLab settings), so a change there needs a reinstall too.
$(VENV)/.runtime-installed: $(BIN)/python requirements.txt pyproject.toml $(shell find jupyter-config -type f)
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.runtime-installed requirements-test.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

lab: $(VENV)/.runtime-installed
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb $(LAB_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check widgets tests bench harness notebooks

test: lint
	$(BIN)/python -m pytest

# The edit-test loop: everything but the browser and Binder tests (CI runs `make test`).
test-fast: lint
	$(BIN)/python -m pytest -m "not browser and not binder"

# Regenerate the README's screenshots (docs/screenshots/) from the browser tests.
screenshots: $(VENV)/.test-installed
	SLL_SCREENSHOTS=1 $(BIN)/python -m pytest -m browser

bench: $(VENV)/.test-installed
	$(BIN)/python -m bench
	$(BIN)/python -m bench.classroom --pages 30
	$(BIN)/python -m bench.lab --seed 0
	$(BIN)/python -m bench.lab --seed 1
	$(BIN)/python -m bench.transfer --seed 0
	$(BIN)/python -m bench.transfer --seed 1
	$(BIN)/python -m bench.portability
	$(BIN)/python -m bench.class_answers

# Notebook 07's shipped reference sweep (widgets/scaling_laws_lab/data/lab_reference.csv),
# made by the lab's own trainer from fixed seeds; a test regenerates a subset and compares.
lab-reference: $(VENV)/.runtime-installed
	$(BIN)/python -m scaling_laws_lab.lab.sweep

# The learning-rate table behind scaling_laws_lab.lab.trainer.default_lr.
lab-lr: $(VENV)/.runtime-installed
	$(BIN)/python -c "from scaling_laws_lab import lab; [print(k, [round(x, 4) for x in v]) for k, v in lab.tune_lr().items()]"

# The static executed site (build/site/): every notebook run, figures embedded, JavaScript from
# packages (site/package.json via npm, bqplot's from the venv). Publish the folder anywhere.
site: $(VENV)/.test-installed
	cd site && npm ci --no-audit --no-fund
	$(BIN)/python -m harness.site --out build/site

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# Notebook 08's shipped pre-trained weights and from-scratch curves
# (widgets/scaling_laws_lab/data/transfer_*), made by the lab's trainer from fixed seeds.
lab-transfer: $(VENV)/.runtime-installed
	$(BIN)/python -m scaling_laws_lab.lab.transfer_study

# A class session: the pre-heated Voila server with a class store, two links printed (students',
# teacher's). make class NAME=tuesday [APP=03_finetuning_compute.ipynb] [POOL=36]: students open
# the 90-minute session (class_session_1.ipynb) in class mode unless APP names another notebook;
# POOL kernels are pre-heated (about 20% above the class size; docs/classroom.md).
class: $(VENV)/.runtime-installed
	$(BIN)/python -m scaling_laws_lab.classroom start --name $(or $(NAME),class) $(if $(APP),--app $(APP)) $(if $(POOL),--pool $(POOL)) --ip $(or $(IP),0.0.0.0)

# The teachers' answer key, from the question bank (a test checks the committed file is current).
answer-key: $(VENV)/.runtime-installed
	$(BIN)/python -m scaling_laws_lab.teaching.answer_key docs/answer-key.md

# Printable worksheets and their answer keys (build/worksheets/*.html: A4, boxes to write in);
# the keys' Markdown (docs/worksheets/*-key.md) is regenerated from the package first.
worksheets: $(VENV)/.runtime-installed
	$(BIN)/python -m harness.worksheets --keys --out build/worksheets
