"""틀린 답 모음(wrong answers): 그럴듯한 오답마다 그 문제의 점검 셀이 실패하는지 확인합니다.

빈 답에서 모든 점검이 실패하는지(첫 기준)도 여기서 함께 봅니다. 그다음 기준은:
**그 주제의 흔한 실수(오답)도 점검에 걸리고, 무엇이 틀렸는지 말하는 메시지가 나와야 합니다.**

데이터: `tests/wrong_answers/<연습 이름>.toml` (연습 이름 = 해답 노트북 이름에서 `_solutions.ipynb`를 뺀 것).

    [[wrong]]
    name = "시그모이드를 텐서 메서드로"          # 오답의 이름 (테스트 id)
    check = "# [점검] 문제 1"                  # 실패해야 하는 점검 셀의 첫 줄
    answer = "def my_sigmoid"                  # (선택) 바꿀 답 셀에 들어 있는 글자. 없으면 점검 셀 앞의 마지막 답 셀
    message = "sigmoid"                        # 실패 메시지에 들어 있어야 하는 글자
    source = '''
    def my_sigmoid(z):
        return z.sigmoid()
    '''
    # source 대신 replace = [["원래 글자", "바꾼 글자"], ...]로 답 셀의 일부만 바꿀 수도 있습니다.

답 셀은 `### BEGIN SOLUTION`이 든 코드 셀입니다. 연습 하나마다 커널 하나에서 해답을 위에서부터 실행하다가,
오답이 걸린 답 셀 직전에 오면 커널을 fork한 자식에서 (1) 답 셀을 오답으로 바꿔 답 셀부터 점검 셀까지 실행하고
점검 셀이 `AssertionError`(또는 `ForbiddenOpError`, 메시지에 `message`)로 실패하는지 봅니다. 자식은 학생이
그 답 셀을 실행하기 직전과 같은 상태에서 시작해 끝나면 사라지므로, 오답 하나가 상태를 망가뜨려도 다른 오답과
해답에 번지지 않습니다. (2) 부모 커널은 그다음 원래 답과 점검을 실행하고, 점검이 통과해야 합니다: 원래 답은
여전히 통과합니다. 자세한 방법은 `tests/solution_runs.py`. 점검 셀마다 오답이 적어도 하나 있어야 합니다.

같은 커널로 해답이 위에서 아래로 오류 없이 도는지(해답 폴더는 nbmake가 따로 실행하지 않습니다)와 빈 연습에서
모든 점검이 실패하는지도 봅니다: 해답 하나에 시험 하나 (`test_solution_blank_exercise_and_wrong_answers`).
해답 하나만: `pytest -n 0 tests/test_wrong_answers.py -k 03_`
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import solution_runs as sr

from tools import build_exercises as bx
from tools import colab, nbutil

SOLUTIONS = sr.SOLUTIONS
ACCEPTED = {"AssertionError", "ForbiddenOpError"}


PER_SOLUTION = [pytest.param(s, id=sr.set_name(s)) for s in SOLUTIONS]


def test_every_check_has_a_wrong_answer():
    """점검 셀마다 그 점검을 실패시키는 오답이 적어도 하나 있어야 합니다 (없으면 아무것도 못 거르는 점검일 수 있음)."""
    missing = []
    for solution in SOLUTIONS:
        wrong_checks = {w.get("check") for w in sr.load_wrong_answers(solution)}
        for cell in nbutil.read(solution).cells:
            if cell.cell_type == "code" and cell.source.startswith(sr.CHECK_MARKER):
                if sr.first_line(cell.source) not in wrong_checks:
                    missing.append(f"{solution.name}: {sr.first_line(cell.source)}")
    assert not missing, "오답이 하나도 없는 점검 셀:\n" + "\n".join(missing)


def test_no_wrong_answer_file_without_solution():
    names = {sr.set_name(s) for s in SOLUTIONS}
    orphans = [p.name for p in sr.WRONG_ANSWERS.glob("*.toml") if p.stem not in names]
    assert not orphans, f"해답 노트북이 없는 오답 파일: {orphans}"


def wrong_answer_problems(run: sr.SolutionRun) -> list[str]:
    """오답마다 점검이 제 메시지로 실패했는지: 문제 목록 (비어 있으면 통과)."""
    problems = list(run.plan_problems) + list(run.cell_errors)
    for wrong, forked in run.wrong_results:
        error = forked.error_at(wrong.check_index)
        if error is None:
            problems.append(f"{wrong.label}: 점검을 통과했습니다 (걸러야 합니다)")
            continue
        ename, evalue = error
        if ename not in ACCEPTED:
            problems.append(f"{wrong.label}: AssertionError가 아니라 {ename}: {evalue[:200]}")
        elif wrong.entry["message"] not in evalue:
            expected = wrong.entry["message"]
            problems.append(f"{wrong.label}: 메시지에 {expected!r}가 없습니다. 받은 메시지: {evalue[:300]}")
    return problems


@pytest.mark.parametrize("solution", PER_SOLUTION)
def test_solution_blank_exercise_and_wrong_answers(solution):
    """해답 하나에 대한 세 가지를 커널 하나로 봅니다 (tests/solution_runs.py):

    1. 해답이 새 커널에서 위에서 아래로 오류 없이 돕니다 (점검 셀과 숨은 점검 포함; nbmake가 하던 일).
    2. 빈 연습 노트북을 처음부터 실행하면 점검 셀은 모두 실패하고, 다른 오류는 없습니다 (test_exercises.py에서 옮김).
    3. 오답마다 그 점검이 제 메시지로 실패하고, 원래 답은 여전히 통과합니다.
    """
    entries = sr.load_wrong_answers(solution)
    run = sr.run(solution)
    spent = ", ".join(f"{k} {v:.1f} s" for k, v in run.seconds.items())
    print(f"{solution.name}: 오답 {len(run.wrong_results)}개 시험 ({spent})")
    per_check: dict[str, list[float]] = {}
    for wrong, forked in run.wrong_results:
        per_check.setdefault(wrong.entry["check"], []).append(forked.seconds)
    costly = sorted(per_check.items(), key=lambda item: -sum(item[1]))[:3]
    print("  오답 시간이 큰 점검: " + "; ".join(f"{c} 오답 {len(t)}개 {sum(t):.1f} s" for c, t in costly))

    sections = []
    if run.cell_errors:
        sections.append("1. 해답 실행:\n" + "\n".join(run.cell_errors))
    blank = sr.blank_problems(run)
    if blank:
        sections.append("2. 빈 연습:\n" + "\n".join(blank))
    wrong = wrong_answer_problems(run)
    if not entries:
        wrong.insert(0, f"{solution.name}의 오답 모음 tests/wrong_answers/{sr.set_name(solution)}.toml이 없습니다")
    elif not run.cell_errors and len(run.wrong_results) != len(entries):
        wrong.append(f"시험하지 못한 오답이 있습니다 ({len(run.wrong_results)}/{len(entries)})")
    if wrong:
        sections.append("3. 오답:\n" + "\n".join(p for p in wrong if p not in run.cell_errors))
    assert not sections, "\n\n".join(sections)


# --- 실행 방법 자체의 시험: 작은 해답 노트북 ------------------------------------------------
def _demo(tmp_path: Path):
    cells = [
        colab.setup_source(),
        "data = [1, 2, 3]",
        "def total(xs):\n    ### BEGIN SOLUTION\n    return sum(xs)\n    ### END SOLUTION",
        '# [점검] 문제 1\nassert total(data) == 6, "합계가 틀립니다"',
        "after = len(data)  # 답과 관계없는 셀: 빈 연습에서도 오류가 없어야 합니다",
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 데모")] + [nbformat.v4.new_code_cell(s) for s in cells]
    solution = tmp_path / "solutions" / "99_demo_solutions.ipynb"
    solution.parent.mkdir()
    return solution, nb


def test_each_wrong_answer_starts_from_the_state_before_the_answer(tmp_path):
    """오답 하나가 공유 상태를 망가뜨려도(data.clear()) 다음 오답과 해답은 깨끗한 상태에서 돕니다."""
    solution, nb = _demo(tmp_path)
    check = "# [점검] 문제 1"
    wrongs = [
        {"name": "상태를 망가뜨림", "check": check, "message": "합계", "source": "data.clear()\ntotal = len"},
        {"name": "최댓값", "check": check, "message": "합계", "source": "total = max"},
        {"name": "정의하지 않음", "check": check, "message": "합계", "source": "pass"},
        {"name": "통과해 버림", "check": check, "message": "합계", "replace": [["sum(xs)", "6"]]},
        {"name": "끝나지 않음", "check": check, "message": "합계", "source": "while True:\n    pass"},
    ]
    exercise_dir = tmp_path / "exercises"
    exercise_dir.mkdir()
    exercise = bx.build(nb, exercise_dir / "99_demo_exercises.ipynb", "demo")
    run = sr.execute(solution, nb, wrongs, exercise, exercise_dir, cell_timeout=4)
    assert run.cell_errors == [] and run.plan_problems == []
    problems = wrong_answer_problems(run)
    # 앞의 두 오답은 제 메시지로 걸립니다. 둘째가 ValueError(max([]))가 아니므로 첫째의 data.clear()는
    # 번지지 않았습니다.
    assert not [p for p in problems if "상태를 망가뜨림" in p or "최댓값" in p], problems
    # 답을 정의하지 않으면 NameError: 자식은 해답을 실행하기 전 상태라 원래 답의 total이 남아 있지 않습니다.
    assert any("정의하지 않음" in p and "NameError" in p for p in problems), problems
    assert any("통과해 버림" in p and "통과했습니다" in p for p in problems), problems
    assert any("끝나지 않음" in p and "timeout" in p for p in problems), problems
    # 빈 연습: 해답을 실행하기 전에 fork한 자식이 연습의 코드 셀을 처음부터 모두 실행했습니다.
    assert run.blank is not None and run.blank.status == "ok"
    errors = [e[0] if e else None for e in run.blank.errors]
    assert errors == [None, None, None, "NotImplementedError", None], errors
    assert sr.blank_problems(run) == []


def test_plan_reports_data_that_does_not_match_the_notebook(tmp_path):
    _, nb = _demo(tmp_path)
    _, problems = sr.plan(
        nb,
        [
            {"name": "a", "check": "# [점검] 문제 9", "message": "x", "source": "pass"},
            {"name": "b", "check": "# [점검] 문제 1", "message": "x", "replace": [["없는 글자", "y"]]},
            {"name": "c", "check": "# [점검] 문제 1", "message": "x", "source": nb.cells[3].source + "\n"},
            {"name": "d", "check": "# [점검] 문제 1"},
        ],
    )
    assert [p.split(":")[0] for p in problems] == ["오답 'a'", "오답 'b'", "오답 'c'", "오답 'd'"], problems
    assert "점검 셀" in problems[0] and "바꿀 글자" in problems[1] and "같습니다" in problems[2]
    assert "name, check, message" in problems[3]


def test_blank_problems_name_each_kind_of_defect(tmp_path):
    solution, nb = _demo(tmp_path)
    exercise = bx.build(nb, tmp_path / "99_demo_exercises.ipynb", "demo")
    indices = [i for i, c in enumerate(exercise.cells) if c.cell_type == "code"]
    run = sr.SolutionRun(solution, solution_checks=1, exercise=exercise)
    # 점검이 빈 답에서 통과함, 태그 없는 셀의 오류
    run.blank = sr.Forked(indices, [None, None, None, None, ("KeyError", "'x'")], "ok")
    problems = sr.blank_problems(run)
    assert any("통과하는 점검" in p for p in problems) and any("태그 없는 셀의 오류: KeyError" in p for p in problems)
    # 점검이 엉뚱한 오류로 실패함
    run.blank = sr.Forked(indices, [None, None, None, ("TypeError", "x"), None], "ok")
    assert any("점검 셀의 오류가 TypeError" in p for p in sr.blank_problems(run))
    # 끝나지 않음
    run.blank = sr.Forked(indices, [None, None], "timeout")
    assert any("끝나지 않았습니다: timeout" in p for p in sr.blank_problems(run))
