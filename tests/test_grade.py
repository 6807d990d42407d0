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
    add(kit.SOLUTION.name, kit.solution_text(), "review", 5)  # 해답 파일 그대로: 이름으로 연습을 알고, review
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
    hint = " ".join(results["loop.ipynb"].hints)  # 어느 셀에서 멈췄는지와 무한 반복문을 찾아보라는 말
    assert "답 셀 2" in hint and "while True" in hint, hint
    stripped = results["stripped_00.ipynb"]
    assert stripped.exercise_set == kit.SET and any("셀 순서" in n for n in stripped.notes)
    assert any("원래 점검으로 채점" in n for n in stripped.notes), stripped.notes  # 점검 셀을 고친 제출


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
        if r.status == "review" and name != kit.SOLUTION.name:
            assert name.startswith("tricks/"), (name, r.detail)
    solution = results[kit.SOLUTION.name]  # 공개된 해답: 조작이 아니라 해답이라는 근거로 review
    assert solution.tamper == [] and solution.flags == ["solution"], (solution.tamper, solution.flags)
    assert any("파일 이름" in reason for reason in solution.solution_reasons), solution.solution_reasons


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
    assert "[X] [점검] 문제 1 (0/1점): AssertionError: grid의 모양은 (3, 4)여야 합니다" in wrong
    assert "상태: 끝까지 실행됨" in wrong and "status" not in wrong  # 학생에게는 한국어 상태
    assert [rows["wrong_shape.ipynb"][f"00.{k} 문제 {k}"] for k in range(1, 6)] == ["0", "1", "0", "0", "1"]


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
    assert all(r in ("answer", "given", "extra", "check", "setup") for r, _ in roles[1:phase])


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


@pytest.fixture(scope="module")
def profiles(tmp_path_factory, profile00):
    """연습 번호 -> 점검이 기대는 것 (00은 고정본, 96-98은 합성 연습)."""
    exercises, solutions = kit.course(tmp_path_factory.mktemp("course"))
    out = {"00": profile00}
    for name in (kit.RECORD_SET, kit.FORBID_SET, kit.HIDDEN_SET):
        out[name[:2]] = _profile(solutions / f"{name}_solutions.ipynb", tmp_path_factory.mktemp(name))[1]
    return out


@pytest.mark.parametrize("trick", kit.TRICKS, ids=lambda p: p.stem)
def test_static_scan_is_a_second_net(trick, profiles):
    """정적 검사: 행동만으로 찾아야 하는 수법(runtime_only) 말고는 모두 이름으로도 걸립니다."""
    expect = kit.expectation(trick)
    found = audit.static_findings([kit.trick_source(trick, "tok", 1, Path("/x"))], profiles[expect["set"]])
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


# --- issue 22: 배점, 피드백, 해답·같은 답, 명단, 비공개 점검, 한 학생 다시 채점 (커널 없이) ------------------------
def _cells_and_run(entries):
    """[(역할, 셀 설정, 결과)] -> finish()에 넘길 (셀 목록, 실행 결과)."""
    cells, outcomes = [], []
    for role, extra, outcome in entries:
        cells.append({"source": "", "role": role, "title": extra.pop("title", role), **extra})
        outcomes.append(outcome)
    return cells, {"status": "ok", "detail": "", "cells": outcomes, "ends": ["student", "end"], "reports": []}


def _error(ename, evalue):
    return {"ran": True, "ok": False, "error": f"{ename}: {evalue}", "ename": ename, "evalue": evalue}


OK = {"ran": True, "ok": True}


def test_feedback_a_student_can_act_on():
    """풀지 않은 문제는 '아직 풀지 않았습니다' 하나로 (숨은 점검 실패를 따로 알리지 않음), 흔한 오류에는 한국어 설명,
    셀의 임시 파일 이름(3408102822.py)은 지움, 배점은 해답의 메타데이터대로."""
    stub = "아직 풀지 않은 문제입니다: 위의 설명을 보고 코드를 작성하세요."
    cells, run = _cells_and_run(
        [
            ("answer", {"attempted": False, "title": "답 셀 1"}, _error("NotImplementedError", stub)),
            (
                "check",
                {"check": 1, "part": "visible", "points": 2.0, "title": "[점검] 문제 1"},
                _error("NotImplementedError", stub),
            ),
            (
                "answer",
                {"attempted": True, "title": "답 셀 2"},
                _error("SyntaxError", "incomplete input (3408102822.py, line 2)"),
            ),
            (
                "check",
                {"check": 3, "part": "visible", "points": 1.0, "title": "[점검] 문제 2"},
                _error("NameError", "name 'my_bce' is not defined"),
            ),
            ("answer", {"attempted": True, "title": "답 셀 3"}, OK),
            (
                "check",
                {"check": 5, "part": "visible", "points": 0.5, "title": "[점검] 문제 3"},
                _error("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (3x3 and 2x1)"),
            ),
            ("answer", {"attempted": True, "title": "답 셀 4"}, OK),
            ("check", {"check": 7, "part": "visible", "points": 3.0, "title": "[점검] 문제 4"}, OK),
            ("check", {"check": 7, "part": "hidden", "hidden": 1, "points": 3.0, "title": "[점검] 문제 4"}, OK),
            (
                "check",
                {"check": 1, "part": "hidden", "hidden": 1, "points": 2.0, "title": "[점검] 문제 1"},
                _error("AssertionError", "x"),
            ),
        ]
    )
    result = grade.finish(grade.Result(path="a.ipynb", student="a"), cells, run)
    checks = {c["title"]: c for c in result.checks}
    assert (
        checks["[점검] 문제 1"]["message"].startswith("아직 풀지 않았습니다")
        and checks["[점검] 문제 1"]["hidden"] == []
    )
    assert "이름 `my_bce`이(가) 아직 정의되지 않았습니다" in checks["[점검] 문제 2"]["message"]
    assert "모양(shape)이 맞지 않습니다" in checks["[점검] 문제 3"]["message"]
    assert checks["[점검] 문제 4"]["passed"] and checks["[점검] 문제 4"]["hidden"] == [
        {"n": 1, "passed": True, "ran": True}
    ]
    assert (result.points, result.max_points, result.score) == (3.0, 6.5, 46.2)
    text = grade.feedback_text(result)
    assert "숨은 점검 1: 실패" not in text and ".py" not in text, text
    assert "답 셀 2의 오류: SyntaxError: incomplete input (2번째 줄) → 문법 오류" in text
    assert (
        "답 셀 1의 오류" not in text
    )  # 풀지 않은 답 셀의 NotImplementedError는 문제의 '아직 풀지 않았습니다'로 한 번만
    assert "상태: 끝까지 실행됨" in text and "점수: 3/6.5점 (46.2%)" in text and "[X] [점점]" not in text
    assert "[O] [점검] 문제 4 (3/3점): 통과" in text and "[X] [점검] 문제 3 (0/0.5점)" in text


def test_points_come_from_the_solution_check_cells(tmp_path):
    """nbgrader처럼 해답 점검 셀의 메타데이터 `points`(또는 `nbgrader.points`), 없으면 1. 음수나 글자는 오류."""
    from tools.grading.assemble import cell_points

    cell = nbformat.v4.new_code_cell("# [점검] 문제 1\nassert True")
    assert cell_points(cell) == 1.0
    cell.metadata["points"] = 3
    assert cell_points(cell) == 3.0
    cell.metadata = {"nbgrader": {"points": 0, "grade": True}}
    assert cell_points(cell) == 0.0
    for bad in (-1, "2", float("nan"), True):
        cell.metadata = {"points": bad}
        with pytest.raises(ValueError, match="배점"):
            cell_points(cell)
    exercises, solutions = kit.course(tmp_path / "course")
    sol = solutions / f"{kit.HIDDEN_SET}_solutions.ipynb"
    nb = nbformat.read(sol, as_version=4)
    checks = [c for c in nb.cells if c.source.startswith("# [점검]")]
    checks[0].metadata["points"] = 2
    checks[2].metadata["nbgrader"] = {"points": 0}
    nbformat.write(nb, sol)
    exercise = grade.load_exercise(kit.HIDDEN_SET, exercises / f"{kit.HIDDEN_SET}_exercises.ipynb", solutions)
    assert [exercise.points_of(i) for i in exercise.checks] == [2.0, 1.0, 0.0] and exercise.max_points == 3.0


def test_solution_and_copied_answers_are_flagged_for_review():
    from tools.grading import integrity

    stub = "def f(x):\n    # 여기에 코드를 작성하세요\n    raise NotImplementedError('아직')"
    body = "def f(x):\n    total = 0\n    for value in x:\n        total += value * value\n    return total / len(x)"
    spaced = "def f( x ):\n    # 제곱의 평균\n    total=0\n\n    for value in x:\n"
    spaced += "        total += value*value\n    return total/len(x)"
    answer = {"role": "answer", "attempted": True, "source": body, "slot": 1}
    assert integrity.normal_code(body) == integrity.normal_code(spaced)  # 주석·띄어쓰기·빈 줄은 무시
    cells = [answer, dict(answer, source=body.replace("def f", "def g")), {"role": "check"}]
    stubs = {1: stub}
    long_enough = integrity.fingerprint(cells * 2, stubs)
    assert long_enough and integrity.fingerprint([dict(answer, attempted=False)], stubs) == ""  # 빈 답은 비교 안 함
    assert integrity.fingerprint([dict(answer, source="def f(x):\n    return 1")], stubs) == ""  # 한 줄짜리 답
    solution = nbformat.v4.new_notebook()
    solution.cells = [nbformat.v4.new_code_cell(f"{bx.BEGIN}\n{body}\n{bx.END}")]
    reasons = integrity.solution_reasons(solution, "01_x_solutions (1).ipynb", [answer] * 2, [body] * 2, stubs, "01_x")
    assert len(reasons) == 3, reasons  # 이름, 해답 표시, 내용
    empty = nbformat.v4.new_notebook()
    named = integrity.solution_reasons(empty, "read_secrets_and_solutions.ipynb", [], [], {}, "01_x")
    assert named == []  # 이름에 solutions가 들어 있다고 해답은 아님
    assert integrity.solution_reasons(nbformat.v4.new_notebook(), "kim.ipynb", [answer], [body + "\nx = 1"]) == []

    def row(file, student, digest, status="ok", student_id=""):
        return {
            "file": file,
            "student": student,
            "student_id": student_id,
            "exercise_set": "01_x",
            "answers_hash": digest,
            "run_status": status,
            "status": status,
            "flags": "",
        }

    rows = [
        row("a/x.ipynb", "a", "h1"),
        row("b/x.ipynb", "b", "h1"),
        row("c/x.ipynb", "c", "h2"),
        row("a/y.ipynb", "a", "h2"),
        row("d/x.ipynb", "d", "", "ok"),
        row("e/x.ipynb", "e", "h1", "unknown_set"),
    ]
    pairs = integrity.mark_copies(rows)
    assert pairs == [("a/x.ipynb", "b/x.ipynb"), ("a/y.ipynb", "c/x.ipynb")]
    assert [r["status"] for r in rows] == ["review", "review", "review", "review", "ok", "unknown_set"]
    assert rows[0]["same_answers_as"] == "b/x.ipynb" and rows[0]["flags"] == "copy"
    rows[1]["answers_hash"] = "h9"  # 다시 채점했더니 달라짐: 다시 계산하면 표시가 사라집니다
    integrity.mark_copies(rows)
    assert rows[0]["status"] == "ok" and rows[0]["same_answers_as"] == "" and rows[0]["flags"] == ""


def test_roster_matches_nfc_names_and_ids(tmp_path):
    import unicodedata

    from tools.grading import roster

    path = tmp_path / "students.csv"
    path.write_text("\ufeff학번,이름\n20240001,김민수\n20240002,이서연\n20240003,김민\n", encoding="utf-8")
    students = roster.read_roster(path)
    assert [s.student_id for s in students] == ["20240001", "20240002", "20240003"]
    nfd = unicodedata.normalize("NFD", "이서연")
    assert len(nfd) > 3 and roster.match(nfd, students).student_id == "20240002"  # macOS 폴더 이름
    assert roster.match("20240003_아무개", students).name == "김민"  # 학번이 먼저
    assert roster.match("김민수_과제", students).student_id == "20240001"  # 가장 긴 이름 (김민이 아니라)
    assert roster.match("박지훈", students) is None
    (tmp_path / "bad.csv").write_text("번호만\n1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="학번,이름"):
        roster.read_roster(tmp_path / "bad.csv")


def test_roster_missing_rows_unknown_set_and_regrade_one_student(tmp_path, capsys):
    """명단의 미제출 학생은 missing 줄(점수 칸 비움), 모르는 연습은 점수 칸 비움과 이름을 바꾸라는 피드백,
    한 학생만 다시 채점하면 그 학생 줄만 바뀌고(이름 있는 줄로) 다른 줄은 그대로입니다."""
    import unicodedata

    folder = tmp_path / "in"
    kit.write(folder, "20240001_김민수/homework.ipynb", "not json")
    unknown = kit.exercise()
    unknown.metadata.pop("course")
    kit.write(folder, f"{unicodedata.normalize('NFD', '이서연')}/숙제.ipynb", unknown)
    (tmp_path / "roster.csv").write_text("학번,이름\n20240001,김민수\n20240002,이서연\n20240003,박지훈\n", "utf-8")
    code, rows, out = _main(tmp_path, folder, "--roster", str(tmp_path / "roster.csv"))
    assert code == 0
    by_name = {row["name"]: row for row in rows}
    assert [row["status"] for row in rows] == ["invalid_notebook", "unknown_set", "missing"]
    assert by_name["이서연"]["student_id"] == "20240002" and by_name["이서연"]["score"] == ""  # 0점이 아니라 빈 칸
    assert by_name["박지훈"]["score"] == "" and by_name["박지훈"]["file"] == ""
    feedback = out.parent / "grades_feedback"
    unknown_text = next(p for p in feedback.iterdir() if "숙제" in p.read_text("utf-8")).read_text("utf-8")
    assert "파일 이름에 연습 이름이나 두 자리 번호를 넣어" in unknown_text and kit.SET in unknown_text
    assert "점수: 채점하지 않음" in unknown_text

    # 박지훈이 늦게 냈고 김민수가 다시 냈습니다: 두 학생만 다시 채점합니다 (점수표의 학번·이름과 시드를 씀)
    kit.write(folder, "박지훈/homework.ipynb", '{"cells": [')
    kit.write(folder, "20240001_김민수/homework.ipynb", unknown)
    for student in ("박지훈", "20240001_김민수"):
        args = ["regrade", str(folder / student), "--out", str(out), "--sandbox", "none"]
        assert grade.main(args) == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        after = list(csv.DictReader(f))
    assert len(after) == 3 and all(row["student_id"] for row in after)  # 이름 없는 줄이 생기지 않음
    by_name = {row["name"]: row for row in after}
    assert by_name["박지훈"]["status"] == "invalid_notebook" and by_name["박지훈"]["file"] == "박지훈/homework.ipynb"
    assert by_name["김민수"]["status"] == "unknown_set" and by_name["이서연"] == {
        k: v for k, v in {row["name"]: row for row in rows}["이서연"].items()
    }
    assert len(list(feedback.iterdir())) == 3  # 미제출 줄의 피드백은 지워지고 새 것으로
    assert grade.main(["regrade", str(folder / "없는학생"), "--out", str(out), "--sandbox", "none"]) == 2


def test_set_option_grades_an_unrecognised_file(tmp_path):
    folder = tmp_path / "in"
    unknown = kit.exercise()
    unknown.metadata.pop("course")
    kit.write(folder, "숙제.ipynb", unknown)
    exercises, solutions = kit.course(tmp_path / "course")
    options = Options(exercises=exercises, solutions=solutions, forced_set=kit.SET)
    result, job = prepare(folder / "숙제.ipynb", folder, grade.load_exercises(options.exercises), {}, options)
    assert result.exercise_set == kit.SET and job is not None and any("--set" in n for n in result.notes)
    assert grade.main([str(folder), "--out", str(tmp_path / "g.csv"), "--set", "77"]) == 2


def test_private_tests_are_parsed_strictly_and_kept_out_of_the_repository(tmp_path, capsys):
    from tools.grading import private

    text = "# 교사용\n# [점검] 문제 1\nassert double(7) == 14\n\n# [점검] 문제 2\nassert double(-1) == -2\n"
    assert private.parse(text, "98.py") == {
        "[점검] 문제 1": ["assert double(7) == 14"],
        "[점검] 문제 2": ["assert double(-1) == -2"],
    }
    for bad, why in [
        ("x = 1\n# [점검] 문제 1\nassert True", "앞에 코드"),
        ("# [점검] 문제 1\n", "코드가 없습니다"),
        ("# [점검] 문제 1\nassert (", "문법 오류"),
        ("# [점검] 문제 1\nX = make_moons(random_state=3)", "고정된 시드"),
    ]:
        with pytest.raises(private.PrivateTestError, match=why):
            private.parse(bad, "98.py")
    exercises, solutions = kit.course(tmp_path / "course")
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "98_중간.py").write_text(text, encoding="utf-8")
    tests = private.load(folder, sorted(grade.load_exercises(exercises)))
    exercise = grade.load_exercise(
        kit.HIDDEN_SET, exercises / f"{kit.HIDDEN_SET}_exercises.ipynb", solutions, tests[kit.HIDDEN_SET]
    )
    assert exercise.private_count == 2 and exercise.hidden_count == 6  # 해답의 숨은 점검 4개 다음 번호
    with pytest.raises(ValueError, match="없습니다"):
        grade.load_exercise(
            kit.HIDDEN_SET, exercises / f"{kit.HIDDEN_SET}_exercises.ipynb", solutions, {"[점검] 문제 9": ["x"]}
        )
    inside = nbutil.ROOT / "tests"
    code = grade.main([str(folder), "--out", str(tmp_path / "g.csv"), "--hidden", str(inside), "--sandbox", "none"])
    assert code == 2 and "저장소 밖에" in capsys.readouterr().err


def test_shards_graded_as_parallel_processes_merge_to_one_run(tmp_path):
    """classroom/batch/의 조각 스크립트(Slurm 배열 작업과 GitHub Actions 행렬이 부르는 것)를 N개 프로세스로 동시에
    돌리고 합치면, 한 번에 채점한 점수표와 같습니다 (명단의 미제출 줄은 조각 1에만)."""
    import subprocess

    folder = tmp_path / "in"
    for student in ("kim lee", "kim_lee", "park", "choi", "한글 이름", "=HYPERLINK(1)"):
        kit.write(folder, f"{student}/homework.ipynb", "[]")
    kit.write(folder, "yoon/x.ipynb", '{"cells": [')
    (tmp_path / "roster.csv").write_text("학번,이름\n1,park\n2,choi\n3,없는학생\n", encoding="utf-8")
    env = {
        **os.environ,
        "SUBMISSIONS": str(folder),
        "GRADES": str(tmp_path / "parts"),
        "SEED": "11",
        "SANDBOX": "none",
        "PYTHON": sys.executable,
        "ROSTER": str(tmp_path / "roster.csv"),
    }
    batch = nbutil.ROOT / "classroom" / "batch"
    shards = 3
    running = [
        subprocess.Popen(
            ["bash", str(batch / "grade-shard.sh"), str(k), str(shards)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for k in range(1, shards + 1)
    ]
    for process in running:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output
    done = subprocess.run(
        ["bash", str(batch / "merge-shards.sh")], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    one = tmp_path / "one" / "grades.csv"
    args = [
        str(folder),
        "--out",
        str(one),
        "--seed",
        "11",
        "--sandbox",
        "none",
        "--roster",
        str(tmp_path / "roster.csv"),
    ]
    assert grade.main(args) == 0
    merged = tmp_path / "parts" / "grades.csv"
    assert merged.read_text(encoding="utf-8-sig") == one.read_text(encoding="utf-8-sig")
    assert "missing" in merged.read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in merged.with_name("grades_feedback").iterdir()) == sorted(
        p.name for p in one.with_name("grades_feedback").iterdir()
    )


def test_classroom_result_format():
    """GitHub Classroom 보고 액션이 읽는 형식: 점검 하나가 테스트 하나, 점수는 배점."""
    from tools.grading import classroom

    r = grade.Result(path="a.ipynb", student="a", status="ok", exercise_set=kit.SET, total=2)
    r.checks = [
        {"title": "[점검] 문제 1", "passed": True, "message": "통과", "points": 2.0, "max_points": 2.0},
        {
            "title": "[점검] 문제 2",
            "passed": False,
            "message": "아직 풀지 않았습니다",
            "points": 0.0,
            "max_points": 1.0,
        },
    ]
    r.points, r.max_points = 2.0, 3.0
    payload = classroom.result_json([r])
    assert payload["max_score"] == 3.0 and payload["status"] == "fail"
    assert [(t["name"], t["status"], t["score"]) for t in payload["tests"]] == [
        ("[점검] 문제 1", "pass", 2.0),
        ("[점검] 문제 2", "fail", 0.0),
    ]
    assert "| ❌ [점검] 문제 2 | 0/1 | 아직 풀지 않았습니다 |" in classroom.summary_markdown([r])
