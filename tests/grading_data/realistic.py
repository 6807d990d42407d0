"""실제 반처럼 만든 제출 모음 (연습 01, 학생 11명 + 미제출 1명): 채점 보안 테스트(느림)와 벤치마크가 씁니다.

해답 01의 고정본(class01/01_logistic_regression_solutions.json, 출력 없음)에서 연습을 만들고, 학생마다 그 연습에
답을 채워 `학번_이름/` 폴더에 둡니다. 담은 것 (issue 22): 해답과 다르게 쓴 맞는 답, 일부만 푼 답, 같은 답을
주석·띄어쓰기만 바꿔 낸 짝, macOS에서 온 NFD 폴더 이름, 공개된 해답 파일 그대로, 빈 답, 문법 오류, 끝나지 않는
반복문, 이름 오타(NameError), 점검 셀을 고친 답, 이름과 메타데이터로 연습을 알 수 없는 파일, 그리고 명단
(class01/roster.csv)에만 있고 내지 않은 학생. `EXPECTED`가 파일마다 기대하는 상태와 통과한 점검 수입니다.

`class_of(n)`은 벤치마크용: 서로 다른 맞는 답과 일부만 푼 답을 섞은 제출 n개 (끝나지 않는 것 없음).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import nbformat

from tools import build_exercises as bx
from tools import nbutil

HERE = Path(__file__).resolve().parent / "class01"
SET = "01_logistic_regression"
SOLUTION_FILE = HERE / f"{SET}_solutions.json"
ROSTER = HERE / "roster.csv"
EXERCISE_NAME = f"{SET}_exercises.ipynb"

SIGMOID = [
    "    return 1.0 / (1.0 + torch.exp(-z))",
    "    return 1 / (torch.exp(-z) + 1)",
    "    e = torch.exp(-z)\n    return 1 / (1 + e)",
]
BCE = [
    "    return -torch.mean(y * torch.log(p) + (1.0 - y) * torch.log(1.0 - p))",
    "    loss = y * torch.log(p) + (1 - y) * torch.log(1 - p)\n    return -loss.mean()",
]
BCE_LOGITS = [
    "    return torch.mean(torch.clamp(z, min=0) - z * y + torch.log1p(torch.exp(-torch.abs(z))))",
    "    return (z.clamp(min=0) - z * y + (-z.abs()).exp().log1p()).mean()",
    "    positive = torch.clamp(z, min=0)\n"
    "    return (positive - z * y + torch.log1p(torch.exp(-torch.abs(z)))).mean()",
]
TRAIN = [
    """    model = nn.Linear(1, 1).to(X.device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    criterion = nn.BCEWithLogitsLoss()
    history = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        history.append(loss.item())
    return model, history""",
    """    model = nn.Linear(1, 1).to(X.device)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.BCEWithLogitsLoss()
    losses = []
    for step in range(epochs):
        out = model(X)
        loss = loss_fn(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
    return model, losses""",
]
PREDICT = [
    """with torch.no_grad():
    logit_4 = exam_model(torch.tensor([[4.0]], device=device))
    prob_4 = torch.sigmoid(logit_4).item()
w = exam_model.weight.item()
b = exam_model.bias.item()
decision_point = -b / w""",
    """with torch.inference_mode():
    prob_4 = torch.sigmoid(exam_model(torch.tensor([[4.0]], device=device))).item()
decision_point = -(exam_model.bias / exam_model.weight).item()""",
]
LOOP = """    model = nn.Linear(1, 1).to(X.device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.BCEWithLogitsLoss()
    losses = []
    epoch = 0
    while epoch < epochs:  # epoch += 1을 빠뜨림: 끝나지 않습니다
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
    return model, losses"""


def solution_text() -> str:
    return SOLUTION_FILE.read_text(encoding="utf-8")


def exercise() -> nbformat.NotebookNode:
    return bx.build(nbformat.reads(solution_text(), as_version=4), Path("exercises") / EXERCISE_NAME, SET)


def course(base: Path) -> tuple[Path, Path]:
    """base/exercises, base/solutions: 고정본 해답 01과 거기서 만든 연습 (강의가 바뀌어도 기대값은 그대로)."""
    exercises, solutions = base / "exercises", base / "solutions"
    exercises.mkdir(parents=True)
    solutions.mkdir(parents=True)
    (solutions / f"{SET}_solutions.ipynb").write_text(solution_text(), encoding="utf-8")
    nbutil.write(exercise(), exercises / EXERCISE_NAME)
    return exercises, solutions


def _answer_cells(nb) -> list:
    return [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]


def _stub_body(source: str, body: str) -> str:
    """답 셀의 '여기에 코드를 작성하세요' 두 줄(주석과 raise)을 body로 바꿉니다 (셀의 나머지는 그대로)."""
    lines = source.splitlines()
    out, skip = [], False
    for line in lines:
        if line.strip() == bx.STUB_COMMENT:
            out.append(body)
            skip = True
            continue
        if skip and line.strip() == bx.STUB_RAISE:
            skip = False
            continue
        out.append(line)
    return "\n".join(out)


def filled(bodies: list[str | None]) -> nbformat.NotebookNode:
    """답 셀 k의 빈자리를 bodies[k]로 채운 연습 노트북 (None이면 빈 답 그대로)."""
    nb = exercise()
    for cell, body in zip(_answer_cells(nb), bodies, strict=False):
        if body is not None:
            cell.source = _stub_body(cell.source, body)
    return nb


def _dedent(body: str) -> str:
    return "\n".join(line[4:] if line.startswith("    ") else line for line in body.splitlines())


def answers(sig=0, bce=0, logits=0, train=0, predict=0) -> list[str]:
    return [SIGMOID[sig], BCE[bce], BCE_LOGITS[logits], TRAIN[train], PREDICT[predict]]


def _respaced(nb) -> nbformat.NotebookNode:
    """같은 답을 주석과 띄어쓰기만 바꿔 옮겨 적은 것 (베낀 답)."""
    for cell in _answer_cells(nb):
        text = cell.source.replace(" = ", "=").replace("(1, 1)", "( 1, 1 )")
        cell.source = "# 내가 푼 답\n" + text + "\n\n# 끝"
    return nb


def _write(folder: Path, name: str, nb) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nb if isinstance(nb, str) else nbformat.writes(nb), encoding="utf-8")


NFD_FOLDER = unicodedata.normalize("NFD", "20240004_최유진")
# 파일(NFC로 쓴 경로) -> (기대 상태, 통과한 점검 수 또는 None). 점검은 6개 (문제 1-5, 그림과 결과 표).
EXPECTED = {
    f"20240001_김민수/{EXERCISE_NAME}": ("review", 6),  # 맞는 답, 그러나 박지훈과 같은 답 (copy)
    f"20240002_이서연/{EXERCISE_NAME}": ("ok", 3),  # 문제 1-3만
    f"20240003_박지훈/{EXERCISE_NAME}": ("review", 6),  # 김민수의 답을 주석·띄어쓰기만 바꿔서 (copy)
    f"20240004_최유진/{EXERCISE_NAME}": ("ok", 5),  # NFD 폴더, 문제 2에서 평균 대신 합
    f"20240005_정하늘/{SET}_solutions.ipynb": ("review", 6),  # 공개된 해답 파일 그대로
    f"20240006_강다은/{EXERCISE_NAME}": ("ok", 0),  # 빈 답
    f"20240007_윤서준/{EXERCISE_NAME}": ("ok", 5),  # 문제 2의 답에 닫지 않은 괄호
    f"20240008_임채원/{EXERCISE_NAME}": ("timeout", 3),  # 문제 4의 훈련 반복문이 끝나지 않음
    f"20240009_한지민/{EXERCISE_NAME}": ("ok", 5),  # 문제 1에 이름 오타
    f"20240010_오민재/{EXERCISE_NAME}": ("ok", 5),  # 점검 셀을 assert True로 고치고 문제 1에 torch.sigmoid
    "20240011_서하은/숙제.ipynb": ("unknown_set", None),  # 메타데이터 없음, 이름에 연습 없음
}
MISSING = ("20240012", "신예준")


def build_class(folder: Path) -> dict[str, tuple[str, int | None]]:
    """folder에 반의 제출을 씁니다. 반환: EXPECTED."""
    _write(folder, f"20240001_김민수/{EXERCISE_NAME}", filled(answers()))
    _write(folder, f"20240002_이서연/{EXERCISE_NAME}", filled(answers(1, 1, 1)[:3]))
    _write(folder, f"20240003_박지훈/{EXERCISE_NAME}", _respaced(filled(answers())))
    wrong_mean = "    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).sum()"
    _write(
        folder, f"{NFD_FOLDER}/{EXERCISE_NAME}", filled([SIGMOID[2], wrong_mean, BCE_LOGITS[2], TRAIN[1], PREDICT[1]])
    )
    _write(folder, f"20240005_정하늘/{SET}_solutions.ipynb", solution_text())
    _write(folder, f"20240006_강다은/{EXERCISE_NAME}", exercise())
    broken = "    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p).mean("
    _write(
        folder, f"20240007_윤서준/{EXERCISE_NAME}", filled([SIGMOID[1], broken, BCE_LOGITS[0], TRAIN[0], PREDICT[1]])
    )
    _write(folder, f"20240008_임채원/{EXERCISE_NAME}", filled([SIGMOID[1], BCE[1], BCE_LOGITS[1], LOOP, PREDICT[0]]))
    typo = "    return 1 / (1 + torch.exp(-zz))"
    _write(folder, f"20240009_한지민/{EXERCISE_NAME}", filled([typo, BCE[1], BCE_LOGITS[2], TRAIN[1], PREDICT[0]]))
    edited = filled(["    return torch.sigmoid(z)", BCE[0], BCE_LOGITS[1], TRAIN[0], PREDICT[1]])
    for cell in edited.cells:
        if cell.source.startswith(bx.CHECK_MARKER):
            cell.source = cell.source.splitlines()[0] + "\nassert True"
    _write(folder, f"20240010_오민재/{EXERCISE_NAME}", edited)
    unknown = filled(answers(2, 0, 2, 1, 0))
    unknown.metadata.pop("course", None)
    _write(folder, "20240011_서하은/숙제.ipynb", unknown)
    return dict(EXPECTED)


def class_of(folder: Path, n: int) -> int:
    """벤치마크용 반: 서로 다른 제출 n개 (맞는 답의 조합, 일부만 푼 답). 끝나지 않는 것은 없습니다."""
    combos = [
        (s, b, lg, t, p)
        for s in range(len(SIGMOID))
        for b in range(len(BCE))
        for lg in range(len(BCE_LOGITS))
        for t in range(len(TRAIN))
        for p in range(len(PREDICT))
    ]
    for k in range(n):
        bodies = answers(*combos[k % len(combos)])
        if k % 4 == 3:  # 넷에 하나는 문제 4-5를 풀지 않음
            bodies = bodies[:3]
        nb = filled(bodies)
        nb.cells.insert(2, nbformat.v4.new_markdown_cell(f"학생 {k + 1}의 제출"))
        _write(folder, f"student_{k + 1:03d}/{EXERCISE_NAME}", nb)
    return n
