#!/usr/bin/env bash
# 조각 하나를 채점합니다:  grade-shard.sh K N   (1 <= K <= N)
# Slurm 배열 작업(slurm-grade.sh)과 GitHub Actions 행렬(github-actions-shards.yml)이 조각마다 부릅니다.
# 환경 변수:
#   SUBMISSIONS  제출 폴더 (학생마다 하위 폴더)                         [필수]
#   GRADES       결과 폴더: part-K.csv, part-K_feedback/가 생깁니다     [필수]
#   SEED         채점 시드: 모든 조각에 같은 값 (합친 결과가 한 번에 채점한 것과 같게)  [필수]
#   ROSTER       명단 CSV (학번,이름; 미제출 줄은 조각 1에만)           [선택]
#   HIDDEN       교사의 비공개 점검 폴더                                 [선택]
#   SANDBOX      required(기본) | auto | none
#   TIMEOUT, JOBS  노트북 하나의 시간 제한(초, 기본 120), 동시에 채점할 제출 수(기본: 코어 수)
#   PYTHON, COURSE  파이썬(기본: 저장소의 .venv/bin/python), 강좌 저장소(기본: 이 스크립트의 저장소)
set -euo pipefail
if [ "$#" -ne 2 ]; then
    echo "사용법: grade-shard.sh K N" >&2
    exit 2
fi
K="$1"
N="$2"
COURSE="${COURSE:-$(cd "$(dirname "$0")/../.." && pwd)}"
PYTHON="${PYTHON:-$COURSE/.venv/bin/python}"
: "${SUBMISSIONS:?제출 폴더(SUBMISSIONS)를 주세요}"
: "${GRADES:?결과 폴더(GRADES)를 주세요}"
: "${SEED:?모든 조각에 같은 채점 시드(SEED)를 주세요}"
args=(-m tools.grade "$SUBMISSIONS" --shard "$K/$N" --seed "$SEED" --out "$GRADES/part-$K.csv")
args+=(--sandbox "${SANDBOX:-required}" --timeout "${TIMEOUT:-120}")
if [ -n "${ROSTER:-}" ]; then args+=(--roster "$ROSTER"); fi
if [ -n "${HIDDEN:-}" ]; then args+=(--hidden "$HIDDEN"); fi
if [ -n "${JOBS:-}" ]; then args+=(--jobs "$JOBS"); fi
mkdir -p "$GRADES"
cd "$COURSE"
exec "$PYTHON" "${args[@]}"
