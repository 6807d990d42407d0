# 두 명령: `make lab` (강좌 열기), `make test` (모든 테스트). 둘 다 .venv를 스스로 준비합니다.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test setup notebooks exercises colab lint bench clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $(STAMP)

setup: $(STAMP)

# root 사용자(컨테이너 등)에서는 Jupyter가 --allow-root 없이 시작하지 않습니다.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

## 강좌 열기: JupyterLab을 저장소 루트에서 엽니다.
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. $(ALLOW_ROOT) $(LAB_ARGS)

## 모든 테스트: 단위 테스트, 정책 테스트, nbmake (pytest-xdist 병렬).
test: $(STAMP)
	$(BIN)/python -m pytest

## 관리자용: Colab 셀을 맞추고, 강의·해답 노트북을 실행해 저장하고, 연습 노트북을 다시 만듭니다.
notebooks: $(STAMP)
	$(BIN)/python -m tools.colab
	$(BIN)/python -m tools.execute notebooks solutions
	$(BIN)/python -m tools.build_exercises

exercises: $(STAMP)
	$(BIN)/python -m tools.build_exercises

colab: $(STAMP)
	$(BIN)/python -m tools.colab

## 벤치마크: 노트북 시간, 데이터셋별 정확도 vs RBF-SVM, 참고 강좌 방법과 비교 -> bench/results.md
bench: $(STAMP)
	$(BIN)/python -m tools.bench

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
