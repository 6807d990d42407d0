#!/usr/bin/env bash
# 모든 조각이 끝난 뒤 한 번: GRADES/part-*.csv(와 피드백 폴더)를 GRADES/grades.csv(와 grades_feedback/)로 합칩니다.
# 빠진 조각이 있거나 같은 제출이 두 조각에 있으면 아무것도 쓰지 않고 실패합니다. 같은 답을 낸 학생 찾기는
# 여기서 모든 조각의 줄로 다시 합니다.
set -euo pipefail
COURSE="${COURSE:-$(cd "$(dirname "$0")/../.." && pwd)}"
PYTHON="${PYTHON:-$COURSE/.venv/bin/python}"
: "${GRADES:?결과 폴더(GRADES)를 주세요}"
cd "$COURSE"
exec "$PYTHON" -m tools.grade merge "$GRADES"/part-*.csv --out "$GRADES/grades.csv"
