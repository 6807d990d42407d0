"""채점 도구(tools/grade.py): 연습 00으로 만든 제출물 폴더 하나를 한 번에 채점하고 결과를 봅니다.

제출물은 테스트 때 원본 연습·해답 노트북에서 만들어 임시 폴더에 씁니다 (저장소에 고정 파일을 두지 않습니다).
커널을 쓰는 채점은 한 테스트에서 한 번만 합니다 (제출 19개, 코어 수만큼 동시에).
"""

import csv
import hashlib
import json
import sys

import nbformat

from tools import grade, nbutil

SET = "00_environment_and_tensors"
EXERCISE = nbutil.ROOT / "exercises" / f"{SET}_exercises.ipynb"
SOLUTION = nbutil.ROOT / "solutions" / f"{SET}_solutions.ipynb"
TIMEOUT = 15  # 무한 루프 제출이 이만큼 기다립니다


def _exercise():
    return nbutil.read(EXERCISE)


def _answers():
    """해답의 답 셀 코드, 문제 순서대로 (연습과 해답은 같은 셀 id를 씁니다)."""
    solution = {c.id: c.source for c in nbutil.read(SOLUTION).cells}
    return [solution[c.id] for c in _exercise().cells if "solution" in c.metadata.get("tags", [])]


def _filled(sources):
    """연습 노트북에서 답 셀 k를 sources[k]로 채운 노트북 (None이면 빈 답 그대로)."""
    nb = _exercise()
    answer_cells = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    for cell, source in zip(answer_cells, sources, strict=False):
        if source is not None:
            cell.source = source
    return nb


def _solved(*overrides):
    """전부 푼 노트북에서 (문제 번호, 코드)로 일부 답을 바꾼 것."""
    sources = _answers()
    for number, source in overrides:
        sources[number - 1] = source
    return _filled(sources)


def _checks(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# [점검]")]


def _tampered(nb):
    """점검 셀의 본문을 `assert True`로 바꾼 노트북 (첫 줄 제목은 그대로)."""
    for cell in _checks(nb):
        cell.source = cell.source.splitlines()[0] + "\nassert True"
    return nb


def _stripped(nb):
    """셀 id, 태그, 노트북 메타데이터를 모두 지운 nbformat 4.4 노트북 (JSON 문자열)."""
    raw = json.loads(nbformat.writes(nb))
    raw["nbformat_minor"] = 4
    raw["metadata"] = {}
    for cell in raw["cells"]:
        cell.pop("id", None)
        cell["metadata"] = {}
    return json.dumps(raw, ensure_ascii=False)


def _write(folder, name, nb_or_text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = nb_or_text if isinstance(nb_or_text, str) else nbformat.writes(nb_or_text)
    path.write_text(text, encoding="utf-8")


def _make_submissions(folder):
    """(파일, 기대 상태, 기대 통과 수) 목록을 돌려주고 제출 폴더를 채웁니다."""
    cases = []

    def add(name, content, status, passed):
        _write(folder, name, content)
        cases.append((name, status, passed))

    add(SOLUTION.name, SOLUTION.read_text(encoding="utf-8"), "ok", 5)  # 해답 파일 그대로: 메타데이터 없이 이름으로
    add(f"blank_{SET}_exercises.ipynb", EXERCISE.read_text(encoding="utf-8"), "ok", 0)
    add("half.ipynb", _filled(_answers()[:2]), "ok", 2)
    add("tampered.ipynb", _tampered(_filled(_answers()[:2])), "ok", 2)
    add("stripped_00.ipynb", _stripped(_tampered(_solved())), "ok", 5)  # id·태그 없이, 파일 이름의 번호로
    wrong = _solved((1, "grid = torch.arange(12).reshape(4, 3)\nprint(grid)"))
    add("wrong_shape.ipynb", wrong, "ok", 2)
    add("syntax_error.ipynb", _solved((5, "heights_shared = (\nprint('끝')")), "ok", 4)
    add("exception.ipynb", _solved((5, "raise ValueError('학생 코드의 예외')")), "ok", 4)
    add("loop.ipynb", _solved((2, "while True:\n    pass")), "timeout", 1)
    add("c_sleep.ipynb", _solved((3, "import ctypes\nctypes.CDLL(None).sleep(600)")), "timeout", 2)
    add("exit.ipynb", _solved((2, "import os\nos._exit(1)")), "kernel_died", 1)
    if sys.platform == "linux":  # 주소 공간 제한(--memory-mb): 큰 할당이 MemoryError가 됩니다
        hog = "import numpy as np\nhog = np.empty(6 * 1024**3, dtype=np.uint8)"  # 건드리지 않으므로 실제로는 안 씀
        add("memory_hog.ipynb", _solved((2, hog)), "ok", 2)
    add("big_output.ipynb", _solved((2, "for _ in range(100_000):\n    print('x' * 1000)")), "output_too_large", 1)
    writes = _solved()
    writes.cells.insert(
        3,
        nbformat.v4.new_code_cell(
            "import pathlib\n"
            "pathlib.Path('written.txt').write_text('학생이 쓴 파일')\n"
            "pathlib.Path('../escape.txt').write_text('한 칸 위')\n"
            "for p in pathlib.Path('.').resolve().parent.rglob('*.ipynb'):\n"
            "    p.write_text('덮어씀')\n"
            "def helper():\n"
            "    return 1"
        ),
    )
    add("writes_files.ipynb", writes, "ok", 5)
    add("kim/homework.ipynb", _solved(), "ok", 5)  # 하위 폴더, 이름에 연습 이름 없음: 메타데이터로
    unknown = _solved()
    unknown.metadata["course"] = {"exercise_set": "99_nothing", "tasks": 5}
    add("unknown_set.ipynb", unknown, "unknown_set", 0)
    add("invalid_json.ipynb", '{"cells": [', "invalid_notebook", 0)
    add("not_a_notebook.ipynb", '{"hello": "world"}', "invalid_notebook", 0)
    add("binary.ipynb", "\x00\x01\x02", "invalid_notebook", 0)
    (folder / "메모.txt").write_text("노트북이 아닌 파일은 건너뜁니다", encoding="utf-8")
    (folder / "__MACOSX").mkdir()  # macOS 압축의 부산물도 건너뜁니다
    (folder / "__MACOSX" / "._half.ipynb").write_bytes(b"\x00\x05\x16\x07")
    return cases


def _hashes(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def _grade_folder(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    cases = _make_submissions(folder)
    before = _hashes(folder)
    memory = 4 * 1024**3 if sys.platform == "linux" else 0
    options = grade.Options(timeout=TIMEOUT, max_output_bytes=1024 * 1024, memory_bytes=memory)
    results = grade.grade(folder, options)
    out = tmp_path / "out"
    grade.write_outputs(results, out / "grades.csv", out / "feedback")
    return {
        "cases": cases,
        "results": {r.path: r for r in results},
        "before": before,
        "after": _hashes(folder),
        "out": out,
    }


def _check_every_case_gets_expected_status_and_score(graded):
    assert len(graded["cases"]) >= 12
    got = {r.path: (r.status, r.passed) for r in graded["results"].values()}
    expected = {name: (status, passed) for name, status, passed in graded["cases"]}
    assert got == expected


def _check_submitted_files_are_byte_identical_after_grading(graded):
    assert graded["before"] == graded["after"]
    assert len(graded["before"]) == len(graded["cases"]) + 2  # 메모.txt와 __MACOSX/._half.ipynb도 그대로


def _check_solution_scores_100_and_blank_scores_0(graded):
    results = graded["results"]
    assert results[SOLUTION.name].score == 100.0
    assert results[SOLUTION.name].total == 5
    assert results[f"blank_{SET}_exercises.ipynb"].score == 0.0
    assert results["half.ipynb"].score == 40.0


def _check_tampered_checks_score_like_the_real_answers(graded):
    results = graded["results"]
    assert results["tampered.ipynb"].score == results["half.ipynb"].score == 40.0
    assert [c["passed"] for c in results["tampered.ipynb"].checks] == [True, True, False, False, False]
    stripped = results["stripped_00.ipynb"]
    assert stripped.score == 100.0 and stripped.exercise_set == SET
    assert any("셀 순서" in n for n in stripped.notes)


def _check_failed_check_reports_the_korean_assert_message(graded):
    checks = graded["results"]["wrong_shape.ipynb"].checks
    assert checks[0]["title"] == "[점검] 문제 1"
    assert checks[0]["message"] == "AssertionError: grid의 모양은 (3, 4)여야 합니다. 지금: (4, 3)"
    assert checks[1]["message"] == "통과"


def _check_student_errors_fail_later_checks_but_not_the_run(graded):
    results = graded["results"]
    syntax = results["syntax_error.ipynb"]
    assert syntax.status == "ok" and not syntax.checks[4]["passed"]
    assert any("SyntaxError" in n for n in syntax.notes)
    exception = results["exception.ipynb"]
    assert any("ValueError: 학생 코드의 예외" in n for n in exception.notes)
    assert exception.checks[4]["message"].startswith("NameError")


def _check_stopped_runs_keep_checks_done_before_the_stop(graded):
    results = graded["results"]
    for name in ("loop.ipynb", "exit.ipynb", "big_output.ipynb"):
        checks = results[name].checks
        assert checks[0]["passed"], name
        assert checks[2]["message"].startswith("실행되지 않음"), (name, checks[2])
    assert results["loop.ipynb"].seconds < TIMEOUT + 40
    assert "멈춘 곳: 답 셀 2" in results["loop.ipynb"].detail
    assert "멈춘 곳: 답 셀 3" in results["c_sleep.ipynb"].detail  # C 코드 안에서 멈춘 커널도 끝냅니다


def _check_memory_limit_turns_huge_allocation_into_memory_error(graded):
    if sys.platform != "linux":  # RLIMIT_AS는 리눅스에서만 확실합니다
        return
    result = graded["results"]["memory_hog.ipynb"]
    assert any("답 셀 2의 오류: MemoryError" in n for n in result.notes), result.notes


def _check_extra_student_cells_run_in_a_temporary_folder(graded):
    result = graded["results"]["writes_files.ipynb"]
    assert result.score == 100.0
    assert any("추가한 코드 셀 1개" in n for n in result.notes)


def _check_set_is_recognised_by_metadata_then_file_name(graded):
    results = graded["results"]
    assert results["kim/homework.ipynb"].exercise_set == SET
    assert results["kim/homework.ipynb"].student == "kim"
    assert "메타데이터" in results["unknown_set.ipynb"].detail
    assert results["invalid_json.ipynb"].detail.startswith("JSON")
    assert "형식" in results["not_a_notebook.ipynb"].detail


def _check_csv_and_korean_feedback_files(graded):
    out = graded["out"]
    with open(out / "grades.csv", encoding="utf-8-sig", newline="") as f:
        rows = {row["file"]: row for row in csv.DictReader(f)}
    assert set(rows) == {name for name, _, _ in graded["cases"]}
    assert rows["half.ipynb"]["score"] == "40.0" and rows["half.ipynb"]["total"] == "5"
    assert rows["loop.ipynb"]["status"] == "timeout"
    feedback = (out / "feedback" / "wrong_shape.txt").read_text(encoding="utf-8")
    assert "[X] [점검] 문제 1: AssertionError: grid의 모양은 (3, 4)여야 합니다" in feedback
    assert "[O] [점검] 문제 2: 통과" in feedback
    assert (out / "feedback" / "kim__homework.txt").exists()
    assert len(list((out / "feedback").glob("*.txt"))) == len(graded["cases"])


KERNEL_CHECKS = [
    _check_every_case_gets_expected_status_and_score,
    _check_submitted_files_are_byte_identical_after_grading,
    _check_solution_scores_100_and_blank_scores_0,
    _check_tampered_checks_score_like_the_real_answers,
    _check_failed_check_reports_the_korean_assert_message,
    _check_student_errors_fail_later_checks_but_not_the_run,
    _check_stopped_runs_keep_checks_done_before_the_stop,
    _check_memory_limit_turns_huge_allocation_into_memory_error,
    _check_extra_student_cells_run_in_a_temporary_folder,
    _check_set_is_recognised_by_metadata_then_file_name,
    _check_csv_and_korean_feedback_files,
]


def test_grading_a_folder_of_mixed_submissions(tmp_path):
    """제출 19개(깨진 것 포함)를 한 번의 채점 호출로 채점하고 모든 경우를 확인합니다.

    커널을 쓰는 채점은 비싸므로 한 테스트에서 한 번만 합니다 (pytest-xdist가 테스트를 여러 작업자에
    나눠도 채점이 두 번 돌지 않게). 실패한 확인은 모두 모아서 보여 줍니다.
    """
    graded = _grade_folder(tmp_path)
    failures = []
    for check in KERNEL_CHECKS:
        try:
            check(graded)
        except AssertionError as err:
            failures.append(f"{check.__name__}: {err}")
    assert not failures, "\n\n".join(failures)


# --- 커널 없이 빠르게 ---------------------------------------------------------------------
def test_identify_prefers_metadata_then_name_then_number():
    known = [SET, "01_logistic_regression"]
    nb = _exercise()
    assert grade.identify(nb, "whatever.ipynb", known) == (SET, "메타데이터")
    nb.metadata.pop("course")
    assert grade.identify(nb, f"lee_{SET}_exercises (1).ipynb", known)[0] == SET
    assert grade.identify(nb, "과제01_lee.ipynb", known)[0] == "01_logistic_regression"
    assert grade.identify(nb, "2024_lee.ipynb", known)[0] is None


def test_assemble_keeps_authoritative_checks_and_places_extra_cells():
    exercise = grade.Exercise(SET, _exercise())
    student = _tampered(_solved())
    extra = nbformat.v4.new_code_cell("def helper():\n    return 1")
    position = next(i for i, c in enumerate(student.cells) if c.id == "cell-005") + 1
    student.cells.insert(position, extra)  # 점검 1 바로 뒤
    del student.cells[position - 2]  # 답 셀 1을 지움
    cells, notes = grade.assemble(exercise, student)
    checks = [c["source"] for c in cells if c["role"] == "check"]
    assert checks == [c.source for c in _checks(_exercise())]
    roles = [c["role"] for c in cells]
    assert roles[roles.index("check") + 1] == "extra"  # 점검 1 뒤, 답 2 앞
    assert "NotImplementedError" in next(c["source"] for c in cells if c["role"] == "answer")
    assert any("찾지 못해" in n for n in notes)


def test_suspicious_code_is_flagged():
    student = _solved((1, "get_ipython().input_transformers_post.append(lambda lines: [])\ngrid = 1"))
    _, notes = grade.assemble(grade.Exercise(SET, _exercise()), student)
    assert any(n.startswith("주의") and "input_transformers" in n for n in notes)


def test_main_writes_csv_and_refuses_output_inside_submissions(tmp_path, capsys):
    folder = tmp_path / "in"
    _write(folder, "a.ipynb", "not json")
    _write(folder, "b.ipynb", "[]")
    out = tmp_path / "result" / "grades.csv"
    assert grade.main([str(folder), "--out", str(out)]) == 0
    assert (tmp_path / "result" / "grades_feedback" / "a.txt").exists()
    assert "invalid_notebook 2" in capsys.readouterr().out
    assert grade.main([str(folder), "--out", str(folder / "grades.csv")]) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["a.ipynb", "b.ipynb"]
