"""채점 도구(tools/grade.py, tools/grading/): 제출물 폴더 하나를 한 번에 채점하고 결과를 봅니다.

제출물은 테스트 때 원본 연습·해답 노트북(연습 00)과 숨은 점검이 있는 작은 합성 연습(98)에서 만들어 임시
폴더에 씁니다. 조작 수법(tests/grading_data/tricks/*.py)은 빈 연습 00에 셀 하나로 끼워 넣습니다.
커널을 쓰는 채점은 한 테스트에서 한 번만 합니다 (제출 30여 개, 코어 수만큼 동시에).
"""

import csv
import functools
import hashlib
import json
import os
import secrets
import shutil
import socket
import sys
import threading
from pathlib import Path

import nbformat
import pytest

from tools import build_exercises as bx
from tools import grade, nbutil
from tools.grading import audit, sandbox
from tools.grading.assemble import load_exercise
from tools.grading.model import Options
from tools.grading.pipeline import prepare

SET = "00_environment_and_tensors"
EXERCISE = nbutil.ROOT / "exercises" / f"{SET}_exercises.ipynb"
# 해답 00의 고정본 (강의가 바뀌어도 이 테스트의 기대값은 그대로; 연습은 테스트 때 빌드 도구로 만듭니다)
SOLUTION_FILE = Path(__file__).parent / "grading_data" / f"{SET}_solutions.json"
SOLUTION = nbutil.ROOT / "solutions" / f"{SET}_solutions.ipynb"  # 이름만 씁니다
TIMEOUT = 15  # 무한 루프 제출이 이만큼 기다립니다
TRICKS = sorted((Path(__file__).parent / "grading_data" / "tricks").glob("t*.py"))
SANDBOX = sandbox.probe() == ""  # bubblewrap을 쓸 수 있으면 샌드박스 확인도 합니다
HIDDEN_SET = "98_hidden_demo"
HIDDEN_SOLUTION = [
    ("code", "import random"),
    ("code", "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"),
    (
        "code",
        "# [점검] 문제 1\nassert double(2) == 4, 'double(2)는 4여야 합니다.'\n### BEGIN HIDDEN TESTS\n"
        "rng = random.Random(7)\nfor x in [rng.randint(100, 999) for _ in range(5)]:\n"
        "    assert double(x) == 2 * x, f'비밀 점검 {x}'\n### END HIDDEN TESTS\nprint('문제 1 통과')",
    ),
    (
        "code",
        "# [점검] 문제 2\nassert double(0) == 0, 'double(0)은 0이어야 합니다.'\n### BEGIN HIDDEN TESTS\n"
        "assert double(-3) == -6, '비밀 2'\n### END HIDDEN TESTS\n### BEGIN HIDDEN TESTS\n"
        "assert double(0.5) == 1.0, '비밀 3'\n### END HIDDEN TESTS",
    ),
]


@functools.lru_cache(maxsize=1)
def _solution_text():
    return SOLUTION_FILE.read_text(encoding="utf-8")


def _solution():
    return nbformat.reads(_solution_text(), as_version=4)


def _exercise():
    """연습 00을 해답에서 새로 만듭니다 (해답과 늘 맞도록)."""
    return bx.build(_solution(), EXERCISE, SOLUTION.name)


def _answers():
    """해답의 답 셀 코드, 문제 순서대로 (연습과 해답은 같은 셀 id를 씁니다)."""
    solution = _solution().cells
    return [solution[i].source for i, c in enumerate(_exercise().cells) if "solution" in c.metadata.get("tags", [])]


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


def _course(tmp_path):
    """임시 exercises/, solutions/: 연습 00(저장소 것)과 숨은 점검이 있는 합성 연습 98 (빌드 도구로 만듦)."""
    exercises, solutions = tmp_path / "exercises", tmp_path / "solutions"
    exercises.mkdir()
    solutions.mkdir()
    nbutil.write(_exercise(), exercises / EXERCISE.name)
    (solutions / SOLUTION.name).write_text(_solution_text(), encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for _, src in HIDDEN_SOLUTION]
    nbutil.clean_metadata(nb)
    nbutil.write(nb, solutions / f"{HIDDEN_SET}_solutions.ipynb")
    bx.build_all(solutions=[solutions / f"{HIDDEN_SET}_solutions.ipynb"])  # tmp_path/exercises/에 씁니다
    return exercises, solutions


def _with_trick(path, token, port):
    """빈 연습 00의 가져오기 셀 바로 뒤에 조작 수법 셀 하나를 넣은 노트북."""
    nb = _exercise()
    code = path.read_text(encoding="utf-8").replace("TOKEN", token).replace("PORT", str(port))
    position = next(i for i, c in enumerate(nb.cells) if "import torch" in c.source) + 1
    nb.cells.insert(position, nbformat.v4.new_code_cell(code))
    return nb


def _make_submissions(folder, exercises, token, port, part):
    """(파일, 기대 상태, 기대 통과 수 또는 None=아무것이나) 목록을 돌려주고 제출 폴더를 채웁니다.

    part: "cases"(여러 가지 제출과 숨은 점검) 또는 "tricks"(조작 수법). 두 묶음을 따로 채점하면
    pytest-xdist가 두 작업자에서 동시에 돌릴 수 있습니다.
    """
    cases = []

    def add(name, content, status, passed):
        _write(folder, name, content)
        cases.append((name, status, passed))

    (folder / "메모.txt").write_text("노트북이 아닌 파일은 건너뜁니다", encoding="utf-8")
    (folder / "__MACOSX").mkdir()  # macOS 압축의 부산물도 건너뜁니다
    (folder / "__MACOSX" / "._half.ipynb").write_bytes(b"\x00\x05\x16\x07")
    if part == "tricks":
        for trick in TRICKS:
            if "escape" in trick.name and not SANDBOX:
                continue  # 샌드박스 없이는 정말로 밖에 쓰므로 돌리지 않습니다
            add(f"tricks/{trick.stem}.ipynb", _with_trick(trick, token, port), "review", None)
        add("kim/homework.ipynb", _solved(), "ok", 5)  # 정직한 답은 같은 채점에서 review가 아님
        return cases

    add(SOLUTION.name, _solution_text(), "ok", 5)  # 해답 파일 그대로: 메타데이터 없이 이름으로
    add(f"blank_{SET}_exercises.ipynb", _exercise(), "ok", 0)
    add("half.ipynb", _filled(_answers()[:2]), "ok", 2)
    add("tampered.ipynb", _tampered(_filled(_answers()[:2])), "ok", 2)
    add("stripped_00.ipynb", _stripped(_tampered(_solved())), "ok", 5)  # id·태그 없이, 파일 이름의 번호로
    wrong = _solved((1, "grid = torch.arange(12).reshape(4, 3)\nprint(grid)"))
    add("wrong_shape.ipynb", wrong, "ok", 2)
    add("syntax_error.ipynb", _solved((5, "heights_shared = (\nprint('끝')")), "ok", 4)
    add("exception.ipynb", _solved((5, "raise ValueError('학생 코드의 예외')")), "ok", 4)
    add("loop.ipynb", _solved((2, "while True:\n    pass")), "timeout", 1)
    add("c_sleep.ipynb", _solved((3, "import ctypes\nctypes.CDLL(None).sleep(600)")), "review", 2)  # ctypes: 조작 의심
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

    def hidden_answer(body):
        nb = nbutil.read(exercises / f"{HIDDEN_SET}_exercises.ipynb")
        for cell in nb.cells:
            cell.source = cell.source.replace(bx.STUB_RAISE, body) if body else cell.source
        return nb

    add(f"hidden/blank_{HIDDEN_SET}.ipynb", hidden_answer(""), "ok", 0)
    add(f"hidden/right_{HIDDEN_SET}.ipynb", hidden_answer("return 2 * x"), "ok", 2)
    overfit = "return {2: 4, 0: 0}.get(x, 0)"  # 보이는 점검만 통과하는 답
    add(f"hidden/overfit_{HIDDEN_SET}.ipynb", hidden_answer(overfit), "ok", 0)
    return cases


def _hashes(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


class _Listener:
    """채점하는 쪽의 127.0.0.1 포트: 샌드박스 안의 학생 코드가 접속하면 기록합니다."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


def _processes_with(token):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if token in cmdline and "pytest" not in cmdline:
            found.append(cmdline)
    return found


def _grade_folder(tmp_path, part):
    folder = tmp_path / "submissions"
    folder.mkdir()
    exercises, solutions = _course(tmp_path)
    token = secrets.token_hex(6)
    listener = _Listener()
    try:
        cases = _make_submissions(folder, exercises, token, listener.port, part)
        before = _hashes(folder)
        memory = 4 * 1024**3 if sys.platform == "linux" else 0
        options = grade.Options(
            exercises=exercises,
            solutions=solutions,
            timeout=TIMEOUT,
            max_output_bytes=1024 * 1024,
            memory_bytes=memory,
            hide=(folder, solutions),
        )
        results = grade.grade(folder, options)
    finally:
        listener.close()
    out = tmp_path / "out"
    grade.write_outputs(results, out / "grades.csv", out / "feedback")
    escaped = [p for p in _escape_targets(token) if p.exists()]
    for p in escaped:  # 샌드박스가 뚫렸으면 치우고 실패로 보고합니다
        p.unlink()
    return {
        "cases": cases,
        "results": {r.path: r for r in results},
        "before": before,
        "after": _hashes(folder),
        "out": out,
        "exercises": exercises,
        "token": token,
        "connections": listener.connections,
        "escaped": escaped,
        "processes": _processes_with(token),
    }


def _escape_targets(token):
    name = f"escape_{token}.txt"
    return [nbutil.ROOT / name, Path.home() / name, Path("/root") / name, Path("/tmp") / name, Path("/dev/shm") / name]


def _check_every_case_gets_expected_status_and_score(graded):
    assert len(graded["cases"]) >= 12
    results = graded["results"]
    got = {
        name: (results[name].status, results[name].passed if p is not None else None) for name, _, p in graded["cases"]
    }
    expected = {name: (status, passed) for name, status, passed in graded["cases"]}
    assert got == expected
    assert set(results) == set(expected)


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
    c_sleep = results["c_sleep.ipynb"].detail  # C 코드 안에서 멈춘 커널도 끝냅니다 (ctypes라 review)
    assert "실행 상태: timeout" in c_sleep and "멈춘 곳: 답 셀 3" in c_sleep and "ctypes" in c_sleep


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
    assert {
        row["isolation"] for name, row in rows.items() if row["status"] not in ("invalid_notebook", "unknown_set")
    } == {"bubblewrap" if SANDBOX else "none"}


def _check_hidden_tests_run_only_when_grading_and_stay_secret(graded):
    exercise_text = (graded["exercises"] / f"{HIDDEN_SET}_exercises.ipynb").read_text(encoding="utf-8")
    assert "비밀" not in exercise_text and "HIDDEN" not in exercise_text and bx.HIDDEN_NOTE in exercise_text
    results = graded["results"]
    right = results[f"hidden/right_{HIDDEN_SET}.ipynb"]
    assert [c["hidden"] for c in right.checks] == [
        [{"n": 1, "passed": True, "ran": True}],
        [{"n": 1, "passed": True, "ran": True}, {"n": 2, "passed": True, "ran": True}],
    ]
    overfit = results[f"hidden/overfit_{HIDDEN_SET}.ipynb"]
    assert [c["message"] for c in overfit.checks] == [
        "숨은 점검 1을(를) 통과하지 못했습니다 (채점 때만 실행되는 점검이라 내용은 알려 주지 않습니다)",
        "숨은 점검 1을(를) 통과하지 못했습니다 (채점 때만 실행되는 점검이라 내용은 알려 주지 않습니다)",
    ]
    feedback = (graded["out"] / "feedback" / f"hidden__overfit_{HIDDEN_SET}.txt").read_text(encoding="utf-8")
    assert "숨은 점검 2: 실패" in feedback and "비밀" not in feedback and "random" not in feedback
    blank = results[f"hidden/blank_{HIDDEN_SET}.ipynb"]
    assert blank.checks[0]["message"].startswith("NotImplementedError")  # 보이는 점검의 메시지는 그대로


def _check_every_trick_is_flagged_for_review_with_reasons(graded):
    results = graded["results"]
    tricks = {name: r for name, r in results.items() if name.startswith("tricks/")}
    assert len(tricks) >= len(TRICKS) - (0 if SANDBOX else 1)
    for name, r in tricks.items():
        assert r.status == "review" and r.tamper, (name, r.status, r.detail)
    by_stem = {Path(name).stem: r for name, r in tricks.items()}
    runtime_only = by_stem["t10_module_in_job_folder"].tamper  # 코드에 수상한 이름이 없어도 커널 감사가 찾습니다
    assert all(t.startswith("커널 감사") for t in runtime_only), runtime_only
    assert any("torch.equal" in t for t in runtime_only) and any("course_patch" in t for t in runtime_only)
    self_removing = by_stem["t03_self_removing_exec"].tamper  # 훅은 스스로 빠졌지만 exec와 입력 기록이 남습니다
    assert any("exec" in t for t in self_removing) and any("입력 변환기" in t for t in self_removing)
    runtime = ["t01_input_transformer", "t04_ast_transformer", "t06_custom_exception_handler"]
    runtime += ["t08_patch_torch_and_numpy"]
    for stem in runtime:
        assert any(t.startswith("커널 감사") for t in by_stem[stem].tamper), (stem, by_stem[stem].tamper)
    assert by_stem["t01_input_transformer"].passed == 5  # 수법은 통했지만 review로 드러납니다
    rows = (graded["out"] / "grades.csv").read_text(encoding="utf-8-sig")
    assert "tricks/t01_input_transformer.ipynb" in rows and ",review," in rows


def _check_solutions_and_honest_answers_are_not_flagged(graded):
    for name, r in graded["results"].items():
        if r.status == "review" and not name.startswith("tricks/") and name != "c_sleep.ipynb":
            raise AssertionError(f"{name}: {r.detail}")


def _check_sandbox_keeps_everything_outside_the_job_unchanged(graded):
    if not SANDBOX:
        return
    escape = graded["results"]["tricks/t12_escape_the_sandbox.ipynb"]
    assert escape.isolation == "bubblewrap"
    assert graded["escaped"] == [], graded["escaped"]  # 강좌 모듈 옆, 홈, /tmp, /dev/shm 어디에도 쓰지 못함
    assert graded["connections"] == 0  # 채점하는 쪽의 포트에 닿지 못함 (--unshare-net)
    assert graded["processes"] == []  # 띄운 백그라운드 프로세스가 남지 않음 (--unshare-pid, --die-with-parent)


BOTH = [
    _check_every_case_gets_expected_status_and_score,
    _check_submitted_files_are_byte_identical_after_grading,
    _check_solutions_and_honest_answers_are_not_flagged,
]
KERNEL_CHECKS = {
    "tricks": BOTH
    + [
        _check_every_trick_is_flagged_for_review_with_reasons,
        _check_sandbox_keeps_everything_outside_the_job_unchanged,
    ],
    "cases": BOTH
    + [
        _check_solution_scores_100_and_blank_scores_0,
        _check_tampered_checks_score_like_the_real_answers,
        _check_failed_check_reports_the_korean_assert_message,
        _check_student_errors_fail_later_checks_but_not_the_run,
        _check_stopped_runs_keep_checks_done_before_the_stop,
        _check_memory_limit_turns_huge_allocation_into_memory_error,
        _check_extra_student_cells_run_in_a_temporary_folder,
        _check_set_is_recognised_by_metadata_then_file_name,
        _check_csv_and_korean_feedback_files,
        _check_hidden_tests_run_only_when_grading_and_stay_secret,
    ],
}


@pytest.mark.parametrize("part", ["cases", "tricks"])
def test_grading_a_folder_of_mixed_submissions(tmp_path, part):
    """제출 30여 개(깨진 것, 숨은 점검, 조작 수법 포함)를 한 번의 채점 호출로 채점하고 모든 경우를 확인합니다.

    커널을 쓰는 채점은 비싸므로 한 테스트에서 한 번만 합니다 (pytest-xdist가 테스트를 여러 작업자에
    나눠도 채점이 두 번 돌지 않게). 실패한 확인은 모두 모아서 보여 줍니다.
    """
    graded = _grade_folder(tmp_path, part)
    failures = []
    for check in KERNEL_CHECKS[part]:
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


def _load(solution, tmp_path):
    """해답에서 연습을 새로 만들어 임시 폴더에 두고 (Exercise, Profile)을 돌려줍니다."""
    (tmp_path / "exercises").mkdir(exist_ok=True)
    path = tmp_path / "exercises" / bx.exercise_path(solution).name
    nbutil.write(bx.build(nbutil.read(solution), path, solution.name), path)
    exercise = load_exercise(path.name[: -len("_exercises.ipynb")], path, solution.parent)
    skip = set(exercise.checks) | set(exercise.answers)
    given = [c.source for i, c in enumerate(exercise.nb.cells) if c.cell_type == "code" and i not in skip]
    checks = [text for i in exercise.checks for _, text in exercise.check_parts(i)]
    return exercise, audit.Profile(given, checks, exercise.solution_bound)


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("profile")
    (folder / "solutions").mkdir()
    (folder / "solutions" / SOLUTION.name).write_text(_solution_text(), encoding="utf-8")
    return _load(folder / "solutions" / SOLUTION.name, folder)[1]


@pytest.mark.parametrize("trick", TRICKS, ids=lambda p: p.stem)
def test_static_scan_flags_tricks_except_the_runtime_only_one(trick, profile):
    found = audit.static_findings([trick.read_text(encoding="utf-8")], profile)
    if trick.stem == "t10_module_in_job_folder":
        assert found == []  # 이 수법은 커널 감사만 찾습니다 (큰 채점 테스트에서 확인)
    else:
        assert found, trick.stem


def test_static_scan_accepts_honest_code(profile):
    honest = "import numpy as np\nimport torch\nfrom torch import nn\n%time x = 1\nmodel = nn.Linear(2, 1)\n"
    honest += "model.eval()\nvalue = getattr(model, 'weight')\nclass Net(nn.Module):\n    def __init__(self):\n"
    honest += "        super().__init__()\n"
    assert audit.static_findings([honest], profile) == []


@pytest.mark.parametrize("solution", nbutil.notebook_paths("solutions"), ids=lambda p: p.name[:2])
def test_static_scan_passes_every_solution(solution, tmp_path):
    """해답을 제출물로 조립했을 때 정적 검사에서 아무것도 나오지 않아야 합니다 (헛경보 방지)."""
    exercise, profile = _load(solution, tmp_path)
    cells, _ = grade.assemble(exercise, nbutil.read(solution))
    assert audit.static_findings([c["source"] for c in cells if c.get("student")], profile) == []


def test_hidden_tests_need_the_solution(tmp_path):
    """숨은 점검 자리가 있는 연습인데 해답이 없으면 숨은 점검 없이 채점하지 않고 grader_error."""
    exercises, _ = _course(tmp_path)
    folder = tmp_path / "in"
    _write(folder, "a.ipynb", (exercises / f"{HIDDEN_SET}_exercises.ipynb").read_text(encoding="utf-8"))
    options = Options(exercises=exercises, solutions=tmp_path / "nowhere")
    known = grade.load_exercises(exercises)
    result, job = prepare(folder / "a.ipynb", folder, known, {}, options)
    assert job is None and result.status == "grader_error" and "해답 노트북이 없습니다" in result.detail


def test_sandbox_required_refuses_without_bubblewrap(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "in"
    _write(folder, "a.ipynb", "not json")
    monkeypatch.setattr(sandbox, "probe", lambda: "테스트: bwrap 없음")
    assert grade.main([str(folder), "--out", str(tmp_path / "g.csv"), "--sandbox", "required"]) == 4
    assert "bwrap 없음" in capsys.readouterr().err and not (tmp_path / "g.csv").exists()
    assert grade.main([str(folder), "--out", str(tmp_path / "g.csv")]) == 0  # auto: 경고하고 격리 없이
    assert "경고" in capsys.readouterr().err


def test_bubblewrap_works_where_installed():
    if not sys.platform.startswith("linux") or shutil.which("bwrap") is None:
        pytest.skip("bubblewrap이 없습니다 (.ci/run이 설치합니다)")
    assert sandbox.probe() == ""


def test_shards_merge_into_the_same_sheet(tmp_path, capsys):
    """--shard K/N으로 나눠 채점한 결과를 merge하면 한 번에 채점한 것과 같습니다 (커널 없이: 깨진 제출들)."""
    folder = tmp_path / "in"
    for i in range(7):
        _write(folder, f"s{i % 3}/n{i}.ipynb", "not json" if i % 2 else "[]")
    full = tmp_path / "full" / "grades.csv"
    assert grade.main([str(folder), "--out", str(full)]) == 0
    parts = []
    for k in (1, 2, 3):
        part = tmp_path / "parts" / f"part-{k}.csv"
        assert grade.main([str(folder), "--out", str(part), "--shard", f"{k}/3"]) == 0
        parts.append(part)
    merged = tmp_path / "merged" / "grades.csv"
    assert grade.main(["merge", *map(str, parts), "--out", str(merged)]) == 0
    assert merged.read_text(encoding="utf-8-sig") == full.read_text(encoding="utf-8-sig")
    full_feedback = sorted(p.name for p in (full.parent / "grades_feedback").iterdir())
    assert sorted(p.name for p in (merged.parent / "grades_feedback").iterdir()) == full_feedback
    capsys.readouterr()
    assert grade.main(["merge", *map(str, parts[:2]), "--out", str(tmp_path / "x.csv")]) == 2
    assert "빠진 조각이 있습니다: 3" in capsys.readouterr().err
    assert grade.main([str(folder), "--shard", "4/3", "--out", str(tmp_path / "y.csv")]) == 2


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
