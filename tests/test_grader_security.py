"""채점 도구의 보안 테스트: 알려진 공격 전부를 기본 샌드박스로 채점해 봅니다 (`make test-grader-security`).

느리므로 COURSE_GRADER_SECURITY=1일 때만 돕니다 (.ci/run이 돌립니다). 채점 한 번이 테스트 하나입니다:

1. 조작 수법 전부 (tests/grading_data/tricks/t*.py, 파일마다 `# expect:` 줄의 기대 결과) + 정직한 답 하나:
   상태, 점수 상한, 커널 감사가 보고해야 하는 종류, 새어 나가면 안 되는 글자, 그리고 전체로 샌드박스 밖이
   그대로인지 (파일, 포트, 남은 프로세스, 교사의 비밀 환경 변수·파일).
2. 여러 가지 제출 (해답, 빈 답, 문법 오류, 예외, 무한 루프, C 안에서 멈춤, 커널 종료, 메모리, 큰 출력, 파일 쓰기,
   깨진 파일들, CSV 주입, 숨은 점검과 채점 시드).
3. 헛경보: 저장소의 모든 해답을 실제 연습으로 채점하면 모두 100점, review 없음.
4. root가 아닌 사용자로 채점 (그 사용자가 파이썬을 읽을 수 있을 때만).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "grading_data"))
import graderkit as kit  # noqa: E402

from tools import build_exercises as bx  # noqa: E402
from tools import grade, nbutil  # noqa: E402
from tools.grading import audit, report, sandbox  # noqa: E402
from tools.grading.submission import clean_text  # noqa: E402

pytestmark = pytest.mark.skipif(
    os.environ.get("COURSE_GRADER_SECURITY") != "1",
    reason="COURSE_GRADER_SECURITY=1일 때만 (make test-grader-security)",
)
SANDBOX = sandbox.probe() == ""
TIMEOUT = 20


def _hashes(folder: Path) -> dict:
    out = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode) and info.st_size < 64 * 1024 * 1024:
            out[path.relative_to(folder)] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[path.relative_to(folder)] = (stat.S_IFMT(info.st_mode), info.st_size)
    return out


def _collect(checks, graded) -> None:
    failures = []
    for check in checks:
        try:
            check(graded)
        except AssertionError as err:
            failures.append(f"{check.__name__}: {err}")
    assert not failures, "\n\n".join(failures)


# --- 1. 조작 수법 전부 ------------------------------------------------------------------------
def test_every_attack_gets_the_outcome_a_trustworthy_grader_must_give(tmp_path, monkeypatch):
    if not SANDBOX:
        pytest.skip(f"bubblewrap을 쓸 수 없습니다: {sandbox.probe()}")
    token = secrets.token_hex(6)
    exercises, solutions = kit.course(tmp_path / "course")
    folder = tmp_path / "submissions"
    folder.mkdir()
    canary = tmp_path / f"{token}_canary.txt"  # 샌드박스 밖의 비밀 (저장소가 /tmp 아래에 있을 때와 같은 자리)
    canary.write_text(f"교사의 비밀 {token}", encoding="utf-8")
    home_canary = Path.home() / f"{token}_canary.txt"
    home_canary.write_text(f"교사의 비밀 {token}", encoding="utf-8")
    monkeypatch.setenv("COURSE_TEACHER_TOKEN", token)  # 교사가 설정해 둔 토큰 (커널에 넘어가면 안 됨)
    listener = kit.Listener()
    cases = {}
    try:
        for trick in kit.TRICKS:
            expect = kit.expectation(trick)
            name = f"tricks/{trick.stem}.ipynb"
            kit.write(folder, name, kit.with_trick(trick, exercises, token, listener.port, canary))
            cases[name] = expect
        kit.write(folder, "honest/homework.ipynb", kit.solved())
        before = _hashes(folder)
        results, out = kit.grade_folder(
            folder,
            exercises,
            solutions,
            timeout=TIMEOUT,
            max_output_bytes=1024 * 1024,
            memory_bytes=4 * 1024**3,
            grading_seed=2,
        )
    finally:
        listener.close()
        home_canary.unlink(missing_ok=True)
    escaped = [p for p in kit.escape_targets(token) if p.exists()]
    for path in escaped:
        path.unlink()
    graded = {
        "cases": cases,
        "results": {r.path: r for r in results},
        "out": out,
        "token": token,
        "before": before,
        "after": _hashes(folder),
        "connections": listener.connections,
        "escaped": escaped,
        "processes": kit.processes_with(token),
        "canary": canary.read_text(encoding="utf-8"),
    }
    _collect(TRICK_CHECKS, graded)


def _feedback_for(graded, name: str) -> str:
    feedback = graded["out"] / "feedback" / report.feedback_name(name)
    return feedback.read_text(encoding="utf-8")


def _check_each_trick(graded):
    problems = []
    for name, expect in graded["cases"].items():
        r = graded["results"][name]
        if r.status != expect["status"]:
            problems.append(f"{name}: 상태 {r.status} (기대 {expect['status']}): {r.detail}")
        if "passed_max" in expect and r.passed > expect["passed_max"]:
            problems.append(f"{name}: 통과 {r.passed} > {expect['passed_max']}")
        for category in expect.get("runtime", []):
            text = "커널 감사: " + audit.RUNTIME_TEXT[category]
            if not any(t.startswith(text) for t in r.tamper):
                problems.append(f"{name}: 커널 감사가 '{category}'를 보고하지 않음: {r.tamper}")
        if "detail_has" in expect and expect["detail_has"] not in r.detail:
            problems.append(f"{name}: detail에 {expect['detail_has']!r} 없음: {r.detail}")
        written = _feedback_for(graded, name) + r.detail
        for text in expect.get("note_lacks", []):
            if text.replace("TOKEN", graded["token"]) in written:
                problems.append(f"{name}: 피드백에 {text!r}이(가) 나옴")
    assert not problems, "\n".join(problems)


def _check_honest_answer_is_not_flagged(graded):
    honest = graded["results"]["honest/homework.ipynb"]
    assert (honest.status, honest.passed, honest.tamper) == ("ok", 5, []), (honest.status, honest.detail)


def _check_nothing_outside_the_sandbox_changed(graded):
    assert graded["escaped"] == []  # 저장소, 홈, /root, /tmp, /dev/shm 어디에도 쓰지 못함
    assert graded["connections"] == 0  # 채점하는 쪽의 포트에 닿지 못함 (--unshare-net)
    assert graded["processes"] == []  # 띄운 프로세스가 남지 않음 (PID 이름공간)
    assert graded["canary"] == f"교사의 비밀 {graded['token']}"
    assert graded["before"] == graded["after"]  # 제출 폴더는 그대로


def _check_no_secret_reaches_the_sheet(graded):
    everything = kit.everything_written(graded["out"])
    assert graded["token"] not in everything  # 교사의 환경 변수, 홈과 /tmp의 비밀 파일
    assert kit.HIDDEN_MARK not in everything  # 숨은 점검의 코드와 메시지
    assert "LEAK" not in everything and "ESCAPE" not in everything


def _check_resource_limits_held(graded):
    notes = " ".join(graded["results"]["tricks/t22_resource_limits.ipynb"].notes)
    found = re.search(r"LIMITS tmp=(\d+) shm=(\d+) work=(\d+) forks=(\d+)", notes)
    assert found, notes
    tmp, shm, work, forks = map(int, found.groups())
    assert tmp <= 256 and shm <= 128 and work <= 256, (tmp, shm, work)  # tmpfs 크기 제한
    assert forks < 300, forks  # 프로세스 수 제한 (RLIMIT_NPROC)


TRICK_CHECKS = [
    _check_each_trick,
    _check_honest_answer_is_not_flagged,
    _check_nothing_outside_the_sandbox_changed,
    _check_no_secret_reaches_the_sheet,
    _check_resource_limits_held,
]


# --- 2. 여러 가지 제출 ------------------------------------------------------------------------
def _cases(folder: Path, exercises: Path) -> dict:
    cases = {}

    def add(name, content, status, passed):
        kit.write(folder, name, content)
        cases[name] = (status, passed)

    add(kit.SOLUTION.name, kit.solution_text(), "review", 5)  # 공개된 해답 (이름, 표시, 내용)
    add(f"blank_{kit.SET}_exercises.ipynb", kit.exercise(), "ok", 0)
    add("half.ipynb", kit.filled(kit.answers()[:2]), "ok", 2)
    add("tampered.ipynb", kit.tampered(kit.filled(kit.answers()[:2])), "ok", 2)
    add("syntax_error.ipynb", kit.solved((5, "heights_shared = (\nprint('끝')")), "ok", 4)
    add("exception.ipynb", kit.solved((5, "raise ValueError('학생 코드의 예외')")), "ok", 4)
    add("loop.ipynb", kit.solved((2, "while True:\n    pass")), "timeout", 1)
    add("c_sleep.ipynb", kit.solved((3, "import ctypes\nctypes.CDLL(None).sleep(600)")), "review", 2)
    add("exit.ipynb", kit.solved((2, "import os\nos._exit(1)")), "kernel_died", 1)
    hog = "import numpy as np\nhog = np.empty(6 * 1024**3, dtype=np.uint8)"  # 주소 공간 제한으로 MemoryError
    add("memory_hog.ipynb", kit.solved((2, hog)), "ok", 2)
    add("big_output.ipynb", kit.solved((2, "for _ in range(100_000):\n    print('x' * 1000)")), "output_too_large", 1)
    writes = kit.solved()
    code = "import pathlib\npathlib.Path('written.txt').write_text('학생이 쓴 파일')\n"
    code += "for p in pathlib.Path('/').glob('**/*.ipynb'):\n    p.write_text('덮어씀')\n"
    writes.cells.insert(3, kit.nbformat.v4.new_code_cell(code + "def helper():\n    return 1"))
    add("writes_files.ipynb", writes, "ok", 5)
    unknown = kit.solved()
    unknown.metadata["course"] = {"exercise_set": "99_nothing"}
    add("unknown_set.ipynb", unknown, "unknown_set", 0)
    add("invalid_json.ipynb", '{"cells": [', "invalid_notebook", 0)
    add("binary.ipynb", "\x00\x01\x02", "invalid_notebook", 0)
    add("deep.ipynb", '{"cells": ' + "[" * 100_000 + "]" * 100_000 + ', "nbformat": 4}', "invalid_notebook", 0)
    with open(folder / "sparse.ipynb", "wb") as f:
        f.truncate(16 * 1024**3)
    cases["sparse.ipynb"] = ("invalid_notebook", 0)
    with open(folder / "sparse-video.mp4", "wb") as f:
        f.truncate(16 * 1024**3)
    add('=HYPERLINK("evil.example","x")/a.ipynb', kit.solved(variant=1), "ok", 5)
    name = os.fsdecode(b"\xff\xfe-\xe3\x85.ipynb")
    kit.write(folder, name, kit.solved(variant=2))
    cases[clean_text(name)] = ("ok", 5)

    def double(body):
        return kit.synthetic_answer(exercises, kit.HIDDEN_SET, f"def double(x):\n    return {body}")

    blank = kit.synthetic_answer(exercises, kit.HIDDEN_SET, None)
    add(f"hidden/blank_{kit.HIDDEN_SET}.ipynb", blank, "ok", 1)  # 문제 3은 시드만 봅니다
    add(f"hidden/right_{kit.HIDDEN_SET}.ipynb", double("2 * x"), "ok", 3)
    add(f"hidden/overfit_{kit.HIDDEN_SET}.ipynb", double("{2: 4, 0: 0}.get(x, 0)"), "ok", 1)
    seed_body = "def double(x):\n    return 2 * x\nimport helper_functions\nhelper_functions._set_grading_seed(1)"
    add(f"hidden/seed_{kit.HIDDEN_SET}.ipynb", kit.synthetic_answer(exercises, kit.HIDDEN_SET, seed_body), "review", 3)
    forbid = kit.synthetic_answer(exercises, kit.FORBID_SET, "def sig(z):\n    return 1 / (1 + torch.exp(-z))")
    add(f"forbid/right_{kit.FORBID_SET}.ipynb", forbid, "ok", 1)
    banned = kit.synthetic_answer(exercises, kit.FORBID_SET, "def sig(z):\n    return torch.sigmoid(z)")
    add(f"forbid/banned_{kit.FORBID_SET}.ipynb", banned, "ok", 0)
    return cases


def test_a_class_of_ordinary_and_broken_submissions(tmp_path):
    exercises, solutions = kit.course(tmp_path / "course")
    folder = tmp_path / "submissions"
    folder.mkdir()
    cases = _cases(folder, exercises)
    before = _hashes(folder)
    results, out = kit.grade_folder(
        folder,
        exercises,
        solutions,
        timeout=TIMEOUT,
        max_output_bytes=1024 * 1024,
        memory_bytes=4 * 1024**3,
        grading_seed=4,
    )
    graded = {"cases": cases, "results": {r.path: r for r in results}, "out": out, "before": before}
    graded["after"] = _hashes(folder)
    _collect(CASE_CHECKS, graded)


def _check_statuses(graded):
    results = graded["results"]
    got = {n: (results[n].status, results[n].passed) for n in graded["cases"] if n in results}
    assert got == graded["cases"], {
        n: (results[n].status, results[n].detail) for n in got if got[n] != graded["cases"][n]
    }


def _check_files_untouched(graded):
    assert graded["before"] == graded["after"]


def _check_messages(graded):
    results = graded["results"]
    assert any("답 셀 2 ([점검] 문제 2의 답)의 오류: MemoryError" in n for n in results["memory_hog.ipynb"].notes)
    assert any("ValueError: 학생 코드의 예외" in n for n in results["exception.ipynb"].notes)
    c_sleep = results["c_sleep.ipynb"].detail
    assert "실행 상태: timeout" in c_sleep and "멈춘 곳: 답 셀 3" in c_sleep
    assert "너무 깊게" in results["deep.ipynb"].detail and "너무 큽니다" in results["sparse.ipynb"].detail
    seed = results[f"hidden/seed_{kit.HIDDEN_SET}.ipynb"]
    assert seed.checks[2]["passed"]  # 학생이 바꾼 시드가 아니라 채점 시드(짝수)로 숨은 점검이 돕니다


def _check_csv(graded):
    with open(graded["out"] / "grades.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {row["student"] for row in rows} >= {'\'=HYPERLINK("evil.example","x")'}
    assert all(row["grading_seed"] == "4" for row in rows)


CASE_CHECKS = [_check_statuses, _check_files_untouched, _check_messages, _check_csv]


# --- 3. 헛경보: 저장소의 모든 해답 -------------------------------------------------------------
def test_every_real_solution_scores_full_marks_without_review(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    exercises, solutions = tmp_path / "exercises", tmp_path / "solutions"
    solutions.mkdir()
    exercises.mkdir()
    for solution in nbutil.notebook_paths("solutions"):
        shutil.copyfile(solution, folder / solution.name)
        shutil.copyfile(solution, solutions / solution.name)
    bx.build_all(solutions=sorted(solutions.glob("*.ipynb")))  # 연습은 해답에서 새로 (make exercises와 같게)
    memory = 0 if sandbox.gpu_devices() else 6 * 1024**3
    options = grade.Options(exercises=exercises, solutions=solutions, timeout=120, memory_bytes=memory)
    results = grade.grade(folder, options)
    # 해답 그대로이므로 '공개된 해답으로 보임'(flags: solution)으로 review이지만, 조작 의심은 하나도 없어야 합니다
    bad = {
        r.path: (r.status, r.score, r.flags, r.detail)
        for r in results
        if (r.status, r.score, r.flags, r.tamper) != ("review", 100.0, ["solution"], [])
    }
    assert not bad, bad


# --- 4. root가 아닌 사용자 ---------------------------------------------------------------------
def _readable_by_others(path: Path) -> bool:
    path = Path(os.path.realpath(path))
    for part in [*reversed(path.parents), path]:
        mode = part.stat().st_mode
        if not mode & (stat.S_IROTH if part.is_file() else stat.S_IXOTH):
            return False
    return True


def test_grading_as_an_unprivileged_user():
    """root가 아닌 사용자(nobody)로: bubblewrap이 사용자 이름공간에서 돌고, 같은 공격이 같은 결과를 냅니다."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("root에서 setpriv로 nobody가 되어 봅니다")
    needed = [Path(sys.executable), nbutil.ROOT / "tools" / "grade.py", *sandbox.python_paths()]
    if not all(_readable_by_others(p) for p in needed):
        pytest.skip("nobody가 이 파이썬이나 저장소를 읽을 수 없습니다 (예: /root 아래의 pyenv)")
    tmp_path = Path(tempfile.mkdtemp(prefix="grade-unprivileged-"))  # pytest의 폴더는 root만 들어갈 수 있음
    exercises, solutions = kit.course(tmp_path / "course")
    folder = tmp_path / "submissions"
    for trick in (
        "t13_type_setattr_library_class",
        "t21_mount_and_namespace_escape",
        "t18_forge_result_and_kill_parent",
    ):
        kit.write(
            folder, f"{trick}.ipynb", kit.with_trick(kit.HERE / "tricks" / f"{trick}.py", exercises, "tok", 1, tmp_path)
        )
    kit.write(folder, "honest.ipynb", kit.solved())
    home = tmp_path / "home"
    home.mkdir()
    for path in (tmp_path, home):
        os.chmod(path, 0o777)
    for path in tmp_path.rglob("*"):
        os.chmod(path, 0o777 if path.is_dir() else 0o666)
    out = tmp_path / "out" / "grades.csv"
    cmd = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", sys.executable, "-m", "tools.grade"]
    cmd += [str(folder), "--out", str(out), "--exercises", str(exercises), "--solutions", str(solutions)]
    cmd += ["--sandbox", "required", "--timeout", str(TIMEOUT)]
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    done = subprocess.run(cmd, cwd=nbutil.ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = {row["file"]: row for row in csv.DictReader(f)}
    assert rows["honest.ipynb"]["status"] == "ok" and rows["honest.ipynb"]["score"] == "100.0"
    for trick in (
        "t13_type_setattr_library_class",
        "t21_mount_and_namespace_escape",
        "t18_forge_result_and_kill_parent",
    ):
        assert rows[f"{trick}.ipynb"]["status"] == "review", rows[f"{trick}.ipynb"]
    assert "ESCAPE" not in out.with_name("grades_feedback").joinpath(
        report.feedback_name("t21_mount_and_namespace_escape.ipynb")
    ).read_text(encoding="utf-8")
    assert rows["t18_forge_result_and_kill_parent.ipynb"]["passed"] == "0"
    shutil.rmtree(tmp_path, ignore_errors=True)


# --- 5. 실제 반처럼 (issue 22): 명단, 해답 파일, 베낀 짝, NFD 이름, 빈 답, 문법 오류, 무한 반복, 비공개 점검
PRIVATE_01 = """# 교사의 비공개 점검 (저장소 밖에 둡니다)
# [점검] 문제 1
from helper_functions import grading_seed
_g = torch.Generator().manual_seed(grading_seed())
_z = torch.randn(50, generator=_g) * 10
assert torch.allclose(my_sigmoid(_z), torch.sigmoid(_z), atol=1e-6), "비공개 점검의 메시지-9c1e"
"""


def test_a_realistic_class_with_roster_private_tests_and_regrade(tmp_path):
    import unicodedata

    import realistic

    exercises, solutions = realistic.course(tmp_path / "course")
    folder = tmp_path / "submissions"
    expected = realistic.build_class(folder)
    # 비공개 점검이 문제 1에 숨은 점검을 더하므로, 시간 초과로 숨은 점검까지 가지 못한 제출은 문제 1도 통과가 아님
    expected[f"20240008_임채원/{realistic.EXERCISE_NAME}"] = ("timeout", 2)
    private = tmp_path / "private"
    private.mkdir()
    (private / "01_중간.py").write_text(PRIVATE_01, encoding="utf-8")
    out = tmp_path / "grades" / "grades.csv"
    course = ["--exercises", str(exercises), "--solutions", str(solutions)]
    args = [str(folder), "--out", str(out), "--roster", str(realistic.ROSTER), "--hidden", str(private)]
    assert grade.main(args + course + ["--timeout", str(TIMEOUT + 10), "--seed", "5"]) == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = {row["file"] or row["name"]: row for row in csv.DictReader(f)}
    feedback = {p.name: p.read_text(encoding="utf-8") for p in out.with_name("grades_feedback").iterdir()}

    def fb(file):
        return feedback[report.feedback_name(file)]

    problems = []
    for file, (status, passed) in expected.items():
        row = rows.get(file)
        if row is None or row["status"] != status or (passed is not None and row["passed"] != str(passed)):
            problems.append((file, row and (row["status"], row["passed"], row["detail"])))
    assert not problems, problems
    kim, park = (f"2024000{k}_{n}/{realistic.EXERCISE_NAME}" for k, n in ((1, "김민수"), (3, "박지훈")))
    assert rows[kim]["same_answers_as"] == park and rows[park]["same_answers_as"] == kim  # 베낀 짝
    assert rows[kim]["flags"] == "copy" and "답 셀이 같" not in fb(kim)  # 학생 피드백에는 적지 않음
    solution = rows[f"20240005_정하늘/{realistic.SET}_solutions.ipynb"]
    assert (
        solution["flags"] == "solution"
        and "파일 이름" in solution["detail"]
        and "해답 노트북에만" in solution["detail"]
    )
    assert rows["신예준"]["status"] == "missing" and rows["신예준"]["score"] == "" and rows["신예준"]["student_id"]
    assert rows["20240011_서하은/숙제.ipynb"]["score"] == ""
    nfd = rows[f"20240004_최유진/{realistic.EXERCISE_NAME}"]  # macOS(NFD) 폴더 이름도 명단과 맞음
    assert nfd["student_id"] == "20240004" and nfd["student"] == unicodedata.normalize("NFC", realistic.NFD_FOLDER)
    assert all(row["student_id"] for row in rows.values()), "명단의 학생과 맞지 않은 줄"
    assert [rows[kim][f"01.{k} 문제 {k}"] for k in range(1, 6)] == ["1"] * 5 and rows[kim]["points"] == "6"
    blank = fb(f"20240006_강다은/{realistic.EXERCISE_NAME}")
    assert (
        blank.count("아직 풀지 않았습니다") == 5 and "숨은 점검 1:" not in blank
    )  # 풀지 않은 문제에 숨은 점검 경보 없음
    assert "숨은 점검 1: 통과" in fb(kim)  # 비공개 점검이 숨은 점검으로 돌았음
    syntax = fb(f"20240007_윤서준/{realistic.EXERCISE_NAME}")
    assert "문법 오류" in syntax and "이름 `my_bce`" in syntax and not re.search(r"\d+\.py", syntax), syntax
    loop = fb(f"20240008_임채원/{realistic.EXERCISE_NAME}")
    assert "답 셀 4" in loop and "끝나지 않는 반복문" in loop and "상태: 시간 제한 초과로 중단" in loop
    assert "원래 점검으로 채점" in fb(f"20240010_오민재/{realistic.EXERCISE_NAME}")
    assert "파일 이름에 연습 이름이나 두 자리 번호" in fb("20240011_서하은/숙제.ipynb")
    everything = kit.everything_written(out.parent)
    assert "비공개 점검의 메시지-9c1e" not in everything and "randn(50" not in everything  # 비공개 점검은 새지 않음
    assert {row["grading_seed"] for row in rows.values() if row["status"] != "missing"} == {"5"}

    # 서하은이 파일 이름을 고쳐 다시 냈습니다: 그 학생만 다시 채점해 그 줄만 바꿉니다 (시드는 점수표의 것)
    (folder / "20240011_서하은" / "숙제.ipynb").rename(folder / "20240011_서하은" / "01_서하은.ipynb")
    regrade = ["regrade", str(folder / "20240011_서하은"), "--out", str(out), "--hidden", str(private)]
    assert grade.main(regrade + course + ["--timeout", str(TIMEOUT + 10)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        after = {row["file"] or row["name"]: row for row in csv.DictReader(f)}
    assert len(after) == len(rows) and "20240011_서하은/숙제.ipynb" not in after
    again = after["20240011_서하은/01_서하은.ipynb"]
    assert (again["status"], again["passed"], again["student_id"], again["grading_seed"]) == (
        "ok",
        "6",
        "20240011",
        "5",
    )
    assert {k: v for k, v in after.items() if "서하은" not in k} == {k: v for k, v in rows.items() if "서하은" not in k}


def test_classroom_command_gives_full_and_zero_points(tmp_path):
    """GitHub Classroom 작업이 부르는 명령 그대로(--sandbox required): 푼 노트북은 만점, 빈 노트북은 0점."""
    import base64
    import json

    import realistic

    if not SANDBOX:
        pytest.skip(f"bubblewrap을 쓸 수 없습니다: {sandbox.probe()}")
    exercises, solutions = realistic.course(tmp_path / "course")
    course = ["--exercises", str(exercises), "--solutions", str(solutions)]
    got = {}
    for name, nb in (("solved", realistic.filled(realistic.answers(1, 1, 0, 1, 1))), ("blank", realistic.exercise())):
        repo = tmp_path / name
        kit.write(repo, "과제.ipynb", nb)
        output, summary = tmp_path / f"{name}.output", tmp_path / f"{name}.md"
        args = [
            "classroom",
            str(repo),
            "--set",
            "01",
            "--sandbox",
            "required",
            "--out",
            str(tmp_path / name / ".." / f"{name}.csv"),
        ]
        args += ["--github-output", str(output), "--summary", str(summary), "--timeout", str(TIMEOUT + 10)]
        assert grade.main(args + course) == 0
        line = output.read_text(encoding="utf-8").strip()
        assert line.startswith("result=")
        payload = json.loads(base64.b64decode(line[len("result=") :]))
        got[name] = (sum(t["score"] for t in payload["tests"]), payload["max_score"], payload["status"])
        assert "# 자동 채점 결과" in summary.read_text(encoding="utf-8")
    assert got == {"solved": (6, 6, "pass"), "blank": (0, 6, "fail")}, got


def test_container_recipe_runs_its_grading_command(tmp_path):
    """Docker 엔진이 없는 기계에서도 시험할 수 있는 것: Dockerfile이 쓰는 파일이 있고, 스크립트의 문법이 맞고,
    컨테이너의 시작 명령(classroom/container/grade.sh)이 그대로 채점한다 (이 기계의 bubblewrap으로)."""
    import realistic

    root = nbutil.ROOT / "classroom"
    dockerfile = (root / "container" / "Dockerfile").read_text(encoding="utf-8")
    for path in re.findall(r"/course/(classroom/\S+\.sh)", dockerfile):
        assert (nbutil.ROOT / path).is_file(), path
    for script in [*root.rglob("*.sh")]:
        assert subprocess.run(["bash", "-n", str(script)]).returncode == 0, script
    if not SANDBOX:
        pytest.skip(f"bubblewrap을 쓸 수 없습니다: {sandbox.probe()}")
    exercises, solutions = realistic.course(tmp_path / "course")
    submissions, grades = tmp_path / "submissions", tmp_path / "grades"
    kit.write(submissions, f"kim/{realistic.EXERCISE_NAME}", realistic.exercise())
    kit.write(submissions, "lee/broken.ipynb", "{")
    grades.mkdir()
    (grades / "roster.csv").write_text("학번,이름\n1,kim\n2,lee\n3,park\n", encoding="utf-8")
    env = {**os.environ, "PYTHON": sys.executable, "SUBMISSIONS": str(submissions), "GRADES": str(grades)}
    env["HIDDEN"] = str(tmp_path / "no-private")
    extra = ["--exercises", str(exercises), "--solutions", str(solutions), "--timeout", str(TIMEOUT + 10)]
    done = subprocess.run(
        ["bash", str(root / "container" / "grade.sh"), *extra], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    with open(grades / "grades.csv", encoding="utf-8-sig", newline="") as f:
        rows = {row["name"]: row for row in csv.DictReader(f)}
    assert {n: r["status"] for n, r in rows.items()} == {"kim": "ok", "lee": "invalid_notebook", "park": "missing"}
    assert rows["kim"]["isolation"] == "bubblewrap"


# --- 6. 레드팀 공격 (tests/grading_data/redteam, issue 19 §3) --------------------------------------
# 552e43e에 통한 공격들: 파일마다 믿을 수 있는 채점 도구가 내야 할 결과가 적혀 있습니다. 아직 막지 못한 것은
# xfail(strict)로 두어, 막으면 테스트가 알려 줍니다 (README의 교사용 안내에도 그대로 적습니다).
REDTEAM = kit.HERE / "redteam"
REDTEAM_XFAIL: dict[str, str] = {}


def _redteam_files() -> list[Path]:
    return sorted(p for p in REDTEAM.glob("r*") if p.suffix in (".py", ".ipy"))


def _redteam_content() -> list[Path]:
    return [p for p in _redteam_files() if "\n# expect:" in p.read_text(encoding="utf-8")]


def _redteam_param(stem: str):
    marks = [pytest.mark.xfail(strict=True, reason=REDTEAM_XFAIL[stem[:3]])] if stem[:3] in REDTEAM_XFAIL else []
    return pytest.param(stem, marks=marks, id=stem[:3])


@pytest.fixture(scope="module", params=["zygote", "plain"])
def redteam(request, tmp_path_factory):
    """노트북 내용 공격 전부를 한 번에 채점 (memory_mb가 있는 것은 그 메모리 제한으로 따로) + 정직한 답 하나.

    두 길로: 미리 불러 둔 zygote에서 갈라 낸 커널(root + bubblewrap의 기본)과 제출마다 새로 띄운 커널(--no-preload).
    """
    if not SANDBOX:
        pytest.skip(f"bubblewrap을 쓸 수 없습니다: {sandbox.probe()}")
    base = tmp_path_factory.mktemp("redteam")
    exercises, solutions = kit.course(base / "course")
    groups: dict[int, list[Path]] = {}
    for path in _redteam_content():
        groups.setdefault(int(kit.expectation(path).get("memory_mb", 4096)), []).append(path)
    graded = {}
    for memory_mb, paths in sorted(groups.items()):
        folder = base / f"submissions-{memory_mb}"
        folder.mkdir()
        for path in paths:
            kit.write(folder, f"{path.stem}.ipynb", kit.with_trick(path, exercises, "tok", 1, base / "canary"))
        if memory_mb == 4096:
            kit.write(folder, "honest.ipynb", kit.solved())
        results, out = kit.grade_folder(
            folder,
            exercises,
            solutions,
            timeout=TIMEOUT,
            max_output_bytes=1024 * 1024,
            memory_bytes=memory_mb * 1024**2,
            grading_seed=2,
            preload=request.param == "zygote",
        )
        for r in results:
            feedback = (out / "feedback" / report.feedback_name(r.path)).read_text(encoding="utf-8")
            graded[Path(r.path).stem] = (r, feedback)
    return graded


@pytest.mark.parametrize("stem", [_redteam_param(p.stem) for p in _redteam_content()])
def test_red_team_attack_gets_a_trustworthy_outcome(redteam, stem):
    expect = kit.expectation(next(p for p in _redteam_content() if p.stem == stem))
    r, feedback = redteam[stem]
    problems = []
    if r.status != expect["status"]:
        problems.append(f"상태 {r.status} (기대 {expect['status']}): {r.detail}")
    if "passed_max" in expect and r.passed > expect["passed_max"]:
        problems.append(f"통과 {r.passed} > {expect['passed_max']}")
    for text in expect.get("note_lacks", []):
        if text in feedback + r.detail:
            problems.append(f"피드백에 {text!r}이(가) 나옴")
    assert not problems, "\n".join(problems)


def test_red_team_honest_answer_is_not_flagged(redteam):
    honest, _ = redteam["honest"]
    assert (honest.status, honest.passed, honest.tamper) == ("ok", 5, []), (honest.status, honest.detail)


def _redteam_constants(stem: str) -> dict:
    namespace: dict = {}
    exec((REDTEAM / f"{stem}.py").read_text(encoding="utf-8"), namespace)  # 상수만 있는 파일 (FILES/RUN/EXPECT)
    return namespace


def test_every_red_team_file_is_wired():
    """레드팀 파일마다 테스트가 있습니다: `# expect:` 파일은 위의 매개변수 테스트, 나머지는 아래의 폴더 배치 테스트."""
    folder_attacks = {"r05", "r07", "r14"}
    for path in _redteam_files():
        assert path in _redteam_content() or path.stem[:3] in folder_attacks, path.name


@pytest.mark.skipif(not SANDBOX, reason="bubblewrap이 필요합니다")
def test_red_team_r05_display_name_collisions_survive_shards_and_merge(tmp_path):
    constants = _redteam_constants("r05_merge_display_name_collision")
    exercises, solutions = kit.course(tmp_path / "course")
    folder = tmp_path / "submissions"
    for raw in constants["FILES"]:
        path = Path(os.fsdecode(bytes(folder)) + "/" + os.fsdecode(raw))
        kit.write(path.parent, path.name, kit.exercise())
    course = ["--exercises", str(exercises), "--solutions", str(solutions), "--timeout", str(TIMEOUT), "--seed", "3"]
    parts = []
    for k in (1, 2):
        part = tmp_path / "grades" / f"part-{k}.csv"
        assert grade.main([str(folder), "--out", str(part), "--shard", f"{k}/2", *course]) == 0
        parts.append(str(part))
    out = tmp_path / "grades" / "grades.csv"
    expect = constants["EXPECT"]
    assert grade.main(["merge", *parts, "--out", str(out)]) == expect["merge_returncode"]
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == expect["rows"] and len({row["file"] for row in rows}) == expect["distinct_file_values"], rows
    feedback = list(out.with_name("grades_feedback").iterdir())
    assert len({p.name for p in feedback}) == expect["distinct_feedback_files"], feedback


@pytest.mark.skipif(not SANDBOX or os.geteuid() != 0, reason="root로 bubblewrap 채점할 때만 (uid를 고름)")
def test_red_team_r07_concurrent_jobs_never_share_a_uid(tmp_path, monkeypatch):
    constants = _redteam_constants("r07_shared_uid_process_quota")
    monkeypatch.setattr(sandbox, "pick_uid", lambda: constants["RUN"]["pick_uid"])  # 무작위가 늘 같은 uid를 고른다면
    exercises, solutions = kit.course(tmp_path / "course")
    folder = tmp_path / "submissions"

    def inserted(nb, code):
        position = next(i for i, c in enumerate(nb.cells) if "import torch" in c.source) + 1
        nb.cells.insert(position, kit.nbformat.v4.new_code_cell(code))
        return nb

    kit.write(folder, "a_attacker.ipynb", inserted(kit.exercise(), constants["ATTACKER"]))
    kit.write(folder, "b_blank.ipynb", kit.exercise())
    kit.write(folder, "c_victim.ipynb", inserted(kit.solved(), constants["VICTIM"]))
    results, _ = kit.grade_folder(
        folder,
        exercises,
        solutions,
        timeout=60,
        memory_bytes=4 * 1024**3,
        grading_seed=2,
        jobs=constants["RUN"]["jobs"],
    )
    victim = next(r for r in results if r.path == "c_victim.ipynb")
    assert constants["EXPECT"]["victim_note_lacks"] not in " ".join(victim.notes) + victim.detail, victim.notes
    assert victim.passed == 5, (victim.status, victim.detail, victim.notes)


@pytest.mark.skipif(not SANDBOX, reason="bubblewrap이 필요합니다")
def test_red_team_r14_file_name_and_metadata_disagree(tmp_path):
    constants = _redteam_constants("r14_other_exercise_by_metadata")
    exercises, solutions = kit.course(tmp_path / "course")
    folder = tmp_path / "submissions"
    (name,) = constants["FILES"]
    nb = kit.solved()
    nb.metadata["course"] = {"exercise_set": kit.SET}
    kit.write(folder / Path(name).parent, Path(name).name, nb)
    results, _ = kit.grade_folder(folder, exercises, solutions, timeout=TIMEOUT, memory_bytes=4 * 1024**3)
    (r,) = results
    assert r.status == constants["EXPECT"]["status"] and "mismatch" in r.flags, (r.status, r.detail)
    assert "06" in r.detail, r.detail
