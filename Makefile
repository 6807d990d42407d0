# 두 명령: `make lab` (강좌 열기), `make test` (빠른 테스트, 기여자용). 둘 다 .venv를 스스로 준비합니다.
# 느리고 철저한 단계: make test-portability, make test-grader-security, make test-site. 모두: make test-all (.ci/run).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: lab test test-all test-portability test-grader-security setup setup-dev notebooks exercises colab lint bench clean site site-setup test-site clean-site

# 학습자 환경: requirements.txt(강좌에 필요한 것만)와 이 저장소(편집 가능 설치).
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $(STAMP)

# 관리자 환경: 학습자 환경 + requirements-dev.txt(테스트·린트 도구).
$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

setup: $(STAMP)
setup-dev: $(DEV_STAMP)

# root 사용자(컨테이너 등)에서는 Jupyter가 --allow-root 없이 시작하지 않습니다.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

## 강좌 열기: JupyterLab을 저장소 루트에서 엽니다.
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. $(ALLOW_ROOT) $(LAB_ARGS)

## 빠른 테스트 (기여자가 돌리는 것, 2코어에서 3분 안이 목표): 단위·정책 테스트, 강의 실행(nbmake),
## 해답 실행과 오답 모음, 빈 연습, 채점 몇 가지, JupyterLab 브라우저 테스트 (pytest-xdist 병렬, 긴 것 먼저).
test: $(DEV_STAMP)
	$(BIN)/python -m pytest

## 모든 단계를 차례로: .ci/run이 부르는 것과 같습니다.
test-all: test test-portability test-grader-security test-site

## 다른 기계 흉내: 강의·해답을 다른 CPU 명령 수준과 스레드 수에서 다시 실행해 오류가 없는지 보고,
## Colab을 흉내 낸 새 가상환경에서 설정 셀이 강좌 모듈을 설치하는지 봅니다 (느림, .ci/run).
test-portability: $(DEV_STAMP)
	COURSE_PORTABILITY=1 $(BIN)/python -m pytest tests/test_portability.py tests/test_colab.py -n 2

## 채점 보안: 알려진 공격 전부를 샌드박스 기본값으로 채점해 봅니다 (느림, .ci/run).
test-grader-security: $(DEV_STAMP)
	COURSE_GRADER_SECURITY=1 $(BIN)/python -m pytest tests/test_grader_security.py

## 관리자용: Colab 셀을 맞추고, 강의·해답 노트북을 실행해 저장하고, 연습 노트북을 다시 만듭니다.
notebooks: $(DEV_STAMP)
	$(BIN)/python -m tools.colab
	$(BIN)/python -m tools.execute notebooks solutions
	$(BIN)/python -m tools.build_exercises

exercises: $(DEV_STAMP)
	$(BIN)/python -m tools.build_exercises

colab: $(DEV_STAMP)
	$(BIN)/python -m tools.colab

## 벤치마크: 노트북 시간, 데이터셋별 정확도 vs RBF-SVM, 참고 강좌 방법과 비교 -> bench/results.md
bench: $(DEV_STAMP)
	$(BIN)/python -m tools.bench

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

## 강좌 웹사이트: 커밋된 노트북(다시 실행하지 않음)과 README로 _site/를 만듭니다 (Sphinx + MyST-NB + Pagefind).
## 사이트 도구는 학습자 환경(.venv)과 따로 .venv-site에 설치합니다 (requirements-site.txt, torch 없음).
SITE_VENV  := .venv-site
SITE_STAMP := $(SITE_VENV)/.installed
SITE_OUT   ?= _site

$(SITE_STAMP): requirements-site.txt
	test -x $(SITE_VENV)/bin/python || $(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-site.txt
	touch $(SITE_STAMP)

site-setup: $(SITE_STAMP)

site: $(SITE_STAMP)
	$(SITE_VENV)/bin/python -m tools.site --out $(SITE_OUT)

## 사이트 테스트: 사이트를 한 번 만들고 페이지·그림을 검사한 뒤 Chromium으로 첫 페이지, 강의, 한국어 검색을 봅니다.
test-site: $(DEV_STAMP) $(SITE_STAMP)
	COURSE_SITE_TESTS=1 $(BIN)/python -m pytest tests/test_site.py -n 0

clean-site:
	rm -rf $(SITE_VENV) $(SITE_OUT) build/site
