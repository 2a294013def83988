# Set-up and entry points. Everything runs inside .venv (created on first use).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Tested versions (on the CI machine these come from the local wheel cache).
TORCH_PINS := torch==2.14.1 torchvision==0.29.1

.PHONY: install demo test clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH_PINS)
	$(BIN)/python -m pip install -q -e '.[dev,dali]' $(TORCH_PINS)
	touch $@

demo: install
	$(BIN)/python -m modelzoo.training.run

test: install
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
