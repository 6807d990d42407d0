"""해답 노트북 하나를 커널 하나에서 한 번 실행하며 세 가지를 함께 봅니다 (test_wrong_answers.py가 씁니다).

- 해답이 위에서 아래로 오류 없이 도는가 (nbmake가 하던 일: 해답 폴더는 nbmake가 따로 실행하지 않습니다).
- 빈 연습에서 모든 점검이 실패하고 다른 오류는 없는가 (`blank_problems`).
- 오답마다 그 점검이 제 메시지로 실패하는가.

어떻게: 커널을 띄우고 연습 노트북이 불러오는 모듈을 먼저 불러 둔 뒤, 해답의 셀을 하나도 실행하기 전에 커널을
fork해(tests/kernel_fork.py) 자식이 빈 연습 노트북의 코드 셀을 처음부터 모두 (연습 폴더에서) 실행합니다. 새 커널과
같은 상태에서 시작하므로 연습을 새 커널로 실행한 것과 같고, 커널 시작과 import는 해답과 함께 한 번만 합니다.
그다음 해답 셀을 차례로 실행하다가, 오답이 걸린 답 셀에 오기 **직전에** 커널을 fork해 자식에서 (오답 셀, 그 사이의
원래 셀들, 점검 셀)을 실행하고 오류를 모읍니다. 자식은 학생의 커널이 그 답 셀을 실행하기 직전과 똑같은 상태에서
시작하고, 끝나면 사라집니다. 그래서 오답이 상태를 망가뜨려도 다음 오답이나 해답에 번지지 않고, 되돌리려고 원래
답을 다시 실행할 필요도 없습니다. 부모는 그다음 원래 답과 점검을 실행하며, 그 점검이 통과하는 것이 "원래 답은
여전히 통과한다"는 증거입니다 (부모는 오답을 한 번도 실행하지 않았습니다).

파일 시스템은 fork로 나뉘지 않습니다. 빈 연습은 해답이 파일을 만들기 전에 돌므로 서로 겹치지 않습니다(연습이 끝에
자기 임시 폴더를 지워도 해답의 것이 아닙니다). 오답이 파일을 바꾸면 부모에게도 보이는데, 그러면 부모의 뒤 셀이
실패해 드러납니다 (숨지 않습니다). fork가 없는 OS(Windows)에서는 WSL에서 돌리세요.
"""

from __future__ import annotations

import copy
import json
import os
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools import build_exercises as bx
from tools import nbutil

HERE = Path(__file__).parent
WRONG_ANSWERS = HERE / "wrong_answers"
KERNEL_FORK = HERE / "kernel_fork.py"
SOLUTIONS = nbutil.notebook_paths("solutions")
CHECK_MARKER = "# [점검]"
BEGIN = "### BEGIN SOLUTION"
CELL_TIMEOUT = 180  # 초, 셀 하나 (nbmake-timeout과 같게)
MARK = "@@course-fork@@"  # kernel_fork.MARK


def set_name(solution: Path) -> str:
    return solution.name.removesuffix("_solutions.ipynb")


def first_line(source: str) -> str:
    return source.splitlines()[0].strip() if source.strip() else ""


def load_wrong_answers(solution: Path) -> list[dict]:
    path = WRONG_ANSWERS / f"{set_name(solution)}.toml"
    if not path.exists():
        return []
    with open(path, "rb") as f:
        return tomllib.load(f).get("wrong", [])


@dataclass
class Wrong:
    """계획된 오답 하나: 어느 답 셀을 무엇으로 바꿔 어느 점검까지 실행하는지."""

    entry: dict
    answer_index: int  # 노트북 셀 번호
    check_index: int
    source: str

    @property
    def label(self) -> str:
        return f"[{self.entry['check']}] 오답 '{self.entry['name']}'"


@dataclass
class Forked:
    """fork한 자식 하나의 결과: 실행한 셀 번호와 셀마다의 오류 (ename, evalue) 또는 None."""

    indices: list[int]
    errors: list[tuple[str, str] | None]
    status: str  # "ok", "timeout", "crash ..."
    seconds: float = 0.0

    def error_at(self, index: int) -> tuple[str, str] | None:
        position = self.indices.index(index)
        if position >= len(self.errors):
            return ("실행되지 않음", self.status)
        return self.errors[position]


@dataclass
class SolutionRun:
    solution: Path
    wrongs: list[Wrong] = field(default_factory=list)
    plan_problems: list[str] = field(default_factory=list)
    cell_errors: list[str] = field(default_factory=list)  # 해답 자체의 오류
    wrong_results: list[tuple[Wrong, Forked]] = field(default_factory=list)
    solution_checks: int = 0  # 해답의 점검 셀 수
    exercise: nbformat.NotebookNode | None = None
    blank: Forked | None = None  # 빈 연습의 코드 셀 전부 (연습 노트북의 셀 번호)
    seconds: dict[str, float] = field(default_factory=dict)  # 커널 시작, 해답 셀, 오답(fork)에 쓴 시간


def plan(nb, wrongs: list[dict]) -> tuple[list[Wrong], list[str]]:
    """오답 데이터를 노트북에 맞춥니다. 맞지 않는 데이터는 problems로 (테스트가 실패로 보고)."""
    code = {i: c for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    checks = {first_line(c.source): i for i, c in code.items() if c.source.startswith(CHECK_MARKER)}
    planned: list[Wrong] = []
    problems: list[str] = []
    for w in wrongs:
        label = f"오답 '{w.get('name')}'"
        if not {"name", "check", "message"} <= w.keys():
            problems.append(f"{label}: name, check, message가 있어야 합니다")
            continue
        if w["check"] not in checks:
            problems.append(f"{label}: 점검 셀 '{w['check']}'이 없습니다. 있는 점검: {sorted(checks)}")
            continue
        check_index = checks[w["check"]]
        answers = [i for i in code if i < check_index and BEGIN in code[i].source]
        if "answer" in w:
            answers = [i for i in answers if w["answer"] in code[i].source]
        if not answers:
            problems.append(f"{label}: 점검 셀 앞에 바꿀 답 셀이 없습니다 (answer={w.get('answer')!r})")
            continue
        answer_index = answers[-1]
        original = code[answer_index].source
        if "source" in w:
            wrong_source = w["source"]
        elif w.get("replace"):
            wrong_source = original
            missing = [old for old, _ in w["replace"] if old not in original]
            if missing:
                problems.append(f"{label}: 답 셀에 바꿀 글자 {missing[0]!r}가 없습니다")
                continue
            for old, new in w["replace"]:
                wrong_source = wrong_source.replace(old, new)
        else:
            problems.append(f"{label}: source나 replace가 있어야 합니다")
            continue
        if wrong_source.strip() == original.strip():
            problems.append(f"{label}: 오답이 해답과 같습니다")
            continue
        planned.append(Wrong(w, answer_index, check_index, wrong_source))
    return planned, problems


def _code_indices(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]


class _Kernel:
    """해답 노트북을 실행하는 커널 하나와, 그 커널을 fork해 셀을 실행하는 일."""

    def __init__(self, client: NotebookClient, nb, cell_timeout: float):
        self.client = client
        self.nb = nb
        self.cell_timeout = cell_timeout
        self.loaded = False

    def _execute(self, source: str, index: int, store_history: bool) -> nbformat.NotebookNode:
        cell = nbformat.v4.new_code_cell(source)
        self.client.execute_cell(cell, index, store_history=store_history)
        return cell

    def run_cell(self, index: int) -> str | None:
        """해답 셀 하나를 그대로 실행합니다. 반환값: 오류 설명 또는 None."""
        cell = self._execute(self.nb.cells[index].source, index, store_history=True)
        for out in cell.outputs:
            if out.output_type == "error":
                return f"{out.ename}: {out.evalue}"
        return None

    def fork(self, sources: list[str], index: int, cwd: Path | None = None) -> tuple[list, str]:
        """지금 상태를 fork한 자식에서 sources를 차례로 실행합니다 (부모의 상태와 실행 번호는 그대로)."""
        if not self.loaded:
            loader = (
                "import sys as _course_sys, types as _course_types\n"
                "_course_module = _course_types.ModuleType('_course_fork')\n"
                f"exec({KERNEL_FORK.read_text(encoding='utf-8')!r}, _course_module.__dict__)\n"
                "_course_sys.modules['_course_fork'] = _course_module\n"
                "del _course_sys, _course_types, _course_module"
            )
            self._expect_no_error(self._execute(loader, index, store_history=False))
            self.loaded = True
        payload = json.dumps({"sources": sources, "timeout": self.cell_timeout, "cwd": str(cwd) if cwd else None})
        self.client.timeout = self.cell_timeout * (len(sources) + 1)  # 자식이 셀마다 시간을 잽니다
        try:
            cell = self._execute(f"__import__('_course_fork').run({payload!r})", index, store_history=False)
        finally:
            self.client.timeout = self.cell_timeout
        self._expect_no_error(cell)
        text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
        lines = [line for line in text.splitlines() if line.startswith(MARK)]
        assert lines, f"fork한 자식의 결과가 없습니다. 출력: {text[-500:]}"
        data = json.loads(lines[-1][len(MARK) :])
        return [tuple(e) if e else None for e in data["results"]], data["status"]

    def preload(self, modules: list[str]) -> None:
        """모듈들을 미리 불러 둡니다 (이름을 남기지 않음). 불러오다 실패한 모듈은 건너뜁니다: 노트북의 그 셀이 스스로
        같은 오류를 냅니다. 모듈을 불러오는 것은 노트북이 곧 할 일이라, 순서만 앞당길 뿐 상태는 같습니다."""
        code = (
            "import importlib as _course_importlib\n"
            f"for _course_name in {modules!r}:\n"
            "    try:\n"
            "        _course_importlib.import_module(_course_name)\n"
            "    except Exception:\n"
            "        pass\n"
            "del _course_importlib, _course_name\n"
        )
        if "torch" in modules:
            # 옵티마이저의 첫 step()은 torch가 미루어 둔 모듈(torch._dynamo, sympy 등 800여 개)을
            # 불러오느라 1초쯤 걸립니다. 부모에서 한 번 해 두지 않으면 훈련하는 오답마다 자식이 그 1초를
            # 다시 씁니다. 버리는 파라미터 하나로 하므로 난수 상태도, 노트북의 이름도 바뀌지 않습니다.
            code += (
                "import torch as _course_torch\n"
                "_course_p = _course_torch.zeros(1, requires_grad=True)\n"
                "_course_o = _course_torch.optim.SGD([_course_p], lr=0.1)\n"
                "_course_p.sum().backward()\n"
                "_course_o.step()\n"
                "del _course_torch, _course_p, _course_o\n"
            )
        self._expect_no_error(self._execute(code, _code_indices(self.nb)[0], store_history=False))

    @staticmethod
    def _expect_no_error(cell) -> None:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"fork 도구 오류: {errors[0].ename}: {errors[0].evalue}"


def top_level_imports(sources: list[str]) -> list[str]:
    """셀 소스들이 맨 위 수준에서 불러오는 모듈 이름 (`import a.b`, `from a.b import c` -> "a.b"), 나온 순서대로."""
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    names: list[str] = []
    for source in sources:
        try:
            tree = ast.parse(TransformerManager().transform_cell(source))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
    return list(dict.fromkeys(names))


ALLOWED_CHECK_ERRORS = {"AssertionError", "NameError", "NotImplementedError"}


def blank_problems(run: SolutionRun) -> list[str]:
    """빈 연습: 점검 셀은 모두 실패(허용된 오류로), 답 셀은 NotImplementedError나 NameError만, 나머지는 오류 없이."""
    if run.exercise is None:
        return [f"{bx.exercise_path(run.solution).name}이 없습니다"]
    if run.blank is None:
        return ["빈 연습을 실행하지 못했습니다"]
    problems = []
    if run.blank.status != "ok":
        problems.append(f"빈 연습 실행이 끝나지 않았습니다: {run.blank.status} (셀 {len(run.blank.errors)}개까지)")
    checks = stubs = 0
    for index, error in zip(run.blank.indices, run.blank.errors, strict=False):
        cell = run.exercise.cells[index]
        tags = cell.metadata.get("tags", [])
        where = f"연습 셀 {index}"
        if "check" in tags:
            checks += 1
            if error is None:
                problems.append(f"{where}: 빈 답인데 통과하는 점검 셀:\n{cell.source[:200]}")
            elif error[0] not in ALLOWED_CHECK_ERRORS:
                problems.append(f"{where}: 점검 셀의 오류가 {error[0]}입니다: {error[1][:200]}")
        elif "solution" in tags:
            stubs += 1
            if error is not None and error[0] not in {"NotImplementedError", "NameError"}:
                problems.append(f"{where}: 답 셀의 오류 {error[0]}: {error[1][:200]}")
        elif error is not None:
            problems.append(f"{where}: 태그 없는 셀의 오류: {error[0]}: {error[1][:200]}\n{cell.source[:200]}")
    if run.blank.status == "ok" and (checks != run.solution_checks or checks < 1 or stubs < 1):
        problems.append(
            f"빈 연습에서 점검 셀 {checks}개, 답 셀 {stubs}개를 실행했습니다 "
            f"(해답의 점검 셀 {run.solution_checks}개와 같고, 답 셀은 1개 이상이어야 합니다)"
        )
    return problems


_CACHE: dict[Path, SolutionRun] = {}


def run(solution: Path) -> SolutionRun:
    """해답 하나를 실행한 결과 (이 프로세스에서 처음 부를 때 한 번만 실행합니다)."""
    if solution not in _CACHE:
        _CACHE[solution] = _run(solution)
    return _CACHE[solution]


def _run(solution: Path) -> SolutionRun:
    exercise_path = bx.exercise_path(solution)
    exercise = nbutil.read(exercise_path) if exercise_path.exists() else None
    return execute(solution, nbutil.read(solution), load_wrong_answers(solution), exercise, exercise_path.parent)


def execute(
    solution: Path,
    nb,
    wrongs: list[dict],
    exercise=None,
    exercise_dir: Path | None = None,
    cell_timeout: float = CELL_TIMEOUT,
) -> SolutionRun:
    """해답 nb를 solution의 폴더에서 실행하며 빈 연습(exercise)과 오답(wrongs)을 fork한 자식에서 시험합니다."""
    if not hasattr(os, "fork"):
        raise RuntimeError("이 테스트는 fork가 있는 OS(리눅스, macOS, WSL)에서만 돕니다")
    result = SolutionRun(solution, exercise=exercise)
    result.solution_checks = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.startswith(CHECK_MARKER))
    result.wrongs, result.plan_problems = plan(nb, wrongs)
    by_answer: dict[int, list[Wrong]] = {}
    for wrong in result.wrongs:
        by_answer.setdefault(wrong.answer_index, []).append(wrong)

    # 커널은 이 환경을 물려받습니다. OpenMP 스레드 풀이 있는 프로세스는 fork하면 자식이 멈출 수 있으므로 스레드 하나.
    saved = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    os.environ.update({"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    try:
        client = NotebookClient(
            copy.deepcopy(nb),  # nbclient은 실행한 셀을 자기 노트북에 써 넣습니다: 원본은 그대로.
            timeout=cell_timeout,
            kernel_name="python3",
            allow_errors=True,
            record_timing=False,
            resources={"metadata": {"path": str(solution.parent)}},
        )
        clock = time.perf_counter()
        seconds = result.seconds
        with client.setup_kernel():
            kernel = _Kernel(client, nb, cell_timeout)
            seconds["kernel"] = time.perf_counter() - clock
            seconds["solution"] = seconds["wrong"] = 0.0
            if exercise is not None:
                # 빈 연습: 해답의 셀을 하나도 실행하기 전(새 커널과 같은 상태)에 fork한 자식이 연습 노트북의 코드 셀을
                # 처음부터 모두, 연습 폴더에서 실행합니다. 무거운 모듈은 먼저 불러 두어 부모(해답)와 함께 씁니다.
                clock = time.perf_counter()
                ex_indices = _code_indices(exercise)
                ex_sources = [exercise.cells[i].source for i in ex_indices]
                kernel.preload(top_level_imports(ex_sources))
                errors, status = kernel.fork(ex_sources, ex_indices[0], exercise_dir)
                result.blank = Forked(ex_indices, errors, status, time.perf_counter() - clock)
                seconds["blank"] = result.blank.seconds
            for index in _code_indices(nb):
                clock = time.perf_counter()
                for wrong in by_answer.get(index, []):
                    between = [i for i in _code_indices(nb) if wrong.answer_index < i <= wrong.check_index]
                    sources = [wrong.source] + [nb.cells[i].source for i in between]
                    started = time.perf_counter()
                    errors, status = kernel.fork(sources, index)
                    forked = Forked([wrong.answer_index, *between], errors, status, time.perf_counter() - started)
                    result.wrong_results.append((wrong, forked))
                seconds["wrong"] += time.perf_counter() - clock
                clock = time.perf_counter()
                error = kernel.run_cell(index)
                seconds["solution"] += time.perf_counter() - clock
                if error is not None:
                    result.cell_errors.append(f"해답 셀 {index}에서 오류: {error}")
                    break  # 뒤의 셀과 오답은 이 상태에서 시험해도 뜻이 없습니다.
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return result
