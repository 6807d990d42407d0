"""채점 도구 테스트(tests/test_grade.py, tests/test_grader_security.py)가 함께 쓰는 도구.

- 작은 강좌: 연습 00(해답 고정본 tests/grading_data/00_..._solutions.json에서 빌드 도구로), 숨은 점검과 채점
  시드를 쓰는 합성 연습 98, forbid_ops를 쓰는 합성 연습 97, watch_training()의 훈련 기록을 쓰는 합성 연습 96.
- 제출 만들기: 푼 답, 빈 답, 일부만 바꾼 답, 조작 수법(tricks/*.py) 끼워 넣기.
- 조작 수법 파일의 `# expect: {...}` 줄: 믿을 수 있는 채점 도구가 내야 할 결과 (JSON).
    status       기대 상태 (기본 "review")
    set          연습 ("00", "96", "97", "98"; 기본 "00")
    mode         "insert"(가져오기 셀 뒤에 셀 하나로 끼움, 기본) 또는 "answer"(답 셀 1을 이 코드로)
    passed_max   통과한 점검 수의 상한
    runtime      커널 감사(런타임)가 보고해야 하는 종류 (kernel_side.CATEGORIES의 이름)
    runtime_only true면 정적 검사는 아무것도 찾지 못해야 함 (행동만으로 찾는다는 증거)
    detail_has   detail에 있어야 하는 글자
    note_lacks   피드백·CSV 어디에도 없어야 하는 글자 (예: "LEAK", "ESCAPE")
    sandbox_only true면 샌드박스가 없을 때 돌리지 않음 (정말로 밖을 건드리므로)
  자리표시: TOKEN(실행마다 무작위), PORT(채점하는 쪽의 포트), CANARY(샌드박스 밖의 비밀 파일 경로).
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import socket
import threading
from pathlib import Path

import nbformat

from tools import build_exercises as bx
from tools import grade, nbutil

HERE = Path(__file__).resolve().parent
SET = "00_environment_and_tensors"
EXERCISE = nbutil.ROOT / "exercises" / f"{SET}_exercises.ipynb"
SOLUTION_FILE = HERE / f"{SET}_solutions.json"  # 해답 00의 고정본 (강의가 바뀌어도 기대값은 그대로)
SOLUTION = nbutil.ROOT / "solutions" / f"{SET}_solutions.ipynb"  # 이름만 씁니다
TRICKS = sorted((HERE / "tricks").glob("t*.py"))
HIDDEN_SET = "98_hidden_demo"
FORBID_SET = "97_forbid_demo"
HIDDEN_MARK = "비밀-표시-7f3a"  # 숨은 점검 코드에만 있는 글자: 피드백에 나오면 새어 나간 것
HIDDEN_SOLUTION = [
    "import random",
    "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
    "# [점검] 문제 1\nassert double(2) == 4, 'double(2)는 4여야 합니다.'\n### BEGIN HIDDEN TESTS\n"
    f"# {HIDDEN_MARK}\nfrom helper_functions import grading_seed\nrng = random.Random(grading_seed())\n"
    f"for x in [rng.randint(100, 999) for _ in range(5)]:\n    assert double(x) == 2 * x, f'{HIDDEN_MARK} {{x}}'\n"
    "### END HIDDEN TESTS\nprint('문제 1 통과')",
    "# [점검] 문제 2\nassert double(0) == 0, 'double(0)은 0이어야 합니다.'\n### BEGIN HIDDEN TESTS\n"
    f"assert double(-3) == -6, '{HIDDEN_MARK} 2'\n### END HIDDEN TESTS\n### BEGIN HIDDEN TESTS\n"
    f"assert double(0.5) == 1.0, '{HIDDEN_MARK} 3'\n### END HIDDEN TESTS",
    # 숨은 점검이 채점 시드(학생 코드가 모두 끝난 뒤에 정해짐)를 받는지: 짝수 시드에서만 통과
    "# [점검] 문제 3\nassert callable(double), 'double이 없습니다.'\n### BEGIN HIDDEN TESTS\n"
    f"from helper_functions import grading_seed\nassert grading_seed() % 2 == 0, '{HIDDEN_MARK} 시드'\n"
    "### END HIDDEN TESTS",
]
RECORD_SET = "96_record_demo"
RECORD_SOLUTION = [  # 강좌 모듈의 watch_training(): 점검이 "무엇으로 훈련했나"를 봅니다 (연습 02-05처럼)
    "import torch\nfrom torch import nn\nimport helper_functions\n\n"
    "training_record = helper_functions.watch_training()",
    "X_train = torch.linspace(-2, 2, 40).reshape(20, 2)\ny_train = (X_train[:, :1] > 0).float()\nX_test = X_train + 5",
    "model = nn.Linear(2, 1)\n### BEGIN SOLUTION\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    "for _ in range(5):\n    loss = nn.functional.binary_cross_entropy_with_logits(model(X_train), y_train)\n"
    "    opt.zero_grad()\n    loss.backward()\n    opt.step()\n### END SOLUTION",
    "# [점검] 문제 1\nassert training_record.backward_count(model) == 5, '모델을 다섯 번 갱신하세요.'\n"
    "assert not training_record.trained_on(model, X_test).any(), '테스트 데이터로 훈련했습니다.'\n"
    "assert training_record.trained_on(model, X_train).all(), '훈련 데이터로 훈련하세요.'\nprint('문제 1 통과')",
]
FORBID_SOLUTION = [
    "import torch\nfrom helper_functions import forbid_ops",
    "def sig(z):\n    ### BEGIN SOLUTION\n    return 1 / (1 + torch.exp(-z))\n    ### END SOLUTION",
    "# [점검] 문제 1\nz = torch.linspace(-3, 3, 7)\nwith forbid_ops('sigmoid'):\n    out = sig(z)\n"
    "assert torch.allclose(out, torch.sigmoid(z)), 'sig(z)의 값이 다릅니다.'\nprint('문제 1 통과')",
]


@functools.lru_cache(maxsize=1)
def solution_text() -> str:
    return SOLUTION_FILE.read_text(encoding="utf-8")


def solution() -> nbformat.NotebookNode:
    return nbformat.reads(solution_text(), as_version=4)


def exercise() -> nbformat.NotebookNode:
    """연습 00을 해답에서 새로 만듭니다 (해답과 늘 맞도록)."""
    return bx.build(solution(), EXERCISE, SOLUTION.name)


def solution_answers() -> list[str]:
    """공개된 해답의 답 셀 그대로 (이것을 내면 채점 도구가 '공개된 해답으로 보임'으로 review)."""
    sol = solution().cells
    return [sol[i].source for i, c in enumerate(exercise().cells) if "solution" in c.metadata.get("tags", [])]


HONEST = [  # 해답과 다르게 쓴, 맞는 답 (정직한 학생의 답)
    "grid = torch.arange(0, 12).view(3, 4)\nprint(grid)",
    "grid_float = grid.to(torch.float32)\nprint(grid_float.dtype)",
    "grid_t = grid_float.transpose(0, 1)\ngrid_t_stride = grid_t.stride()\nprint(grid_t.shape, grid_t_stride)",
    "grid_t_compact = grid_t.contiguous()\nflat = grid_t_compact.view(-1)\nprint(flat)",
    "heights = np.array([150.0, 162.5, 171.0, 180.5])\nheights_shared = torch.as_tensor(heights)\n"
    "heights_f32 = torch.tensor(heights).float()\nmeters = heights_f32.numpy() / 100\n"
    "print(heights_shared.dtype, heights_f32.dtype, meters)",
]


def answers() -> list[str]:
    """정직한 학생의 맞는 답 (해답과 다르게 씀)."""
    return list(HONEST)


def filled(sources, nb=None) -> nbformat.NotebookNode:
    """연습 노트북(기본: 00)에서 답 셀 k를 sources[k]로 채운 노트북 (None이면 빈 답 그대로)."""
    nb = nb if nb is not None else exercise()
    answer_cells = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    for cell, source in zip(answer_cells, sources, strict=False):
        if source is not None:
            cell.source = source
    return nb


def solved(*overrides, variant: int = 0) -> nbformat.NotebookNode:
    """모든 답을 정직하게 채운 노트북 (overrides: (문제 번호, 코드)). variant가 0이 아니면 마지막 답에 한 줄을 더해
    다른 학생의 답처럼 만듭니다 (같은 답을 낸 학생 찾기에 걸리지 않게)."""
    sources = answers()
    if variant:
        sources[-1] += f"\nmy_note_{variant} = {variant}"
    for number, source in overrides:
        sources[number - 1] = source
    return filled(sources)


def checks(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# [점검]")]


def tampered(nb):
    """점검 셀의 본문을 `assert True`로 바꾼 노트북 (첫 줄 제목은 그대로)."""
    for cell in checks(nb):
        cell.source = cell.source.splitlines()[0] + "\nassert True"
    return nb


def stripped(nb) -> str:
    """셀 id, 태그, 노트북 메타데이터를 모두 지운 nbformat 4.4 노트북 (JSON 문자열)."""
    raw = json.loads(nbformat.writes(nb))
    raw["nbformat_minor"] = 4
    raw["metadata"] = {}
    for cell in raw["cells"]:
        cell.pop("id", None)
        cell["metadata"] = {}
    return json.dumps(raw, ensure_ascii=False)


def write(folder: Path, name: str, nb_or_text) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = nb_or_text if isinstance(nb_or_text, str) else nbformat.writes(nb_or_text)
    path.write_text(text, encoding="utf-8")


def _synthetic(solutions: Path, name: str, sources: list[str]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    nbutil.clean_metadata(nb)
    nbutil.write(nb, solutions / f"{name}_solutions.ipynb")
    bx.build_all(solutions=[solutions / f"{name}_solutions.ipynb"])  # solutions/의 옆 exercises/에 씁니다


def course(base: Path) -> tuple[Path, Path]:
    """base/exercises, base/solutions: 연습 00, 98(숨은 점검), 97(forbid_ops)."""
    exercises, solutions = base / "exercises", base / "solutions"
    exercises.mkdir(parents=True)
    solutions.mkdir(parents=True)
    nbutil.write(exercise(), exercises / EXERCISE.name)
    (solutions / SOLUTION.name).write_text(solution_text(), encoding="utf-8")
    _synthetic(solutions, HIDDEN_SET, HIDDEN_SOLUTION)
    _synthetic(solutions, FORBID_SET, FORBID_SOLUTION)
    _synthetic(solutions, RECORD_SET, RECORD_SOLUTION)
    return exercises, solutions


def synthetic_answer(exercises: Path, name: str, body: str | None) -> nbformat.NotebookNode:
    """합성 연습(97, 98)의 답 셀 1을 body로 (None이면 빈 답)."""
    nb = nbutil.read(exercises / f"{name}_exercises.ipynb")
    if body is not None:
        cell = next(c for c in nb.cells if "solution" in c.metadata.get("tags", []))
        cell.source = body
    return nb


def expectation(trick: Path) -> dict:
    for line in trick.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            return {"status": "review", "set": "00", "mode": "insert", **json.loads(line[len("# expect:") :])}
    return {"status": "review", "set": "00", "mode": "insert"}


def trick_source(trick: Path, token: str, port: int, canary: Path) -> str:
    text = trick.read_text(encoding="utf-8")
    return text.replace("CANARY", str(canary)).replace("TOKEN", token).replace("PORT", str(port))


def with_trick(trick: Path, exercises: Path, token: str, port: int, canary: Path) -> nbformat.NotebookNode:
    expect = expectation(trick)
    code = trick_source(trick, token, port, canary)
    names = {"00": None, "96": RECORD_SET, "97": FORBID_SET, "98": HIDDEN_SET}
    if expect["mode"] == "answer":
        return synthetic_answer(exercises, names[expect["set"]], code)
    nb = exercise() if expect["set"] == "00" else synthetic_answer(exercises, names[expect["set"]], None)
    position = next(i for i, c in enumerate(nb.cells) if "import" in c.source and c.cell_type == "code") + 1
    if expect["set"] == "00":
        position = next(i for i, c in enumerate(nb.cells) if "import torch" in c.source) + 1
    nb.cells.insert(position, nbformat.v4.new_code_cell(code))
    return nb


class Listener:
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


def processes_with(token: str) -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if token in cmdline and "pytest" not in cmdline:
            found.append(cmdline)
    return found


def escape_targets(token: str) -> list[Path]:
    name = f"escape_{token}.txt"
    return [nbutil.ROOT / name, Path.home() / name, Path("/root") / name, Path("/tmp") / name, Path("/dev/shm") / name]


def everything_written(out: Path) -> str:
    """점수표와 모든 피드백 파일의 내용 (새어 나간 것을 찾을 때)."""
    parts = [p.read_text(encoding="utf-8-sig", errors="replace") for p in sorted(out.rglob("*")) if p.is_file()]
    return "\n".join(parts)


def grade_folder(folder: Path, exercises: Path, solutions: Path, **options):
    """제출 폴더를 한 번 채점하고 (결과 목록, 결과 폴더)를 돌려줍니다."""
    opts = grade.Options(exercises=exercises, solutions=solutions, **options)
    results = grade.grade(folder, opts)
    out = folder.parent / f"out-{secrets.token_hex(3)}"
    grade.write_outputs(results, out / "grades.csv", out / "feedback")
    return results, out
