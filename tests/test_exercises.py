"""연습 노트북: 해답에서 만든 그대로인지, 빌드 도구의 규칙.

빈 답에서 점검이 모두 실패하는지는 test_wrong_answers.py가 봅니다 (아래 설명).
"""

import nbformat
import pytest

from tools import build_exercises as bx
from tools import nbutil


def test_every_lesson_has_solution_and_exercise():
    for lesson in nbutil.notebook_paths("notebooks"):
        assert (nbutil.ROOT / "solutions" / f"{lesson.stem}_solutions.ipynb").exists(), lesson.name
        assert (nbutil.ROOT / "exercises" / f"{lesson.stem}_exercises.ipynb").exists(), lesson.name


def test_exercises_equal_a_fresh_build():
    assert bx.build_all(check=True) == [], "exercises/가 solutions/와 다릅니다: `make exercises`"


# 빈 연습에서 모든 점검이 실패하는지(다른 오류는 없는지)는 tests/test_wrong_answers.py의
# test_solution_blank_exercise_and_wrong_answers가 해답과 같은 커널에서 봅니다 (해답의 셀을 실행하기 전에 fork한 자식이
# 연습 노트북을 처음부터 실행: 커널 시작과 import를 한 번만). 규칙은 tests/solution_runs.py의 blank_problems.


# --- 빌드 도구의 규칙 ---------------------------------------------------------------
def _nb(*sources, markdown=()):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 제목")]
    nb.cells += [nbformat.v4.new_markdown_cell(m) for m in markdown]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def _build(nb):
    return bx.build(nb, nbutil.ROOT / "exercises" / "99_demo_exercises.ipynb", "demo")


def test_region_becomes_indented_stub_and_rest_is_verbatim():
    src = "def f(x):\n    ### BEGIN SOLUTION\n    return x * 2\n    ### END SOLUTION\nprint(f)"
    out = _build(_nb(src, "# [점검] f\nassert f(2) == 4"))
    code = [c for c in out.cells if c.cell_type == "code"]
    stub = next(c for c in code if "def f" in c.source)
    assert stub.source.splitlines() == ["def f(x):", "    " + bx.STUB_COMMENT, "    " + bx.STUB_RAISE, "print(f)"]
    assert "return x * 2" not in stub.source
    assert stub.metadata["tags"] == ["solution", "raises-exception"]
    check = next(c for c in code if c.source.startswith("# [점검]"))
    assert check.source == "# [점검] f\nassert f(2) == 4"
    assert check.metadata["tags"] == ["check", "raises-exception"]
    assert out.metadata["course"] == {"exercise_set": "99_demo", "tasks": 1}


def test_two_regions_in_one_cell_become_two_stubs():
    src = "### BEGIN SOLUTION\na = 1\n### END SOLUTION\nmiddle = 0\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION"
    out = _build(_nb(src))
    code = [c for c in out.cells if c.cell_type == "code"][-1].source
    assert code.count(bx.STUB_RAISE) == 2 and "middle = 0" in code and "a = 1" not in code
    assert out.metadata["course"]["tasks"] == 2


def test_solution_notes_in_markdown_are_removed():
    md = "설명\n<!-- BEGIN SOLUTION -->\n해설입니다\n<!-- END SOLUTION -->\n끝"
    out = _build(_nb("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", markdown=[md]))
    assert [c.source for c in out.cells if c.source.startswith("설명")] == ["설명\n끝"]


def test_outputs_are_cleared():
    nb = _nb("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\nx")
    nb.cells[-1].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=3)]
    nb.cells[-1].execution_count = 3
    cell = _build(nb).cells[-1]
    assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("### BEGIN SOLUTION\nx = 1", "END SOLUTION가 없습니다"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "겹칩니다"),
        ("x = 1\n### END SOLUTION", "없이"),
        ("x = 1", "하나도 없습니다"),
    ],
    ids=["missing-end", "nested", "end-without-begin", "no-markers"],
)
def test_bad_markers_give_clear_errors(source, message):
    with pytest.raises(bx.MarkerError, match=message):
        _build(_nb(source))


HIDDEN_CHECK = (
    "# [점검] f\nassert f(2) == 4\n### BEGIN HIDDEN TESTS\nassert f(50) == 100, '비밀 점검'\n"
    "### END HIDDEN TESTS\nprint('문제 1 통과')"
)


def test_hidden_tests_are_stripped_from_the_exercise_and_split_for_grading():
    out = _build(_nb("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION", HIDDEN_CHECK))
    check = out.cells[-1]
    assert check.source == f"# [점검] f\nassert f(2) == 4\n{bx.HIDDEN_NOTE}\nprint('문제 1 통과')"
    assert "비밀" not in nbformat.writes(out) and "HIDDEN" not in nbformat.writes(out)
    assert check.metadata["tags"] == ["check", "raises-exception"]
    assert bx.check_parts(HIDDEN_CHECK) == [
        ("visible", "# [점검] f\nassert f(2) == 4"),
        ("hidden", "assert f(50) == 100, '비밀 점검'"),
        ("visible", "print('문제 1 통과')"),
    ]


def test_no_exercise_contains_hidden_tests():
    for path in nbutil.notebook_paths("exercises"):
        text = path.read_text(encoding="utf-8")
        assert bx.HIDDEN_BEGIN not in text and bx.HIDDEN_END not in text, path.name


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ("# [점검]\n### BEGIN HIDDEN TESTS\nassert 1", "END HIDDEN TESTS가 없습니다"),
        ("# [점검]\nassert 1\n### END HIDDEN TESTS", "없이"),
        ("# [점검]\n### BEGIN HIDDEN TESTS\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS", "겹칩니다"),
        ("# [점검]\n### BEGIN HIDDEN TESTS\n### BEGIN SOLUTION\n### END SOLUTION\n### END HIDDEN TESTS", "겹칩니다"),
        ("x = 2\n### BEGIN HIDDEN TESTS\nassert x\n### END HIDDEN TESTS", "점검 셀"),
        ("# [점검]\n### BEGIN HIDDEN TEST\nassert 1\n### END HIDDEN TESTS", "그대로여야"),
        ("# [점검]\nif True:\n    ### BEGIN HIDDEN TESTS\n    assert 1\n    ### END HIDDEN TESTS", "들여쓰지"),
    ],
    ids=["missing-end", "end-without-begin", "nested", "inside-solution", "not-a-check", "typo", "indented"],
)
def test_bad_hidden_markers_give_clear_errors(check, message):
    with pytest.raises(bx.MarkerError, match=message):
        _build(_nb("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", check))


def test_solution_name_must_end_with_suffix():
    with pytest.raises(bx.MarkerError, match="_solutions.ipynb"):
        bx.exercise_path(nbutil.ROOT / "solutions" / "01_x.ipynb")
