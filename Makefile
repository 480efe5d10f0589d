.PHONY: test check bench screens

test:
	python -m pytest -q

check:
	ruff check .
	ruff format --check .
	mypy
	lint-imports

bench:
	python -m bench

screens:
	python scripts/make_screenshots.py
