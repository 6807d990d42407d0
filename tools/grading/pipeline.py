"""단계 잇기: 폴더의 제출들을 읽고(1) 조립하고(2) 격리해서 실행하고(3) 점수와 감사(4)를 채웁니다.

제출 하나에서 나는 어떤 예외도(깨진 JSON, 너무 깊은 중첩, 이상한 파일 이름, 도구의 버그) 그 제출의 줄
(`invalid_notebook` 또는 `grader_error`, 한국어 이유)이 되고, 나머지 제출은 그대로 채점됩니다.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import time
from pathlib import Path

from tools.grading import audit, integrity, runner, sandbox, zygote
from tools.grading import private as private_tests
from tools.grading.assemble import Exercise, assemble, load_exercise
from tools.grading.model import Options, Result
from tools.grading.score import finish
from tools.grading.submission import (
    SubmissionError,
    display_path,
    identify,
    load_exercises,
    name_disagrees,
    read_file,
    read_submission,
    student_name,
    unique_displays,
)


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _load(name: str, path: Path, options: Options, cache: dict) -> tuple[Exercise, audit.Profile]:
    if name not in cache:
        try:
            private = cache.get("__private__", {}).get(name)
            exercise = load_exercise(name, path, options.solutions, private)
            skip = set(exercise.checks) | set(exercise.answers)
            given = [c.source for i, c in enumerate(exercise.nb.cells) if c.cell_type == "code" and i not in skip]
            checks = [text for i in exercise.checks for _, text in exercise.check_parts(i)]
            cache[name] = (exercise, audit.Profile(given, checks, exercise.solution_bound))
        except Exception as err:  # 원본 연습이 깨졌으면 그 연습의 제출만 grader_error
            cache[name] = err
    if isinstance(cache[name], Exception):
        raise cache[name]
    return cache[name]


def order_cells(cells: list[dict], given: list[str] | tuple = ()) -> list[dict]:
    """실행 순서: 감사 준비, 학생 코드와 보이는 점검(원래 순서), 숨은 점검 준비(학생 코드 뒤 감사와 채점 시드),
    숨은 점검들(학생 코드가 모두 끝난 뒤), 마지막 감사. given(점검이 쓰는, 주어진 셀이 묶는 이름)을 묶는
    주어진 셀 바로 뒤에는 그 값을 기억하는 채점 도구의 셀이 옵니다."""
    hidden = [c for c in cells if c.get("part") == "hidden"]
    rest = [c for c in cells if c.get("part") != "hidden"]
    out = [{"source": "", "call": ("snapshot", None), "role": "setup", "title": "채점 도구: 감사 준비"}]
    for cell in rest:
        out.append(cell)
        bound = sorted(audit.bound_names(cell["source"]) & set(given)) if cell["role"] == "given" else []
        if bound:
            title = "채점 도구: 주어진 값 기억"
            remember = {"source": "", "call": ("remember", bound), "role": "setup", "title": title}
            out.append(remember)
    out.append({"source": "", "call": ("hidden_phase", None), "role": "phase", "title": "채점 도구: 숨은 점검 준비"})
    out += hidden
    out.append({"source": "", "call": ("audit", "end"), "role": "audit", "title": "채점 도구: 마지막 감사"})
    return out


def prepare(path: Path, root: Path, known: dict[str, Path], cache: dict, options: Options | None = None):
    """제출 하나를 읽어 (Result, 실행할 작업 또는 None)을 돌려줍니다. 예외를 내지 않습니다."""
    options = options or Options()
    try:
        rel = path.relative_to(root)
        shown = cache.get("__displays__", {}).get(rel.as_posix()) or display_path(rel)
        result = Result(path=shown, student=student_name(rel))
    except Exception as err:  # 이름조차 읽을 수 없는 경우
        return Result(path=display_path(path), student="?", detail=f"{type(err).__name__}"), None
    try:
        return _prepare(path, result, known, cache, options)
    except SubmissionError as err:
        result.status, result.detail = "invalid_notebook", str(err)
    except RecursionError:
        result.status, result.detail = "invalid_notebook", "노트북 JSON이 너무 깊게 중첩되어 있습니다"
    except MemoryError:
        result.status, result.detail = "invalid_notebook", "노트북을 읽다가 메모리가 모자랐습니다"
    except Exception as err:  # 도구의 버그: 이 제출만 실패시킵니다
        result.status, result.detail = "grader_error", f"{type(err).__name__}: {str(err)[:300]}"
    return result, None


def _prepare(path: Path, result: Result, known: dict[str, Path], cache: dict, options: Options):
    nb = read_submission(read_file(path))
    name, why = identify(nb, path.name, sorted(known))
    if name is not None and why == "메타데이터":
        disagrees = name_disagrees(path.name, name, sorted(known))
        if disagrees:  # 다른(쉬운) 연습으로 채점받기 (r14): 점수는 메타데이터의 연습으로, 교사 확인
            result.flags.append("mismatch")
            result.mismatch = disagrees
    if name is None and options.forced_set in known:
        name, why = options.forced_set, "--set"
    if name is None:
        result.status, result.detail = "unknown_set", why
        result.hints.append(rename_hint(sorted(known)))
        return result, None
    result.exercise_set = name
    try:
        exercise, profile = _load(name, known[name], options, cache)
        result.total = len(exercise.checks)
        result.max_points = exercise.max_points
        cells, notes = assemble(exercise, nb)
        static = audit.static_findings([c["source"] for c in cells if c.get("student")], profile)
        stubs = {i: exercise.nb.cells[i].source for i in exercise.answers}
        result.answers_hash = integrity.fingerprint(cells, stubs)
        reasons = integrity.solution_reasons(nb, path.name, cells, exercise.solution_answers, stubs, name)
        result.solution_reasons = reasons
        if result.solution_reasons:
            result.flags.append("solution")
    except RecursionError:
        raise
    except Exception as err:  # 원본 연습이 깨졌거나 도구의 버그
        result.status, result.detail = "grader_error", f"{type(err).__name__}: {str(err)[:300]}"
        return result, None
    result.notes = [f"연습 이름은 {why}에서 알아냈습니다."] if why != "메타데이터" else []
    result.notes += notes
    if exercise.hidden_count:
        result.notes.append(
            f"채점 때만 실행하는 숨은 점검 {exercise.hidden_count}개를 학생 코드가 모두 끝난 뒤에 실행했습니다."
        )
    job = {"cells": order_cells(cells, profile.given), "static": static, "config": profile.kernel_config()}
    return result, job


def rename_hint(known: list[str]) -> str:
    """어느 연습인지 모를 때 학생에게: 무엇으로 이름을 바꾸면 되는지."""
    example = f"{known[0]}_exercises.ipynb" if known else "NN_이름_exercises.ipynb"
    names = ", ".join(known)
    return (
        f"어느 연습의 노트북인지 알 수 없어 채점하지 않았습니다. 파일 이름에 연습 이름이나 두 자리 번호를 넣어 "
        f"(예: {example}, 또는 '01_홍길동.ipynb') 다시 내거나, 나눠 받은 연습 노트북에 답을 옮겨 내세요. "
        f"연습: {names}"
    )


def limits_for(options: Options) -> sandbox.Limits:
    return sandbox.Limits(
        memory_bytes=options.memory_bytes,
        cpu_seconds=int(options.timeout + options.startup_timeout + 30),
        processes=options.processes,
        tmp_bytes=options.tmp_bytes,
        shm_bytes=min(options.tmp_bytes, 128 * 1024 * 1024),
    )


async def grade_one(result: Result, job: dict, options: Options, isolation: str, zyg=None) -> Result:
    start = time.perf_counter()
    result.isolation = isolation
    result.grading_seed = options.grading_seed
    try:
        cells = job["cells"]
        for cell in cells:
            if cell["role"] == "phase":
                cell["call"] = ("hidden_phase", options.grading_seed)
        settings = {
            "timeout": options.timeout,
            "max_output_bytes": options.max_output_bytes,
            "isolation": isolation,
            "limits": limits_for(options),
            "config": job["config"],
            "seed": options.grading_seed,
            "startup_timeout": options.startup_timeout,
        }
        run = await runner.run_job(cells, zygote_process=zyg, **settings)
        if zyg is not None and run["status"] == "grader_error" and "Zygote" in run.get("detail", ""):
            run = await runner.run_job(cells, **settings)  # zygote가 실패하면 보통의 커널 시작으로 다시
        finish(result, cells, run, job["static"])
    except Exception as err:  # 한 제출의 문제로 전체가 멈추지 않게
        result.status, result.detail = "grader_error", f"{type(err).__name__}: {str(err)[:300]}"
        result.run_status = result.status
    result.seconds = round(time.perf_counter() - start, 2)
    return result


def resolve_isolation(options: Options) -> tuple[str, str]:
    """(격리 방식, 경고). --sandbox required인데 쓸 수 없으면 sandbox.SandboxError."""
    return sandbox.choose(options.sandbox)


def new_seed() -> int:
    return secrets.randbelow(2**31 - 1)


def grade(
    root: Path,
    options: Options | None = None,
    progress=None,
    paths: list[Path] | None = None,
    isolation: str | None = None,
) -> list[Result]:
    """root 아래의 제출들을 채점해 Result 목록(파일 이름순)을 돌려줍니다.

    원본 파일은 읽기만 합니다. isolation을 주지 않으면 options.sandbox에 따라 정하고 경고는 stderr에 씁니다.
    options.grading_seed가 없으면 이 채점에서 쓸 시드를 하나 뽑아 options에 적어 둡니다 (CSV에도 남습니다).
    """
    from tools.grading.submission import find_submissions

    options = options or Options()
    if options.grading_seed is None:
        options.grading_seed = new_seed()
    if not isolation:
        isolation, warning = resolve_isolation(options)
        if warning:
            print(warning, file=sys.stderr)
    known = load_exercises(options.exercises)
    cache: dict = {}
    if options.private is not None:  # 잘못되면 PrivateTestError: 채점을 시작하지 않습니다
        cache["__private__"] = private_tests.load(options.private, sorted(known))
    everyone = find_submissions(root)
    cache["__displays__"] = unique_displays(everyone, root)
    prepared = [prepare(p, root, known, cache, options) for p in (everyone if paths is None else paths)]
    done = [r for r, job in prepared if job is None]
    todo = [(r, job) for r, job in prepared if job is not None]
    for r in done:
        r.grading_seed = options.grading_seed
        r.run_status = r.run_status or r.status
        if progress:
            progress(r)
    if todo:
        zyg = start_zygote(todo, options, isolation)
        try:
            done += asyncio.run(_grade_all(todo, options, isolation, progress, zyg))
        finally:
            if zyg is not None:
                zyg.close()
    return sorted(done, key=lambda r: r.path)


def start_zygote(todo, options: Options, isolation: str):
    """모듈을 미리 불러 둔 zygote (root로 bubblewrap 채점을 할 때만, options.preload). 못 띄우면 None (보통대로).

    GPU가 있는 기계에서는 쓰지 않습니다: CUDA는 fork와 맞지 않을 수 있어(부모가 CUDA를 건드렸으면 자식에서 CUDA를
    다시 시작할 수 없음) 아직 GPU에서 확인하지 않은 길이기 때문입니다."""
    if not options.preload or isolation != sandbox.BWRAP or not sandbox.is_root() or sandbox.gpu_devices():
        return None
    modules = sorted({m for _, job in todo for m in job["config"].get("modules", [])})
    try:
        return zygote.Zygote(modules)
    except zygote.ZygoteError as err:
        print(f"경고: {err}: 제출마다 커널을 새로 띄웁니다 (느림).", file=sys.stderr)
        return None


async def _grade_all(todo, options: Options, isolation: str, progress, zyg=None) -> list[Result]:
    limit = asyncio.Semaphore(max(1, options.jobs or _cores()))

    async def one(result: Result, job: dict) -> Result:
        async with limit:
            return await grade_one(result, job, options, isolation, zyg)

    out = []
    for future in asyncio.as_completed([one(r, job) for r, job in todo]):
        r = await future
        out.append(r)
        if progress:
            progress(r)
    return out
