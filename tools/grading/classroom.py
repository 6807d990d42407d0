"""GitHub Classroom 자동 채점: 학생 저장소의 노트북을 채점해 점수(points)와 한국어 피드백을 돌려줍니다.

    python -m tools.grade classroom ../submission --sandbox required --out ../grades/grades.csv

classroom/.github/workflows/classroom.yml(과제 템플릿에 복사하는 파일)이 부르는 명령입니다. 하는 일:

1. 폴더(또는 노트북 파일 하나)를 보통의 채점과 똑같이 채점합니다 (샌드박스, 숨은 점검, 채점 시드).
2. GitHub Classroom의 채점 보고 액션(classroom-resources/autograding-grading-reporter)이 읽는 결과를
   `$GITHUB_OUTPUT`에 `result=<base64 JSON>`으로 씁니다: 점검 하나가 테스트 하나, 받은 점수는 점검의 배점.
3. 학생이 읽을 한국어 피드백을 `$GITHUB_STEP_SUMMARY`(작업 요약)와 화면에 씁니다.

종료 코드: 0 채점함(점수가 0이어도), 1 노트북 없음, 2 잘못된 인자, 4 --sandbox required인데 bubblewrap을 쓸 수 없음.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from pathlib import Path

from tools import nbutil
from tools.grading.model import Options, Result, points_text
from tools.grading.pipeline import grade, new_seed, resolve_isolation
from tools.grading.private import PrivateTestError
from tools.grading.report import feedback_text, write_outputs
from tools.grading.sandbox import SandboxError, gpu_devices
from tools.grading.submission import find_submissions, load_exercises


def result_json(results: list[Result]) -> dict:
    """Classroom 보고 액션의 형식: {version, status, max_score, tests: [{name, status, score, message, ...}]}."""
    tests, max_score = [], 0.0
    many = len(results) > 1
    for r in results:
        prefix = f"{r.path}: " if many else ""
        if not r.checks:
            tests.append(
                {
                    "name": f"{prefix}채점",
                    "status": "error",
                    "score": 0,
                    "message": f"{r.status}: {r.detail}"[:1000],
                    "line_no": 0,
                    "execution_time": f"{r.seconds:.1f}s",
                }
            )
            continue
        for check in r.checks:
            max_score += check["max_points"]
            tests.append(
                {
                    "name": f"{prefix}{check['title']}",
                    "status": "pass" if check["passed"] else "fail",
                    "score": check["points"],
                    "message": check["message"][:1000],
                    "line_no": 0,
                    "execution_time": f"{r.seconds:.1f}s",
                }
            )
    statuses = {t["status"] for t in tests}
    status = "error" if "error" in statuses or not tests else ("fail" if "fail" in statuses else "pass")
    return {"version": 1, "status": status, "max_score": max_score, "tests": tests}


def summary_markdown(results: list[Result]) -> str:
    parts = ["# 자동 채점 결과", ""]
    for r in results:
        score = "채점하지 않음" if r.score is None else f"{points_text(r.points)}/{points_text(r.max_points or 0)}점"
        parts += [f"## {r.path}: {score}", "", "| 점검 | 점수 | 결과 |", "|---|---|---|"]
        for check in r.checks:
            message = check["message"].replace("|", "\\|").replace("\n", " ")
            got = f"{points_text(check['points'])}/{points_text(check['max_points'])}"
            parts.append(f"| {'✅' if check['passed'] else '❌'} {check['title']} | {got} | {message} |")
        parts += ["", "<details><summary>피드백 전체</summary>", "", "```text", feedback_text(r).rstrip(), "```", ""]
        parts += ["</details>", ""]
    return "\n".join(parts) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.grade classroom",
        description="GitHub Classroom: 학생 저장소의 노트북을 채점해 점수와 한국어 피드백(작업 요약)을 냅니다.",
    )
    parser.add_argument("path", type=Path, help="학생 저장소 폴더 또는 노트북 파일")
    parser.add_argument("--out", type=Path, default=Path("grades/classroom.csv"), help="점수표 CSV (학생 폴더 밖)")
    parser.add_argument("--timeout", type=float, default=300, help="노트북 하나의 실행 시간 제한(초) (기본: 300)")
    parser.add_argument("--sandbox", choices=["none", "auto", "required"], default="required")
    parser.add_argument("--set", dest="forced_set", help="어느 연습인지 알 수 없을 때 이 연습(번호 NN)으로 채점")
    parser.add_argument("--hidden", type=Path, help="교사의 비공개 점검 폴더")
    parser.add_argument("--seed", type=int, default=None, help="채점 시드 (기본: 새로 뽑음)")
    parser.add_argument("--github-output", type=Path, default=os.environ.get("GITHUB_OUTPUT") or None)
    parser.add_argument("--summary", type=Path, default=os.environ.get("GITHUB_STEP_SUMMARY") or None)
    parser.add_argument("--exercises", type=Path, default=nbutil.ROOT / "exercises")
    parser.add_argument("--solutions", type=Path, default=nbutil.ROOT / "solutions")
    args = parser.parse_args(argv)

    target = args.path.resolve()
    if target.is_file():
        root, paths = target.parent, [target]
    elif target.is_dir():
        root = target
        paths = [p for p in find_submissions(root) if ".github" not in p.relative_to(root).parts]
    else:
        print(f"오류: 없는 경로입니다: {args.path}", file=sys.stderr)
        return 2
    if not paths:
        print(f"오류: 채점할 노트북(.ipynb)이 없습니다: {args.path}", file=sys.stderr)
        return 1
    out = args.out.resolve()
    if out == root or root in out.parents:
        print("오류: --out을 학생 폴더 밖에 두세요.", file=sys.stderr)
        return 2
    known = sorted(load_exercises(args.exercises))
    forced = None
    if args.forced_set:
        forced = next((s for s in known if s == args.forced_set or s[:2] == args.forced_set[:2]), None)
        if forced is None:
            print(f"오류: --set {args.forced_set!r}: 그런 연습이 없습니다", file=sys.stderr)
            return 2
    options = Options(
        exercises=args.exercises.resolve(),
        solutions=args.solutions.resolve(),
        timeout=args.timeout,
        memory_bytes=0 if gpu_devices() else 4096 * 1024 * 1024,
        sandbox=args.sandbox,
        grading_seed=args.seed if args.seed is not None else new_seed(),
        private=args.hidden.resolve() if args.hidden else None,
        forced_set=forced,
    )
    try:
        isolation, warning = resolve_isolation(options)
    except SandboxError as err:
        print(f"오류: {err}", file=sys.stderr)
        return 4
    if warning:
        print(warning, file=sys.stderr)
    try:
        results = grade(root, options, paths=paths, isolation=isolation)
    except PrivateTestError as err:
        print(f"오류: {err}", file=sys.stderr)
        return 2
    write_outputs(results, out, out.parent / f"{out.stem}_feedback")
    payload = result_json(results)
    for r in results:
        print(feedback_text(r))
    got = sum(t["score"] for t in payload["tests"])
    print(f"점수: {points_text(got)}/{points_text(payload['max_score'])} (격리: {isolation})")
    encoded = base64.b64encode(json.dumps(payload, ensure_ascii=False).encode("utf-8")).decode("ascii")
    if args.github_output:
        with open(args.github_output, "a", encoding="utf-8") as f:
            f.write(f"result={encoded}\n")
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as f:
            f.write(summary_markdown(results))
    return 0
