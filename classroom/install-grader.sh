#!/usr/bin/env bash
# 채점 도구를 설치합니다 (GitHub Classroom 작업, GitHub Actions 행렬, 컨테이너가 함께 씁니다).
#   bash classroom/install-grader.sh [강좌 폴더]      # 기본: 이 스크립트가 있는 저장소
# 설치하는 것: bubblewrap(없으면, apt), 강좌의 requirements.txt(CPU용 torch), 채점기가 쓰는 nbclient·nbformat
# (requirements-dev.txt의 고정 버전), 강좌 모듈(편집 가능 설치). 파이썬은 PYTHON(기본 python3)입니다.
set -euo pipefail
COURSE="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
PYTHON="${PYTHON:-python3}"
TORCH_INDEX="${TORCH_INDEX:-https://download.pytorch.org/whl/cpu}"

if ! command -v bwrap >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends bubblewrap
fi
grader_pins=$(grep -E '^(nbclient|nbformat)==' "$COURSE/requirements-dev.txt")
"$PYTHON" -m pip install --quiet --disable-pip-version-check --extra-index-url "$TORCH_INDEX" -r "$COURSE/requirements.txt"
# shellcheck disable=SC2086
"$PYTHON" -m pip install --quiet --disable-pip-version-check $grader_pins
"$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps --editable "$COURSE"
echo "채점 도구 준비 완료: $("$PYTHON" --version), bubblewrap $(bwrap --version 2>/dev/null || echo '?')"
