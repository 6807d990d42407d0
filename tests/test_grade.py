"""채점 도구(tools/grade.py, tools/grading/)의 빠른 테스트 (`make test`).

커널을 쓰는 채점은 한 번만 합니다: 작은 반(제출 12개: 해답, 빈 답, 일부, 점검을 고친 답, 틀린 답, 무한 루프,
커널 종료, 큰 출력, 숨은 점검 둘, 조작 수법 둘)을 한 번에 채점하고 여러 확인이 그 결과를 나눠 봅니다.
조작 수법 전부와 공격 목록은 tests/test_grader_security.py (`make test-grader-security`)에 있습니다.
나머지는 커널 없이: 깨진 파일들(깊은 중첩, UTF-8이 아닌 이름, 구멍 난 큰 파일, FIFO, 링크), CSV 주입,
피드백 이름과 조각 합치기, 정적 검사, seccomp 프로그램.
"""

from __future__ import annotations

import csv
import os
import secrets
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent / "grading_data"))
import graderkit as kit  # noqa: E402

from tools import build_exercises as bx  # noqa: E402
from tools import grade, nbutil  # noqa: E402
from tools.grading import audit, report, sandbox  # noqa: E402
from tools.grading.model import Options  # noqa: E402
from tools.grading.pipeline import prepare  # noqa: E402

SANDBOX = sandbox.probe() == ""
TIMEOUT = 8  # 무한 루프 제출이 이만큼 기다립니다
SEED = 24680  # 짝수: 연습 98의 문제 3(숨은 점검)이 통과합니다
TOKEN = "tok" + secrets.token_hex(4)  # 조작 수법이 띄운 프로세스를 찾는 표시


def _class(folder: Path, exercises: Path) -> dict[str, tuple[str, int | None]]:
    """제출 폴더를 채우고 {파일: (기대 상태, 기대 통과 수 또는 None)}을 돌려줍니다."""
    cases = {}

    def add(name, content, status, passed):
        kit.write(folder, name, content)
        cases[name] = (status, passed)

    (folder / "메모.txt").write_text("노트북이 아닌 파일은 건너뜁니다", encoding="utf-8")
    add(kit.SOLUTION.name, kit.solution_text(), "ok", 5)  # 해답 파일 그대로: 메타데이터 없이 이름으로
    add(f"blank_{kit.SET}_exercises.ipynb", kit.exercise(), "ok", 0)
    add("kim/homework.ipynb", kit.filled(kit.answers()[:2]), "ok", 2)  # 하위 폴더, 메타데이터로
    add("stripped_00.ipynb", kit.stripped(kit.tampered(kit.solved())), "ok", 5)  # id·태그 없이, 번호로
    wrong = kit.solved((1, "grid = torch.arange(12).reshape(4, 3)\nprint(grid)"))
    add("wrong_shape.ipynb", wrong, "ok", 2)
    add("loop.ipynb", kit.solved((2, "while True:\n    pass")), "timeout", 1)
    add("exit.ipynb", kit.solved((2, "import os\nos._exit(1)")), "kernel_died", 1)
    add("big_output.ipynb", kit.solved((2, "for _ in range(100_000):\n    print('x' * 1000)")), "output_too_large", 1)
    add(
        f"hidden/right_{kit.HIDDEN_SET}.ipynb",
        kit.synthetic_answer(exercises, kit.HIDDEN_SET, _double("2 * x")),
        "ok",
        3,
    )
    overfit = _double("{2: 4, 0: 0}.get(x, 0)")  # 보이는 점검만 통과하는 답
    add(f"hidden/overfit_{kit.HIDDEN_SET}.ipynb", kit.synthetic_answer(exercises, kit.HIDDEN_SET, overfit), "ok", 1)
    trick = kit.HERE / "tricks" / "t13_type_setattr_library_class.py"
    add("tricks/t13.ipynb", kit.with_trick(trick, exercises, TOKEN, 1, Path("/nonexistent")), "review", None)
    forged = kit.HERE / "tricks" / "t18_forge_result_and_kill_parent.py"
    if SANDBOX:
        add("tricks/t18.ipynb", kit.with_trick(forged, exercises, TOKEN, 1, Path("/nonexistent")), "review", 0)
    return cases


def _double(body: str) -> str:
    return f"def double(x):\n    return {body}"


def _grade(base: Path) -> dict:
    exercises, solutions = kit.course(base / "course")
    folder = base / "submissions"
    folder.mkdir()
    cases = _class(folder, exercises)
    results, out = kit.grade_folder(
        folder,
        exercises,
        solutions,
        timeout=TIMEOUT,
        max_output_bytes=1024 * 1024,
        grading_seed=SEED,
        memory_bytes=4 * 1024**3 if sys.platform == "linux" else 0,
    )
    return {"cases": cases, "results": {r.path: r for r in results}, "out": out}


def test_grading_a_small_class(tmp_path):
    """커널을 쓰는 유일한 빠른 테스트: 작은 반을 한 번 채점하고 여러 확인이 그 결과를 나눠 봅니다.

    (한 테스트 안에서 하므로 pytest-xdist가 작업자마다 다시 채점하지 않습니다.) 실패한 확인은 모두 모아 보여 줍니다.
    """
    graded = _grade(tmp_path)
    failures = []
    for check in (_check_status_and_score, _check_feedback, _check_hidden, _check_tricks, _check_csv):
        try:
            check(graded)
        except AssertionError as err:
            failures.append(f"{check.__name__}: {err}")
    assert not failures, "\n\n".join(failures)


def _check_status_and_score(graded):
    results = graded["results"]
    got = {
        name: (results[name].status, results[name].passed if p is not None else None)
        for name, (_, p) in graded["cases"].items()
    }
    expected = {name: (status, passed) for name, (status, passed) in graded["cases"].items()}
    assert got == expected, {n: (results[n].status, results[n].detail) for n in got if got[n] != expected[n]}
    assert results[kit.SOLUTION.name].score == 100.0 and results[kit.SOLUTION.name].total == 5
    assert {r.isolation for r in results.values()} == {"bubblewrap" if SANDBOX else "none"}
    assert {r.grading_seed for r in results.values()} == {SEED}


def _check_feedback(graded):
    results = graded["results"]
    checks = results["wrong_shape.ipynb"].checks
    assert checks[0]["message"] == "AssertionError: grid의 모양은 (3, 4)여야 합니다. 지금: (4, 3)"
    assert checks[1]["message"] == "통과"
    for name in ("loop.ipynb", "big_output.ipynb"):
        assert results[name].checks[0]["passed"] and results[name].checks[2]["message"].startswith("실행되지 않음")
    assert "멈춘 곳: 답 셀 2" in results["loop.ipynb"].detail
    assert results["loop.ipynb"].seconds < TIMEOUT + 60
    stripped = results["stripped_00.ipynb"]
    assert stripped.exercise_set == kit.SET and any("셀 순서" in n for n in stripped.notes)


def _check_hidden(graded):
    """숨은 점검은 학생 코드가 모두 끝난 뒤 채점 시드로: 짝수 시드면 문제 3의 숨은 점검이 통과합니다."""
    results = graded["results"]
    right = results[f"hidden/right_{kit.HIDDEN_SET}.ipynb"]
    assert [c["passed"] for c in right.checks] == [True, True, True]
    overfit = results[f"hidden/overfit_{kit.HIDDEN_SET}.ipynb"]
    assert [c["passed"] for c in overfit.checks] == [False, False, True]
    assert overfit.checks[0]["message"].startswith("숨은 점검 1을(를) 통과하지 못했습니다")
    assert kit.HIDDEN_MARK not in kit.everything_written(graded["out"])


def _check_tricks(graded):
    results = graded["results"]
    t13 = results["tricks/t13.ipynb"]
    assert t13.status == "review" and any(t.startswith("커널 감사") and "Tensor.data_ptr" in t for t in t13.tamper)
    if SANDBOX:  # 결과 위조 + 부모 죽이기: 결과는 샌드박스 밖(채점하는 프로세스의 메모리)에 있습니다
        assert results["tricks/t18.ipynb"].passed == 0
        assert kit.processes_with(TOKEN) == []
    for name, r in results.items():
        if r.status == "review":
            assert name.startswith("tricks/"), (name, r.detail)


def _check_csv(graded):
    out = graded["out"]
    with open(out / "grades.csv", encoding="utf-8-sig", newline="") as f:
        rows = {row["file"]: row for row in csv.DictReader(f)}
    assert set(rows) == set(graded["cases"])
    assert rows["kim/homework.ipynb"]["score"] == "40.0" and rows["kim/homework.ipynb"]["student"] == "kim"
    assert rows["loop.ipynb"]["status"] == "timeout" and rows["loop.ipynb"]["grading_seed"] == str(SEED)
    names = sorted(p.name for p in (out / "feedback").iterdir())
    assert len(names) == len(graded["cases"])
    wrong = next((out / "feedback").glob("wrong_shape-*.txt")).read_text(encoding="utf-8")
    assert "[X] [점검] 문제 1: AssertionError: grid의 모양은 (3, 4)여야 합니다" in wrong


# --- 커널 없이 ------------------------------------------------------------------------------
def _main(tmp_path, folder, *extra):
    out = tmp_path / "result" / "grades.csv"
    code = grade.main([str(folder), "--out", str(out), "--sandbox", "none", *extra])
    with open(out, encoding="utf-8-sig", newline="") as f:
        return code, list(csv.DictReader(f)), out


def test_one_bad_file_never_stops_the_class(tmp_path, capsys):
    """깊은 중첩, UTF-8이 아닌 이름, 구멍 난 큰 파일, FIFO, 링크, 타입이 틀린 셀: 모두 그 제출의 줄이 됩니다."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "deep.ipynb").write_text('{"cells": ' + "[" * 200_000 + "]" * 200_000 + ', "nbformat": 4}')
    (folder / "deep2.ipynb").write_text(
        '{"nbformat": 4, "cells": [], "metadata": ' + '{"a":' * 50_000 + "1" + "}" * 50_001
    )
    (Path(os.fsdecode(bytes(folder) + b"/\xff\xfe-\x1b[31m.ipynb"))).write_text("not json")
    with open(folder / "sparse.ipynb", "wb") as f:
        f.truncate(8 * 1024**3)  # 8 GB, 디스크는 쓰지 않음
    with open(folder / "sparse-data.bin", "wb") as f:
        f.truncate(8 * 1024**3)
    os.mkfifo(folder / "fifo.ipynb")
    os.symlink("/etc/passwd", folder / "link.ipynb")
    typed = '{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": {"a": 1}, '
    (folder / "typed.ipynb").write_text(typed + '"metadata": {}, "outputs": [], "execution_count": null}]}')
    code, rows, _ = _main(tmp_path, folder)
    assert code == 0
    statuses = {row["file"]: row["status"] for row in rows}
    assert statuses["deep.ipynb"] == statuses["deep2.ipynb"] == "invalid_notebook"
    assert statuses["sparse.ipynb"] == "invalid_notebook"
    assert statuses["typed.ipynb"] == "invalid_notebook"
    assert statuses["\ufffd\ufffd-\ufffd[31m.ipynb"] == "invalid_notebook"  # 바꿀 수 없는 바이트와 ESC는 �로
    assert statuses["fifo.ipynb"] == statuses["link.ipynb"] == "invalid_notebook"  # 따라가지도, 기다리지도 않음
    details = {row["file"]: row["detail"] for row in rows}
    assert "너무 깊게" in details["deep.ipynb"] and "너무 큽니다" in details["sparse.ipynb"]
    assert "일반 파일이 아닙니다" in details["fifo.ipynb"] and "root:" not in details["link.ipynb"]
    assert "\x1b" not in capsys.readouterr().out


def test_csv_cells_cannot_become_formulas(tmp_path):
    folder = tmp_path / "in"
    for name in ('=HYPERLINK("evil.example","x")', "+1", "-2", "@SUM(A1)", "\tx", "ok"):
        kit.write(folder, f"{name}/a.ipynb", "not json")
    _, rows, _ = _main(tmp_path, folder)
    students = sorted(row["student"] for row in rows)
    expected = ['\'=HYPERLINK("evil.example","x")', "'+1", "'-2", "'@SUM(A1)", "\ufffdx", "ok"]  # 탭은 제어 문자
    assert students == sorted(expected)
    assert all(not row[key].startswith(report.FORMULA_START) for row in rows for key in report.TEXT_FIELDS)


def test_feedback_names_are_unique_per_student_and_shards_merge(tmp_path, capsys):
    """`kim lee`와 `kim_lee`처럼 같은 이름이 되는 두 학생이 다른 조각에 있어도 합쳐집니다."""
    folder = tmp_path / "in"
    for student in ("kim lee", "kim_lee", "kim-lee", "park", "choi", "한글 이름"):
        kit.write(folder, f"{student}/homework.ipynb", "[]")
    full = tmp_path / "full" / "grades.csv"
    seed = ["--grading-seed", "7"]  # 조각들은 같은 시드로 (한 번의 채점)
    assert grade.main([str(folder), "--out", str(full), "--sandbox", "none", *seed]) == 0
    parts = []
    for k in (1, 2, 3):
        part = tmp_path / "parts" / f"part-{k}.csv"
        assert grade.main([str(folder), "--out", str(part), "--shard", f"{k}/3", "--sandbox", "none", *seed]) == 0
        parts.append(part)
    merged = tmp_path / "merged" / "grades.csv"
    assert grade.main(["merge", *map(str, parts), "--out", str(merged)]) == 0
    assert merged.read_text(encoding="utf-8-sig") == full.read_text(encoding="utf-8-sig")
    names = sorted(p.name for p in (merged.parent / "grades_feedback").iterdir())
    assert names == sorted(p.name for p in (full.parent / "grades_feedback").iterdir()) and len(names) == 6
    capsys.readouterr()
    assert grade.main(["merge", *map(str, parts[:2]), "--out", str(tmp_path / "x.csv")]) == 2
    assert "빠진 조각이 있습니다: 3" in capsys.readouterr().err
    assert not (tmp_path / "x_feedback").exists()  # 실패하면 아무것도 쓰지 않습니다


def test_main_refuses_output_inside_submissions_and_missing_sandbox(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "in"
    kit.write(folder, "a.ipynb", "not json")
    assert grade.main([str(folder), "--out", str(folder / "grades.csv")]) == 2
    monkeypatch.setattr(sandbox, "probe", lambda: "테스트: bwrap 없음")
    assert grade.main([str(folder), "--out", str(tmp_path / "g.csv"), "--sandbox", "required"]) == 4
    assert "bwrap 없음" in capsys.readouterr().err and not (tmp_path / "g.csv").exists()
    assert grade.main([str(folder), "--out", str(tmp_path / "g.csv")]) == 0  # auto: 경고하고 격리 없이
    assert "경고" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["a.ipynb"]


def test_hidden_tests_need_the_solution(tmp_path):
    exercises, _ = kit.course(tmp_path / "course")
    folder = tmp_path / "in"
    kit.write(folder, "a.ipynb", (exercises / f"{kit.HIDDEN_SET}_exercises.ipynb").read_text(encoding="utf-8"))
    options = Options(exercises=exercises, solutions=tmp_path / "nowhere")
    result, job = prepare(folder / "a.ipynb", folder, grade.load_exercises(exercises), {}, options)
    assert job is None and result.status == "grader_error" and "해답 노트북이 없습니다" in result.detail


def test_hidden_parts_run_after_all_student_code(tmp_path):
    """실행 순서: 감사 준비, 학생 코드와 보이는 점검, 숨은 점검 준비(시드), 숨은 점검, 마지막 감사."""
    exercises, solutions = kit.course(tmp_path / "course")
    folder = tmp_path / "in"
    kit.write(folder, "a.ipynb", kit.synthetic_answer(exercises, kit.HIDDEN_SET, None))
    options = Options(exercises=exercises, solutions=solutions)
    _, job = prepare(folder / "a.ipynb", folder, grade.load_exercises(exercises), {}, options)
    roles = [(c["role"], c.get("part")) for c in job["cells"]]
    phase = roles.index(("phase", None))
    assert roles[0] == ("setup", None) and roles[-1] == ("audit", None)
    assert all(part != "hidden" for _, part in roles[:phase])
    assert roles[phase + 1 : -1] == [("check", "hidden")] * 4
    assert all(r in ("answer", "given", "extra", "check") for r, _ in roles[1:phase])


def test_identify_prefers_metadata_then_name_then_number():
    known = [kit.SET, "01_logistic_regression"]
    nb = kit.exercise()
    assert grade.identify(nb, "whatever.ipynb", known) == (kit.SET, "메타데이터")
    nb.metadata.pop("course")
    assert grade.identify(nb, f"lee_{kit.SET}_exercises (1).ipynb", known)[0] == kit.SET
    assert grade.identify(nb, "과제01_lee.ipynb", known)[0] == "01_logistic_regression"
    assert grade.identify(nb, "2024_lee.ipynb", known)[0] is None


def test_assemble_keeps_authoritative_checks_and_places_extra_cells():
    exercise = grade.Exercise(kit.SET, kit.exercise())
    student = kit.tampered(kit.solved())
    extra = nbformat.v4.new_code_cell("def helper():\n    return 1")
    position = next(i for i, c in enumerate(student.cells) if c.id == "cell-005") + 1
    student.cells.insert(position, extra)
    del student.cells[position - 2]  # 답 셀 1을 지움
    cells, notes = grade.assemble(exercise, student)
    assert [c["source"] for c in cells if c["role"] == "check"] == [c.source for c in kit.checks(kit.exercise())]
    roles = [c["role"] for c in cells]
    assert roles[roles.index("check") + 1] == "extra"
    assert any("찾지 못해" in n for n in notes)


def _profile(solution: Path, tmp_path: Path):
    (tmp_path / "exercises").mkdir(exist_ok=True)
    path = tmp_path / "exercises" / bx.exercise_path(solution).name
    nbutil.write(bx.build(nbutil.read(solution), path, solution.name), path)
    exercise = grade.load_exercise(path.name[: -len("_exercises.ipynb")], path, solution.parent)
    skip = set(exercise.checks) | set(exercise.answers)
    given = [c.source for i, c in enumerate(exercise.nb.cells) if c.cell_type == "code" and i not in skip]
    checks = [text for i in exercise.checks for _, text in exercise.check_parts(i)]
    return exercise, audit.Profile(given, checks, exercise.solution_bound)


@pytest.fixture(scope="module")
def profile00(tmp_path_factory):
    folder = tmp_path_factory.mktemp("profile")
    (folder / "solutions").mkdir()
    (folder / "solutions" / kit.SOLUTION.name).write_text(kit.solution_text(), encoding="utf-8")
    return _profile(folder / "solutions" / kit.SOLUTION.name, folder)[1]


@pytest.mark.parametrize("trick", kit.TRICKS, ids=lambda p: p.stem)
def test_static_scan_is_a_second_net(trick, profile00):
    """정적 검사: 행동만으로 찾아야 하는 수법(runtime_only) 말고는 모두 이름으로도 걸립니다."""
    expect = kit.expectation(trick)
    found = audit.static_findings([kit.trick_source(trick, "tok", 1, Path("/x"))], profile00)
    if expect.get("runtime_only"):
        assert found == [], (trick.stem, found)
    elif expect["status"] == "review":
        assert found, trick.stem


def test_static_scan_accepts_honest_code(profile00):
    honest = "import numpy as np\nimport torch\nfrom torch import nn\n%time x = 1\nmodel = nn.Linear(2, 1)\n"
    honest += "model.eval()\nvalue = getattr(model, 'weight')\nclass Net(nn.Module):\n    def __init__(self):\n"
    honest += "        super().__init__()\nsd = model._modules\n"
    assert audit.static_findings([honest], profile00) == []


@pytest.mark.parametrize("solution", nbutil.notebook_paths("solutions"), ids=lambda p: p.name[:2])
def test_static_scan_passes_every_solution(solution, tmp_path):
    exercise, profile = _profile(solution, tmp_path)
    cells, _ = grade.assemble(exercise, nbutil.read(solution))
    assert audit.static_findings([c["source"] for c in cells if c.get("student")], profile) == []


def test_seccomp_program_blocks_namespaces_and_mounts():
    import struct

    for machine in ("x86_64", "aarch64"):
        program = sandbox.seccomp_program(machine)
        instructions = [struct.unpack("=HBBI", program[i : i + 8]) for i in range(0, len(program), 8)]
        blocked = {k for code, _, _, k in instructions if code == 0x15}
        column = 0 if machine == "x86_64" else 1
        for name in ("unshare", "setns", "mount", "ptrace", "bpf"):
            assert sandbox._BLOCKED_SYSCALLS[name][column] in blocked, (machine, name)
        for index, (code, jt, jf, _) in enumerate(instructions):  # 모든 점프가 프로그램 안을 가리킵니다
            if code in (0x15, 0x45, 0x35):
                assert index + 1 + max(jt, jf) < len(instructions)
        assert instructions[-3][3] == 0x7FFF0000 and instructions[-2][3] == 0x00050001
    assert sandbox.seccomp_program("sparc") is None


def test_bubblewrap_works_where_installed():
    if not sys.platform.startswith("linux") or shutil.which("bwrap") is None:
        pytest.skip("bubblewrap이 없습니다 (.ci/run이 설치합니다)")
    assert sandbox.probe() == ""


def test_sandbox_is_an_allow_list(monkeypatch):
    """샌드박스의 파일 시스템: 저장소에서는 helper_functions.py 하나, 홈·solutions·.git은 없음. 환경은 비움."""
    monkeypatch.setenv("GITHUB_TOKEN", "s3cret-value")
    layout = sandbox.new_layout()
    try:
        env = sandbox.kernel_env(sandbox.BWRAP, layout)
        cmd = sandbox.bwrap_command(layout, env, sandbox.Limits(), privileged=True)
    finally:
        sandbox.remove_layout(layout)
    binds = {cmd[i + 2] for i, arg in enumerate(cmd) if arg in ("--ro-bind", "--bind")}
    root = str(nbutil.ROOT.resolve())
    assert not any(b in (root, "/", str(Path.home())) for b in binds)
    assert not any(b.startswith(f"{root}/solutions") or b.startswith(f"{root}/.git") for b in binds)
    assert "--clearenv" in cmd and cmd[cmd.index("--cap-drop") + 1] == "ALL" and "--remount-ro" in cmd
    sizes = [cmd[i + 1] for i, arg in enumerate(cmd) if arg == "--size"]
    assert len(sizes) == 2 and all(int(s) > 0 for s in sizes)
    assert "s3cret-value" not in " ".join(cmd) and "GITHUB_TOKEN" not in env
