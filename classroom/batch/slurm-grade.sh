#!/usr/bin/env bash
# Slurm으로 큰 반을 채점합니다: 배열 작업 하나에 조각 N개, 모두 성공하면 합치는 작업 하나.
#
#   SUBMISSIONS=/scratch/제출 GRADES=/scratch/grades bash classroom/batch/slurm-grade.sh 8
#
# 채점 시드는 여기서 한 번 뽑아(또는 SEED로 주어) 모든 조각에 같게 넘깁니다. 노드마다 bubblewrap이 있어야 하고
# (없으면 SANDBOX=required라 조각이 종료 코드 4로 실패합니다), 강좌 저장소와 .venv가 모든 노드에서 같은 경로로
# 보여야 합니다 (공유 파일 시스템). 조각의 기록은 GRADES/logs/에 있습니다.
set -euo pipefail
N="${1:-8}"
HERE="$(cd "$(dirname "$0")" && pwd)"
: "${SUBMISSIONS:?제출 폴더(SUBMISSIONS)를 주세요}"
: "${GRADES:?결과 폴더(GRADES)를 주세요}"
export SUBMISSIONS GRADES
export SEED="${SEED:-$(python3 -c 'import secrets; print(secrets.randbelow(2**31 - 1))')}"
mkdir -p "$GRADES/logs"
job=$(sbatch --parsable --job-name=grade --array="1-$N" --cpus-per-task="${CPUS:-4}" --time="${TIME:-02:00:00}" \
    --output="$GRADES/logs/part-%a.out" --export=ALL \
    --wrap="bash '$HERE/grade-shard.sh' \$SLURM_ARRAY_TASK_ID $N")
sbatch --parsable --job-name=grade-merge --dependency="afterok:$job" --output="$GRADES/logs/merge.out" \
    --export=ALL --wrap="bash '$HERE/merge-shards.sh'"
echo "채점 배열 작업 $job: 조각 $N개, 채점 시드 $SEED. 모두 끝나면 $GRADES/grades.csv"
