"""틀린 답 모음(wrong answers): 그럴듯한 오답마다 그 문제의 점검 셀이 실패하는지 확인합니다.

빈 답에서 모든 점검이 실패하는지는 test_exercises.py가 봅니다. 여기서는 그다음 기준을 봅니다:
**그 주제의 흔한 실수(오답)도 점검에 걸리고, 무엇이 틀렸는지 말하는 메시지가 나와야 합니다.**

데이터: `tests/wrong_answers/<연습 이름>.toml` (연습 이름 = 해답 노트북 이름에서 `_solutions.ipynb`를 뺀 것).

    [[wrong]]
    name = "시그모이드를 텐서 메서드로"          # 오답의 이름 (테스트 id)
    check = "# [점검] 문제 1"                  # 실패해야 하는 점검 셀의 첫 줄
    answer = "def my_sigmoid"                  # (선택) 바꿀 답 셀에 들어 있는 글자. 없으면 점검 셀 바로 앞의 답 셀
    message = "sigmoid"                        # 실패 메시지에 들어 있어야 하는 글자
    source = '''
    def my_sigmoid(z):
        return z.sigmoid()
    '''
    # source 대신 replace = [["원래 글자", "바꾼 글자"], ...]로 답 셀의 일부만 바꿀 수도 있습니다.

답 셀은 `### BEGIN SOLUTION`이 든 코드 셀입니다. 연습 하나마다 커널 하나에서 해답을 위에서부터 실행하다가,
오답이 걸린 점검 셀에 오면 (1) 답 셀을 오답으로 바꿔 답 셀부터 점검 셀까지 실행하고 점검 셀이
`AssertionError`(메시지에 `message`)로 실패하는지 보고, (2) 원래 답으로 같은 셀들을 다시 실행해
점검이 다시 통과하는지(상태가 돌아왔는지) 봅니다. 점검 셀마다 오답이 적어도 하나 있어야 합니다.
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest
from nbclient import NotebookClient

from tools import nbutil

HERE = Path(__file__).parent / "wrong_answers"
SOLUTIONS = nbutil.notebook_paths("solutions")
CHECK_MARKER = "# [점검]"
BEGIN = "### BEGIN SOLUTION"


def _set_name(solution: Path) -> str:
    return solution.name.removesuffix("_solutions.ipynb")


def _load(solution: Path) -> list[dict]:
    path = HERE / f"{_set_name(solution)}.toml"
    if not path.exists():
        return []
    with open(path, "rb") as f:
        return tomllib.load(f).get("wrong", [])


def _first_line(source: str) -> str:
    return source.splitlines()[0].strip() if source.strip() else ""


def _plan(nb, wrongs: list[dict]) -> dict[int, list[tuple[dict, int, str]]]:
    """점검 셀 번호 -> [(오답, 답 셀 번호, 오답 소스)]. 데이터가 노트북과 맞지 않으면 바로 실패합니다."""
    code = {i: c for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    checks = {_first_line(c.source): i for i, c in code.items() if c.source.startswith(CHECK_MARKER)}
    plan: dict[int, list[tuple[dict, int, str]]] = {}
    for w in wrongs:
        label = f"오답 '{w.get('name')}'"
        assert {"name", "check", "message"} <= w.keys(), f"{label}: name, check, message가 있어야 합니다"
        assert w["check"] in checks, f"{label}: 점검 셀 '{w['check']}'이 없습니다. 있는 점검: {sorted(checks)}"
        check_index = checks[w["check"]]
        answers = [i for i in code if i < check_index and BEGIN in code[i].source]
        if "answer" in w:
            answers = [i for i in answers if w["answer"] in code[i].source]
        assert answers, f"{label}: 점검 셀 앞에 바꿀 답 셀이 없습니다 (answer={w.get('answer')!r})"
        answer_index = answers[-1]
        original = code[answer_index].source
        if "source" in w:
            wrong_source = w["source"]
        else:
            assert w.get("replace"), f"{label}: source나 replace가 있어야 합니다"
            wrong_source = original
            for old, new in w["replace"]:
                assert old in wrong_source, f"{label}: 답 셀에 바꿀 글자 {old!r}가 없습니다"
                wrong_source = wrong_source.replace(old, new)
        assert wrong_source.strip() != original.strip(), f"{label}: 오답이 해답과 같습니다"
        plan.setdefault(check_index, []).append((w, answer_index, wrong_source))
    return plan


def _run(client: NotebookClient, nb, index: int, source: str | None = None):
    """셀 하나를 (source가 있으면 그 소스로 바꿔서) 실행하고 첫 오류 출력(없으면 None)을 돌려줍니다."""
    cell = nb.cells[index].copy()
    cell.outputs = []
    if source is not None:
        cell.source = source
    client.execute_cell(cell, index)
    errors = [o for o in cell.outputs if o.output_type == "error"]
    return errors[0] if errors else None


def test_every_check_has_a_wrong_answer():
    """점검 셀마다 그 점검을 실패시키는 오답이 적어도 하나 있어야 합니다 (없으면 아무것도 못 거르는 점검일 수 있음)."""
    missing = []
    for solution in SOLUTIONS:
        wrong_checks = {w.get("check") for w in _load(solution)}
        for cell in nbutil.read(solution).cells:
            if cell.cell_type == "code" and cell.source.startswith(CHECK_MARKER):
                if _first_line(cell.source) not in wrong_checks:
                    missing.append(f"{solution.name}: {_first_line(cell.source)}")
    assert not missing, "오답이 하나도 없는 점검 셀:\n" + "\n".join(missing)


def test_no_wrong_answer_file_without_solution():
    names = {_set_name(s) for s in SOLUTIONS}
    orphans = [p.name for p in HERE.glob("*.toml") if p.stem not in names]
    assert not orphans, f"해답 노트북이 없는 오답 파일: {orphans}"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: _set_name(p))
def test_wrong_answers_fail_their_check(solution):
    wrongs = _load(solution)
    if not wrongs:
        pytest.fail(f"{solution.name}의 오답 모음 tests/wrong_answers/{_set_name(solution)}.toml이 없습니다")
    nb = nbutil.read(solution)
    plan = _plan(nb, wrongs)
    # nbclient은 실행한 셀을 자기 노트북에 다시 써 넣으므로, 원본(nb)은 건드리지 않게 복사본을 줍니다.
    client = NotebookClient(
        copy.deepcopy(nb),
        timeout=120,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(solution.parent)}},
    )
    problems: list[str] = []
    tried = 0
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            error = _run(client, nb, index)
            assert error is None, f"해답 셀 {index}에서 오류: {error.ename}: {error.evalue}"
            for wrong, answer_index, wrong_source in plan.get(index, []):
                tried += 1
                label = f"[{wrong['check']}] 오답 '{wrong['name']}'"
                _run(client, nb, answer_index, wrong_source)  # 오답 셀의 오류는 점검 셀이 드러내야 합니다
                for between in range(answer_index + 1, index):
                    if nb.cells[between].cell_type == "code":
                        _run(client, nb, between)
                error = _run(client, nb, index)
                if error is None:
                    problems.append(f"{label}: 점검을 통과했습니다 (걸러야 합니다)")
                elif error.ename not in {"AssertionError", "ForbiddenOpError"}:
                    problems.append(f"{label}: AssertionError가 아니라 {error.ename}: {error.evalue[:200]}")
                elif wrong["message"] not in error.evalue:
                    problems.append(
                        f"{label}: 메시지에 {wrong['message']!r}가 없습니다. 받은 메시지: {error.evalue[:300]}"
                    )
                # 원래 답으로 되돌리고 점검이 다시 통과하는지 봅니다.
                for again in range(answer_index, index + 1):
                    if nb.cells[again].cell_type == "code":
                        restored = _run(client, nb, again)
                if restored is not None:
                    problems.append(f"{label}: 원래 답으로 되돌려도 점검이 실패합니다: {restored.evalue[:200]}")
    print(f"{solution.name}: 오답 {tried}개 시험")
    assert tried == len(wrongs)
    assert not problems, "\n".join(problems)
