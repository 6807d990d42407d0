#!/usr/bin/env bash
# 컨테이너의 시작 명령: SUBMISSIONS(기본 /submissions, 읽기 전용으로 붙인 제출 폴더)를 채점해 GRADES(기본 /grades)에
# grades.csv와 grades_feedback/를 씁니다. GRADES/roster.csv가 있으면 명단, /private(또는 HIDDEN)가 있으면 비공개
# 점검으로 씁니다. 샌드박스를 쓸 수 없으면 채점하지 않습니다(SANDBOX=required, 종료 코드 4). 뒤에 붙인 인자는
# 그대로 `python -m tools.grade`에 넘어갑니다 (예: --timeout 300 --jobs 2).
set -euo pipefail
COURSE="${COURSE:-$(cd "$(dirname "$0")/../.." && pwd)}"
PYTHON="${PYTHON:-python3}"
SUBMISSIONS="${SUBMISSIONS:-/submissions}"
GRADES="${GRADES:-/grades}"
HIDDEN="${HIDDEN:-/private}"
args=("$SUBMISSIONS" --out "$GRADES/grades.csv" --sandbox "${SANDBOX:-required}")
if [ -f "$GRADES/roster.csv" ]; then args+=(--roster "$GRADES/roster.csv"); fi
if [ -d "$HIDDEN" ]; then args+=(--hidden "$HIDDEN"); fi
cd "$COURSE"
exec "$PYTHON" -m tools.grade "${args[@]}" "$@"
