"""단계 잇기: 폴더의 제출들을 읽고(1) 조립하고(2) 격리해서 실행하고(3) 점수와 감사(4)를 채웁니다."""

from __future__ import annotations

import concurrent.futures
import os
import sys
import time
from pathlib import Path

from tools.grading import audit, sandbox
from tools.grading.assemble import Exercise, assemble, load_exercise
from tools.grading.model import Options, Result
from tools.grading.score import finish
from tools.grading.submission import identify, load_exercises, read_submission, student_name


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _load(name: str, path: Path, options: Options, cache: dict) -> tuple[Exercise, audit.Profile]:
    if name not in cache:
        try:
            exercise = load_exercise(name, path, options.solutions)
            skip = set(exercise.checks) | set(exercise.answers)
            given = [c.source for i, c in enumerate(exercise.nb.cells) if c.cell_type == "code" and i not in skip]
            checks = [text for i in exercise.checks for _, text in exercise.check_parts(i)]
            cache[name] = (exercise, audit.Profile(given, checks, exercise.solution_bound))
        except Exception as err:  # 원본 연습이 깨졌으면 그 연습의 제출만 grader_error
            cache[name] = err
    if isinstance(cache[name], Exception):
        raise cache[name]
    return cache[name]


def prepare(path: Path, root: Path, known: dict[str, Path], cache: dict, options: Options | None = None):
    """제출 하나를 읽어 (Result, 실행할 작업 또는 None)을 돌려줍니다. 작업: {cells, static, nonce}."""
    options = options or Options()
    rel = path.relative_to(root)
    result = Result(path=rel.as_posix(), student=student_name(rel))
    try:
        nb = read_submission(path.read_bytes())
    except (ValueError, OSError) as err:
        result.status, result.detail = "invalid_notebook", str(err)
        return result, None
    name, why = identify(nb, path.name, sorted(known))
    if name is None:
        result.status, result.detail = "unknown_set", why
        return result, None
    result.exercise_set = name
    try:
        exercise, profile = _load(name, known[name], options, cache)
        result.total = len(exercise.checks)
        cells, notes = assemble(exercise, nb)
        static = audit.static_findings([c["source"] for c in cells if c.get("student")], profile)
    except Exception as err:  # 원본 연습이 깨졌거나 도구의 버그: 이 제출만 실패시킵니다
        result.status, result.detail = "grader_error", f"{type(err).__name__}: {err}"
        return result, None
    nonce = audit.new_nonce()
    cells.insert(0, {"source": audit.setup_source(nonce, profile), "role": "setup", "title": "채점 도구: 감사 준비"})
    cells.append({"source": audit.audit_source(nonce), "role": "audit", "title": "채점 도구: 커널 감사"})
    result.notes = [f"연습 이름은 {why}에서 알아냈습니다."] if why != "메타데이터" else []
    result.notes += notes
    if exercise.hidden_count:
        result.notes.append(f"채점 때만 실행하는 숨은 점검 {exercise.hidden_count}개를 함께 실행했습니다.")
    return result, {"cells": cells, "static": static, "nonce": nonce}


def grade_one(result: Result, job: dict, options: Options, isolation: str) -> Result:
    start = time.perf_counter()
    result.isolation = isolation
    try:
        run = sandbox.run_job(
            job["cells"],
            options.timeout,
            options.max_output_bytes,
            options.memory_bytes,
            isolation=isolation,
            hide=options.hide,
            nonce=job["nonce"],
        )
        finish(result, job["cells"], run, job["static"])
    except Exception as err:  # 한 제출의 문제로 전체가 멈추지 않게
        result.status, result.detail = "grader_error", f"{type(err).__name__}: {err}"
    result.seconds = round(time.perf_counter() - start, 2)
    return result


def resolve_isolation(options: Options) -> tuple[str, str]:
    """(격리 방식, 경고). --sandbox required인데 쓸 수 없으면 sandbox.SandboxError."""
    return sandbox.choose(options.sandbox)


def grade(
    root: Path, options: Options | None = None, progress=None, paths: list[Path] | None = None, isolation: str = ""
) -> list[Result]:
    """폴더의 제출(기본: 모두, paths면 그것만)을 채점해 Result 목록(파일 이름순)을 돌려줍니다.

    원본 파일은 읽기만 합니다. isolation을 주지 않으면 options.sandbox에 따라 정하고 경고는 stderr에 씁니다.
    """
    from tools.grading.submission import find_submissions

    options = options or Options()
    if not isolation:
        isolation, warning = resolve_isolation(options)
        if warning:
            print(warning, file=sys.stderr)
    known = load_exercises(options.exercises)
    cache: dict = {}
    prepared = [prepare(p, root, known, cache, options) for p in (find_submissions(root) if paths is None else paths)]
    done = [r for r, job in prepared if job is None]
    todo = [(r, job) for r, job in prepared if job is not None]
    for r in done:
        if progress:
            progress(r)
    if todo:
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, options.jobs or _cores()))
        try:
            futures = [pool.submit(grade_one, r, job, options, isolation) for r, job in todo]
            for future in concurrent.futures.as_completed(futures):
                r = future.result()
                done.append(r)
                if progress:
                    progress(r)
        except KeyboardInterrupt:  # 남은 일을 취소하고 돌고 있는 작업 프로세스를 끝냅니다
            pool.shutdown(wait=False, cancel_futures=True)
            sandbox.kill_all()
            raise
        pool.shutdown()
    return sorted(done, key=lambda r: r.path)
