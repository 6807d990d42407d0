"""제출된 연습 노트북 폴더를 채점합니다 (교사용). 학생 코드를 실행합니다: 믿을 수 없으면 컨테이너나 VM에서.

    python -m tools.grade 제출폴더 --out grades/grades.csv
    python -m tools.grade 제출폴더 --out grades/grades.csv --timeout 120 --jobs 4

하는 일:
- 제출 폴더 아래(하위 폴더 포함)의 모든 `.ipynb`를 찾습니다. 원본 파일은 읽기만 합니다.
- 어느 연습인지는 노트북 메타데이터 `course.exercise_set`(연습 노트북을 만드는 도구가 씁니다)로,
  없으면 파일 이름(연습 이름이 들어 있거나, `00`처럼 두 자리 번호가 하나의 연습과 맞으면)으로 알아냅니다.
- 실행할 노트북은 `exercises/`의 원본 연습 노트북에서 다시 만듭니다. 답 셀(`solution` 태그)의 코드만
  학생 노트북에서 가져오고(셀 id로, id가 없으면 `solution` 태그 순서로, 그것도 없으면 셀 순서로 맞춥니다),
  학생이 직접 추가한 코드 셀은 자기 자리 근처에 그대로 둡니다. 점검 셀(`# [점검]`)은 언제나 원본을 씁니다:
  학생이 점검 셀을 고치거나 지워도 점수는 바뀌지 않습니다.
- 제출마다 임시 폴더에서 새 커널로 실행합니다 (셀 오류가 나도 끝까지). 노트북 하나에 시간 제한이 있고,
  출력이 너무 크면 멈추며, 여러 제출을 코어 수만큼 동시에 채점합니다.
- 점검 셀이 오류 없이 끝까지 실행되면 통과입니다 (채점 때마다 바뀌는 표시를 점검 셀 끝에서 출력해 확인합니다).
  `grades.csv`(한 제출에 한 줄, 엑셀용 UTF-8 BOM)와 제출마다 한국어 피드백 파일(`<csv 이름>_feedback/`)을
  씁니다. 피드백에는 점검마다 "통과" 또는 오류 메시지(점검의 한국어 assert 메시지)와, 답 셀의 오류가 있습니다.
- 종료 코드: 0 채점 끝남(깨진 제출이 있어도), 1 제출 없음, 2 잘못된 인자, 3 채점 중에 제출 폴더가 바뀜.

상태(status) 코드:
  ok                끝까지 실행됨. 답 셀의 문법 오류나 예외는 상태가 아니라 그 뒤 점검 셀의 실패로 나타납니다.
  invalid_notebook  JSON이 아니거나 노트북 형식이 아님 (0점)
  unknown_set       어느 연습인지 알 수 없음 (0점)
  timeout           시간 제한을 넘김: 그때까지 끝난 점검만 셉니다
  kernel_died       커널이 죽음 (os._exit, 메모리 부족 등): 그때까지 끝난 점검만 셉니다
  output_too_large  출력이 제한보다 큼: 커널을 멈추고 그때까지 끝난 점검만 셉니다
  grader_error      채점 도구 자체의 오류 (0점, 자세한 내용은 피드백 파일)

채점은 학생 코드를 그대로 실행합니다. 임시 폴더와 시간·출력·메모리(--memory-mb) 제한은 실수를 막을 뿐
보안 경계가 아닙니다: 믿을 수 없는 제출은 네트워크를 끊은 컨테이너나 VM에서 채점하세요 (README 참고).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import csv
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tools import nbutil

CHECK_MARKER = "# [점검]"
EXERCISE_SUFFIX = "_exercises.ipynb"
MAX_SUBMISSION_BYTES = 100 * 1024 * 1024
MAX_MESSAGE_CHARS = 500
# 학생 코드가 커널이나 점검을 조작하려는 흔적 (점수에는 영향 없이 피드백에 "주의"로 적습니다).
SUSPICIOUS = re.compile(
    r"get_ipython|input_transformers|ast_transformers|set_custom_exc|sys\.settrace|sys\.setprofile"
    r"|\bbuiltins\b|__builtins__|sys\.stdout\s*=|sys\.stderr\s*=|events\.register|os\._exit|os\.kill"
)

STATUS_TEXT = {
    "ok": "끝까지 실행됨",
    "invalid_notebook": "노트북 파일이 아님",
    "unknown_set": "어느 연습인지 알 수 없음",
    "timeout": "시간 제한 초과로 중단",
    "kernel_died": "커널이 죽음",
    "output_too_large": "출력이 너무 커서 중단",
    "grader_error": "채점 도구 오류",
}
CSV_FIELDS = ["student", "file", "exercise_set", "status", "passed", "total", "score", "seconds", "detail"]


# --- 원본 연습과 제출 노트북 -----------------------------------------------------------
@dataclass
class Exercise:
    """원본 연습 노트북 하나."""

    name: str
    nb: nbformat.NotebookNode

    @property
    def checks(self) -> list[int]:
        return [i for i, c in enumerate(self.nb.cells) if _role(c) == "check"]

    @property
    def answers(self) -> list[int]:
        return [i for i, c in enumerate(self.nb.cells) if _role(c) == "answer"]


@dataclass
class Result:
    path: str
    student: str
    exercise_set: str = ""
    status: str = "grader_error"
    passed: int = 0
    total: int | None = None
    detail: str = ""
    seconds: float = 0.0
    checks: list[dict] = field(default_factory=list)  # title, passed, message
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(100.0 * self.passed / self.total, 1) if self.total else 0.0


def _tags(cell) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _role(cell) -> str:
    """원본 연습 노트북 셀의 역할: check, answer, given(그 밖의 코드), markdown."""
    if cell.get("cell_type") != "code":
        return "markdown"
    tags = _tags(cell)
    if "check" in tags or _source(cell).startswith(CHECK_MARKER):
        return "check"
    return "answer" if "solution" in tags else "given"


def _title(cell) -> str:
    return _source(cell).splitlines()[0].lstrip("# ").strip()


def load_exercises(folder: Path) -> dict[str, Path]:
    """연습 이름 -> 원본 연습 노트북 경로."""
    return {p.name[: -len(EXERCISE_SUFFIX)]: p for p in sorted(folder.glob(f"*{EXERCISE_SUFFIX}"))}


def identify(nb, filename: str, known: list[str]) -> tuple[str | None, str]:
    """제출이 어느 연습인지: (연습 이름 또는 None, 근거)."""
    course = nb.get("metadata", {}).get("course")
    claimed = course.get("exercise_set") if isinstance(course, dict) else None
    if isinstance(claimed, str) and claimed in known:
        return claimed, "메타데이터"
    named = [s for s in known if s in filename]
    if named:
        return max(named, key=len), "파일 이름"
    numbers = set(re.findall(r"(?<!\d)(\d{2})(?!\d)", filename))
    by_number = [s for s in known if s[:2] in numbers]
    if len(by_number) == 1:
        return by_number[0], "파일 이름의 번호"
    hint = f" (메타데이터의 연습 이름 '{claimed}'은 없는 연습입니다)" if claimed else ""
    return None, f"메타데이터에도 파일 이름에도 알려진 연습 이름이 없습니다{hint}"


def read_submission(data: bytes) -> nbformat.NotebookNode:
    """바이트에서 노트북을 읽습니다. 노트북이 아니면 ValueError (한국어 메시지)."""
    if len(data) > MAX_SUBMISSION_BYTES:
        raise ValueError(f"파일이 너무 큽니다 ({len(data) // 1024 // 1024} MB)")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"JSON으로 읽을 수 없습니다: {err}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list) or "nbformat" not in raw:
        raise ValueError("JSON이지만 주피터 노트북 형식이 아닙니다 (cells, nbformat 없음)")
    try:
        with _quiet_warnings():
            nb = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as err:  # nbformat이 내는 여러 종류의 오류
        raise ValueError(f"노트북 형식 오류: {type(err).__name__}: {str(err)[:200]}") from None
    for cell in nb.cells:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise ValueError("노트북 형식 오류: 알 수 없는 셀이 있습니다")
    return nb


@contextlib.contextmanager
def _quiet_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# --- 실행할 노트북 만들기 ---------------------------------------------------------------
def assemble(exercise: Exercise, student: nbformat.NotebookNode) -> tuple[list[dict], list[str]]:
    """원본 연습을 뼈대로 실행할 코드 셀 목록을 만듭니다: [{source, role, title}], 메모.

    답 셀의 코드는 학생 것, 점검 셀은 언제나 원본, 학생이 추가한 코드 셀은 바로 앞에 있던
    (맞춰진) 셀 뒤에 둡니다. 원본의 그 밖의 코드 셀(가져오기 등)은 학생이 고쳤으면 학생 것,
    지웠으면 원본을 씁니다.
    """
    cells = exercise.nb.cells
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    answers, checks = exercise.answers, exercise.checks
    given = [i for i in code if i not in answers and i not in checks]
    by_id = {cells[i].get("id"): i for i in code if cells[i].get("id")}
    check_by_title = {_title(cells[i]): i for i in checks}
    given_by_source = {}
    for i in given:
        given_by_source.setdefault(_source(cells[i]).strip(), i)

    mine = [c for c in student.cells if c.get("cell_type") == "code"]
    notes: list[str] = []

    def is_check(c) -> bool:
        cid = c.get("id")
        return "check" in _tags(c) or _source(c).startswith(CHECK_MARKER) or (cid in by_id and by_id[cid] in checks)

    slot_of: dict[int, int] = {}  # 학생 셀 번호 -> 원본 셀 번호
    if any(c.get("id") in by_id and by_id[c.get("id")] in answers for c in mine):
        strategy = "셀 id"
        for k, c in enumerate(mine):
            target = by_id.get(c.get("id"))
            if target is not None and target not in checks and target not in slot_of.values() and not is_check(c):
                slot_of[k] = target
    else:
        tagged = [k for k, c in enumerate(mine) if "solution" in _tags(c) and not is_check(c)]
        if tagged:
            strategy = "solution 태그의 순서"
            candidates = tagged
        else:
            strategy = "셀 순서"
            candidates = [
                k for k, c in enumerate(mine) if not is_check(c) and _source(c).strip() not in given_by_source
            ]
        for k, target in zip(candidates, answers, strict=False):
            slot_of[k] = target
        for k, c in enumerate(mine):
            target = given_by_source.get(_source(c).strip())
            if k not in slot_of and not is_check(c) and target is not None and target not in slot_of.values():
                slot_of[k] = target
        notes.append(f"셀 id가 원본과 맞지 않아 답 셀을 {strategy}로 맞췄습니다. 점수가 이상하면 노트북을 직접 보세요.")

    missing = [a for a in answers if a not in slot_of.values()]
    if missing:
        notes.append(f"답 셀 {len(missing)}개를 찾지 못해 빈 답으로 채점했습니다 (답 셀을 지웠나요?).")

    extras_after: dict[int, list[str]] = {}
    anchor = answers[0] - 1 if answers else -1
    for k, c in enumerate(mine):
        if k in slot_of:
            anchor = slot_of[k]
        elif is_check(c):
            anchor = by_id.get(c.get("id"), check_by_title.get(_title(c), anchor))
        elif _source(c).strip():
            extras_after.setdefault(anchor, []).append(_source(c))
    filled = {target: _source(mine[k]) for k, target in slot_of.items()}

    out: list[dict] = []
    extra_count = 0
    for chunk in extras_after.get(-1, []):
        out.append({"source": chunk, "role": "extra", "title": "학생이 추가한 셀"})
        extra_count += 1
    answer_number = 0
    for i, cell in enumerate(cells):
        role = _role(cell)
        if role == "answer":
            answer_number += 1
        if role != "markdown":
            source = _source(cell) if role == "check" else filled.get(i, _source(cell))
            title = _title(cell) if role == "check" else (f"답 셀 {answer_number}" if role == "answer" else "주어진 셀")
            out.append({"source": source, "role": role, "title": title})
        for chunk in extras_after.get(i, []):
            out.append({"source": chunk, "role": "extra", "title": "학생이 추가한 셀"})
            extra_count += 1
    if extra_count:
        notes.append(f"학생이 추가한 코드 셀 {extra_count}개도 함께 실행했습니다.")
    flagged = sorted({m.group(0) for c in out if c["role"] != "check" for m in SUSPICIOUS.finditer(c["source"])})
    if flagged:
        found = ", ".join(flagged)
        notes.append(f"주의: 커널이나 점검을 건드릴 수 있는 코드가 있습니다 ({found}). 직접 확인하세요.")
    return out, notes


# --- 실행 (작업 프로세스) ----------------------------------------------------------------
def _worker(job_dir: str) -> None:
    """작업 프로세스: job.json의 셀들을 새 커널에서 실행하고 result.json을 씁니다."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    job_path = Path(job_dir) / "job.json"
    job = json.loads(job_path.read_text(encoding="utf-8"))
    job_path.unlink()  # 감시 문자열(sentinel)이 든 파일을 학생 코드가 읽지 못하게
    if job.get("memory_bytes"):
        import resource  # 유닉스 전용: 이 프로세스와 커널(자식)의 주소 공간 제한

        resource.setrlimit(resource.RLIMIT_AS, (job["memory_bytes"], job["memory_bytes"]))
        # 리눅스의 주소 공간 제한: 넘는 할당은 커널 안에서 MemoryError가 됩니다 (커널은 살아 있습니다).
    work = Path(job_dir) / "work"
    sentinel = job["sentinel"]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(nbutil.KERNELSPEC)
    for cell in job["cells"]:
        source = cell["source"] + (f"\nprint({sentinel!r})" if cell["role"] == "check" else "")
        nb.cells.append(nbformat.v4.new_code_cell(source))
    replies: dict[int, dict] = {}
    state = {"bytes": 0, "too_large": False, "deadline": None, "current": None}

    class Client(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):
            if state["too_large"]:
                return None
            content = msg.get("content", {})
            size = len(str(content.get("text", ""))) + sum(len(str(v)) for v in content.get("data", {}).values())
            size += sum(len(str(t)) for t in content.get("traceback", []))
            state["bytes"] += size
            if state["bytes"] > job["max_output_bytes"]:
                state["too_large"] = True
                _kill_kernel(self.km)
                return None
            return super().output(outs, msg, display_id, cell_index)

    def on_start(notebook):
        state["deadline"] = time.monotonic() + job["timeout"]
        with contextlib.suppress(Exception):
            (Path(job_dir) / "kernel.pid").write_text(str(client.km.provisioner.pid))

    def on_execute(cell, cell_index):
        state["current"] = cell_index

    def on_executed(cell, cell_index, execute_reply):
        replies[cell_index] = execute_reply.get("content", {}) if execute_reply else {}

    def remaining(cell) -> int:
        left = job["timeout"] if state["deadline"] is None else state["deadline"] - time.monotonic()
        return max(1, int(left + 0.999))

    client = Client(
        nb,
        timeout_func=remaining,
        startup_timeout=job["startup_timeout"],
        kernel_name="python3",
        allow_errors=True,
        shutdown_kernel="immediate",
        iopub_timeout=30,
        record_timing=False,
        resources={"metadata": {"path": str(work)}},
        on_notebook_start=on_start,
        on_cell_execute=on_execute,
        on_cell_executed=on_executed,
    )
    status, detail = "ok", ""
    try:
        client.execute()
    except CellTimeoutError:
        status, detail = "timeout", f"{job['timeout']:g}초 안에 끝나지 않았습니다"
    except DeadKernelError:
        status, detail = "kernel_died", "실행 중에 커널 프로세스가 끝났습니다 (os._exit, 메모리 부족 등)"
    except Exception as err:  # 커널 시작 실패 등
        status, detail = "grader_error", f"{type(err).__name__}: {str(err)[:MAX_MESSAGE_CHARS]}"
    if state["too_large"]:
        status, detail = "output_too_large", f"출력이 {job['max_output_bytes'] / 1024 / 1024:g} MB를 넘었습니다"
    if status != "ok" and state["current"] is not None and state["current"] not in replies:
        detail += f". 멈춘 곳: {job['cells'][state['current']]['title']}"

    cells = []
    for index, cell in enumerate(nb.cells):
        reply = replies.get(index)
        entry = {"ran": reply is not None, "ok": bool(reply) and reply.get("status") == "ok"}
        if reply and reply.get("status") == "error":
            entry["error"] = f"{reply.get('ename', '')}: {reply.get('evalue', '')}"[:MAX_MESSAGE_CHARS]
        if job["cells"][index]["role"] == "check" and entry["ok"]:
            text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")
            if sentinel not in text:
                entry["ok"] = False
                entry["error"] = "점검 셀이 끝까지 실행되었는지 확인할 수 없습니다 (표준 출력이 바뀌었습니다)"
        cells.append(entry)
    result = {"status": status, "detail": detail, "cells": cells}
    (Path(job_dir) / "result.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def _kill_kernel(km) -> None:
    """커널 프로세스(와 그 프로세스 그룹)를 바로 죽입니다."""
    with contextlib.suppress(Exception):
        pid = km.provisioner.pid
        if hasattr(os, "killpg"):
            os.killpg(pid, signal.SIGKILL)  # 커널은 자기 세션(프로세스 그룹)의 대표입니다
        else:
            km.provisioner.process.kill()


_RUNNING: set[int] = set()  # 지금 돌고 있는 작업 프로세스 (Ctrl-C 때 함께 끝냅니다)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if hasattr(os, "killpg"):
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGTERM)


def run_job(
    cells: list[dict], timeout: float, max_output_bytes: int, memory_bytes: int = 0, startup_timeout: int = 60
) -> dict:
    """셀 목록을 임시 폴더의 새 작업 프로세스와 커널에서 실행합니다. 반환: result.json의 내용."""
    job_dir = Path(tempfile.mkdtemp(prefix="grade-"))
    try:
        (job_dir / "work").mkdir()
        job = {
            "cells": cells,
            "timeout": timeout,
            "max_output_bytes": max_output_bytes,
            "startup_timeout": startup_timeout,
            "memory_bytes": memory_bytes,
            "sentinel": "점검 완료 " + secrets.token_hex(16),
        }
        (job_dir / "job.json").write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        env = dict(os.environ)
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")  # 여러 커널이 동시에 돌 때 스레드가 코어보다 많아지지 않게
        env.setdefault("MPLBACKEND", "Agg")
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        code = f"import sys; sys.path.insert(0, {str(nbutil.ROOT)!r}); from tools.grade import _worker; "
        code += "_worker(sys.argv[1])"
        with open(job_dir / "worker.log", "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-c", code, str(job_dir)],
                cwd=job_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            _RUNNING.add(proc.pid)
            try:
                proc.wait(timeout=timeout + startup_timeout + 30)
                hard_timeout = False
            except subprocess.TimeoutExpired:
                hard_timeout = True
            finally:
                _kill_group(proc.pid)
                kernel_pid = job_dir / "kernel.pid"
                if kernel_pid.exists():
                    with contextlib.suppress(ValueError, OSError):
                        _kill_group(int(kernel_pid.read_text()))
                proc.wait()
                _RUNNING.discard(proc.pid)
        result_path = job_dir / "result.json"
        if result_path.exists():
            return json.loads(result_path.read_text(encoding="utf-8"))
        if hard_timeout:
            return {"status": "timeout", "detail": f"{timeout:g}초 안에 끝나지 않아 강제로 멈췄습니다", "cells": []}
        tail = (job_dir / "worker.log").read_text(encoding="utf-8", errors="replace")[-MAX_MESSAGE_CHARS:]
        return {"status": "grader_error", "detail": f"작업 프로세스가 결과 없이 끝났습니다: {tail}", "cells": []}
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)


# --- 채점 --------------------------------------------------------------------------------
@dataclass
class Options:
    exercises: Path = nbutil.ROOT / "exercises"
    timeout: float = 120.0
    max_output_bytes: int = 10 * 1024 * 1024
    jobs: int = 0
    memory_bytes: int = 0  # 0이면 제한 없음


def _student_name(rel: Path) -> str:
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def prepare(path: Path, root: Path, known: dict[str, Path], cache: dict) -> tuple[Result, list[dict] | None]:
    """제출 하나를 읽어 실행할 셀 목록을 만듭니다 (실행이 필요 없으면 None)."""
    rel = path.relative_to(root)
    result = Result(path=rel.as_posix(), student=_student_name(rel))
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
        if name not in cache:
            cache[name] = Exercise(name, nbutil.read(known[name]))
        exercise = cache[name]
        result.total = len(exercise.checks)
        cells, notes = assemble(exercise, nb)
    except Exception as err:  # 원본 연습이 깨졌거나 도구의 버그: 이 제출만 실패시킵니다
        result.status, result.detail = "grader_error", f"{type(err).__name__}: {err}"
        return result, None
    result.notes = [f"연습 이름은 {why}에서 알아냈습니다."] if why != "메타데이터" else []
    result.notes += notes
    return result, cells


def finish(result: Result, cells: list[dict], run: dict) -> Result:
    """실행 결과(run)에서 점검별 통과/실패와 점수를 채웁니다."""
    result.status, result.detail = run["status"], run.get("detail", "")
    outcomes = run.get("cells", [])
    for index, cell in enumerate(cells):
        outcome = outcomes[index] if index < len(outcomes) else {"ran": False, "ok": False}
        if cell["role"] == "check":
            if outcome["ok"]:
                message = "통과"
            elif not outcome["ran"]:
                message = "실행되지 않음 (앞에서 실행이 멈췄습니다)"
            else:
                message = outcome.get("error", "실패")
            result.checks.append({"title": cell["title"], "passed": bool(outcome["ok"]), "message": message})
        elif outcome.get("error") and cell["role"] in ("answer", "extra", "given"):
            result.notes.append(f"{cell['title']}의 오류: {outcome['error']}")
    result.passed = sum(c["passed"] for c in result.checks)
    return result


def _grade_one(args) -> Result:
    result, cells, options = args
    start = time.perf_counter()
    try:
        run = run_job(cells, options.timeout, options.max_output_bytes, options.memory_bytes)
        finish(result, cells, run)
    except Exception as err:  # 한 제출의 문제로 전체가 멈추지 않게
        result.status, result.detail = "grader_error", f"{type(err).__name__}: {err}"
    result.seconds = round(time.perf_counter() - start, 2)
    return result


def _snapshot(root: Path) -> dict[str, str]:
    """폴더 안 모든 파일의 sha256 (채점 전후 비교용)."""
    digests = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.is_symlink():
            with contextlib.suppress(OSError):
                digests[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return digests


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def submissions(root: Path) -> list[Path]:
    """채점할 노트북: 체크포인트, macOS 압축의 부산물(__MACOSX, ._이름), 심볼릭 링크는 뺍니다."""
    return sorted(
        p
        for p in root.rglob("*.ipynb")
        if p.is_file()
        and not p.is_symlink()
        and not p.name.startswith("._")
        and not {".ipynb_checkpoints", "__MACOSX"} & set(p.relative_to(root).parts)
    )


def grade(root: Path, options: Options | None = None, progress=None) -> list[Result]:
    """폴더의 모든 제출을 채점해 Result 목록(파일 이름순)을 돌려줍니다. 원본 파일은 읽기만 합니다."""
    options = options or Options()
    known = load_exercises(options.exercises)
    cache: dict[str, Exercise] = {}
    prepared = [prepare(p, root, known, cache) for p in submissions(root)]
    done = [r for r, cells in prepared if cells is None]
    todo = [(r, cells, options) for r, cells in prepared if cells is not None]
    jobs = options.jobs or _cores()
    for r in done:
        if progress:
            progress(r)
    if todo:
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
        try:
            for future in concurrent.futures.as_completed([pool.submit(_grade_one, job) for job in todo]):
                r = future.result()
                done.append(r)
                if progress:
                    progress(r)
        except KeyboardInterrupt:  # 남은 일을 취소하고 돌고 있는 작업 프로세스를 끝냅니다
            pool.shutdown(wait=False, cancel_futures=True)
            for pid in list(_RUNNING):
                _kill_group(pid)
            raise
        pool.shutdown()
    return sorted(done, key=lambda r: r.path)


# --- 결과 쓰기 ---------------------------------------------------------------------------
def feedback_text(r: Result) -> str:
    lines = [
        f"제출: {r.path}",
        f"학생: {r.student}",
        f"연습: {r.exercise_set or '(알 수 없음)'}",
        f"상태: {r.status} ({STATUS_TEXT.get(r.status, '')})" + (f": {r.detail}" if r.detail else ""),
        f"점수: {r.passed}/{r.total if r.total is not None else '?'} 점검 통과 ({r.score:.1f}%)",
        "",
    ]
    for check in r.checks:
        lines.append(f"[{'O' if check['passed'] else 'X'}] {check['title']}: {check['message']}")
    if r.notes:
        lines += ["", "참고:"] + [f"- {n}" for n in r.notes]
    return "\n".join(lines) + "\n"


def _feedback_name(r: Result) -> str:
    stem = r.path[: -len(".ipynb")] if r.path.endswith(".ipynb") else r.path
    return re.sub(r"[^\w.-]+", "_", stem.replace("/", "__")) + ".txt"


def write_outputs(results: list[Result], out: Path, feedback_dir: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    feedback_dir.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8-sig", newline="") as f:  # BOM: 엑셀에서 한글이 깨지지 않게
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for r in results:
            writer.writerow(
                {
                    "student": r.student,
                    "file": r.path,
                    "exercise_set": r.exercise_set,
                    "status": r.status,
                    "passed": r.passed,
                    "total": "" if r.total is None else r.total,
                    "score": f"{r.score:.1f}",
                    "seconds": f"{r.seconds:.1f}",
                    "detail": r.detail,
                }
            )
    used: set[str] = set()
    for r in results:
        name = _feedback_name(r)
        while name in used:  # a/b.ipynb와 a__b.ipynb처럼 겹치는 이름
            name = name[: -len(".txt")] + "_.txt"
        used.add(name)
        (feedback_dir / name).write_text(feedback_text(r), encoding="utf-8")


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.grade",
        description="제출된 연습 노트북 폴더를 채점합니다. 학생 코드를 실행합니다: 신뢰할 수 없으면 컨테이너/VM에서.",
    )
    parser.add_argument("submissions", type=Path, help="제출 노트북이 있는 폴더 (하위 폴더 포함)")
    parser.add_argument("--out", type=Path, default=Path("grades/grades.csv"), help="점수표 CSV (기본: %(default)s)")
    parser.add_argument("--feedback", type=Path, help="피드백 폴더 (기본: CSV 옆의 <이름>_feedback/)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=120,
        help="노트북 하나의 실행 시간 제한(초, 커널 시작 제외) (기본: %(default)s)",
    )
    parser.add_argument("--jobs", type=int, default=0, help="동시에 채점할 제출 수 (기본: CPU 코어 수)")
    parser.add_argument(
        "--max-output-mb", type=float, default=10, help="노트북 하나의 출력 제한(MB) (기본: %(default)s)"
    )
    parser.add_argument(
        "--memory-mb",
        type=int,
        default=0,
        help="작업 프로세스와 커널의 메모리(주소 공간) 제한, MB. 0이면 제한 없음. 리눅스·macOS, CPU 채점에만 (기본: 0)",
    )
    parser.add_argument("--exercises", type=Path, default=nbutil.ROOT / "exercises", help="원본 연습 노트북 폴더")
    args = parser.parse_args(argv)

    root = args.submissions.resolve()
    if not root.is_dir():
        print(f"오류: 폴더가 없습니다: {args.submissions}", file=sys.stderr)
        return 2
    out = args.out.resolve()
    feedback = (args.feedback or out.parent / f"{out.stem}_feedback").resolve()
    if _inside(out, root) or _inside(feedback, root):
        print("오류: 결과(--out, --feedback)를 제출 폴더 안에 쓸 수 없습니다.", file=sys.stderr)
        return 2
    if not load_exercises(args.exercises):
        print(f"오류: 원본 연습 노트북이 없습니다: {args.exercises}", file=sys.stderr)
        return 2
    paths = submissions(root)
    if not paths:
        print(f"오류: {args.submissions}에 .ipynb 파일이 없습니다.", file=sys.stderr)
        return 1
    options = Options(
        exercises=args.exercises.resolve(),
        timeout=args.timeout,
        max_output_bytes=int(args.max_output_mb * 1024 * 1024),
        jobs=args.jobs,
        memory_bytes=args.memory_mb * 1024 * 1024,
    )

    def progress(r: Result) -> None:
        total = "?" if r.total is None else r.total
        print(f"{r.score:6.1f}%  {r.passed}/{total}  {r.status:<16} {r.seconds:5.1f} s  {r.path}", flush=True)

    before = _snapshot(root)
    start = time.perf_counter()
    results = grade(root, options, progress)
    elapsed = time.perf_counter() - start
    write_outputs(results, out, feedback)
    ran = [r.seconds for r in results if r.seconds]
    counts = {s: sum(r.status == s for r in results) for s in STATUS_TEXT if any(r.status == s for r in results)}
    print(f"\n제출 {len(results)}개를 {elapsed:.1f}초에 채점했습니다", end="")
    print(f" (실행한 제출 하나에 중앙값 {statistics.median(ran):.1f}초)." if ran else ".")
    print("상태: " + ", ".join(f"{s} {n}" for s, n in counts.items()))
    print(f"점수표: {out}\n피드백: {feedback}/")
    after = _snapshot(root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        print(f"경고: 채점 중에 제출 폴더의 파일이 바뀌었습니다: {', '.join(changed[:10])}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
