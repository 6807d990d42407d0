"""2단계, 실행할 노트북 만들기: 원본 연습 노트북이 뼈대, 학생 것은 답 셀(과 추가한 셀)의 코드뿐.

점검 셀은 언제나 원본을 씁니다. 숨은 점검(`### BEGIN HIDDEN TESTS`)은 연습 노트북에는 없으므로 해답
노트북의 같은 점검 셀에서 가져옵니다. 숨은 점검이 있는 점검 셀은 보이는 부분과 숨은 부분으로 나뉘어
차례로 실행됩니다 (어느 숨은 점검이 실패했는지 알 수 있게).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tools import build_exercises as bx
from tools import nbutil
from tools.grading import audit

CHECK_MARKER = bx.CHECK_MARKER


def tags(cell) -> list[str]:
    found = cell.get("metadata", {}).get("tags", [])
    return [t for t in found if isinstance(t, str)] if isinstance(found, list) else []


def source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def role(cell) -> str:
    """원본 연습 노트북 셀의 역할: check, answer, given(그 밖의 코드), markdown."""
    if cell.get("cell_type") != "code":
        return "markdown"
    if "check" in tags(cell) or source(cell).startswith(CHECK_MARKER):
        return "check"
    return "answer" if "solution" in tags(cell) else "given"


def title(cell) -> str:
    return source(cell).splitlines()[0].lstrip("# ").strip()


@dataclass
class Exercise:
    """원본 연습 노트북 하나와, 해답에서 가져온 점검 셀의 숨은 점검."""

    name: str
    nb: nbformat.NotebookNode
    parts: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # 점검 셀 번호 -> [(visible|hidden, 코드)]
    solution_bound: set[str] = field(default_factory=set)  # 해답의 답 셀이 묶는 이름 (학생이 묶어도 정상)
    points: dict[int, float] = field(default_factory=dict)  # 점검 셀 번호 -> 배점 (해답 셀의 메타데이터, 기본 1)
    solution_answers: list[str] = field(default_factory=list)  # 해답의 답 셀 코드 (답 셀 순서대로)
    private_count: int = 0  # 교사의 비공개 점검(--hidden) 수

    @property
    def checks(self) -> list[int]:
        return [i for i, c in enumerate(self.nb.cells) if role(c) == "check"]

    @property
    def answers(self) -> list[int]:
        return [i for i, c in enumerate(self.nb.cells) if role(c) == "answer"]

    def check_parts(self, index: int) -> list[tuple[str, str]]:
        return self.parts.get(index) or [("visible", source(self.nb.cells[index]))]

    @property
    def hidden_count(self) -> int:
        return sum(kind == "hidden" for i in self.checks for kind, _ in self.check_parts(i))

    def points_of(self, index: int) -> float:
        return self.points.get(index, 1.0)

    @property
    def max_points(self) -> float:
        return sum(self.points_of(i) for i in self.checks)

    def answers_before(self) -> dict[int, list[int]]:
        """점검 셀 번호 -> 그 점검 바로 앞(앞 점검 뒤)에 있는 답 셀 번호들: 점검이 보는 답."""
        out: dict[int, list[int]] = {}
        pending: list[int] = []
        for i, cell in enumerate(self.nb.cells):
            kind = role(cell)
            if kind == "answer":
                pending.append(i)
            elif kind == "check":
                out[i] = pending
                pending = []
        return out


def cell_points(cell) -> float:
    """점검 셀의 배점: nbgrader처럼 메타데이터의 `points` (또는 `nbgrader.points`), 없으면 1.

    0이면 점수에 넣지 않는 점검(예: 앞 문제의 실수를 다시 세는 마무리 점검). 숫자가 아니거나 음수면 ValueError.
    """
    meta = cell.get("metadata", {}) or {}
    value = meta.get("points")
    if value is None and isinstance(meta.get("nbgrader"), dict):
        value = meta["nbgrader"].get("points")
    if value is None:
        return 1.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"점검 셀 '{title(cell)}'의 배점(points)은 0 이상의 숫자여야 합니다: {value!r}")
    return float(value)


def solution_path(exercise: Path, solutions: Path) -> Path:
    return Path(solutions) / (exercise.name[: -len(bx.EXERCISE_SUFFIX)] + bx.SOLUTION_SUFFIX)


def load_exercise(
    name: str, path: Path, solutions: Path | None, private: dict[str, list[str]] | None = None
) -> Exercise:
    """원본 연습을 읽고, 해답이 있으면 점검 셀마다 숨은 점검과 배점을 붙입니다.

    연습에 숨은 점검 자리(HIDDEN_NOTE)가 있는데 해답이 없거나 맞지 않으면 ValueError:
    숨은 점검 없이 채점하면 학생이 본 적 없는 데이터로 확인한다는 약속이 깨지기 때문입니다.
    private: 교사의 비공개 점검 {점검 제목: [코드, ...]} (--hidden). 해답의 숨은 점검 뒤에 숨은 점검으로 붙습니다.
    """
    exercise = Exercise(name, nbutil.read(path))
    solution_file = solution_path(path, solutions) if solutions else None
    needs_hidden = any(bx.HIDDEN_NOTE in source(exercise.nb.cells[i]) for i in exercise.checks)
    if solution_file is None or not solution_file.exists():
        if needs_hidden:
            raise ValueError(f"숨은 점검이 있는 연습인데 해답 노트북이 없습니다: {solution_file}")
        _add_private(exercise, private)
        return exercise
    solution = nbutil.read(solution_file)
    sol_checks = [c for c in solution.cells if c.cell_type == "code" and bx.is_check_source(c.source)]
    if len(sol_checks) != len(exercise.checks):
        raise ValueError(f"해답과 연습의 점검 셀 수가 다릅니다 ({solution_file.name}): `make exercises`")
    for index, sol in zip(exercise.checks, sol_checks, strict=True):
        where = f"{solution_file.name} 점검 셀 '{title(sol)}'"
        if bx.strip_hidden(sol.source, where) != source(exercise.nb.cells[index]):
            raise ValueError(f"{where}이 연습 노트북과 다릅니다: `make exercises`로 연습을 다시 만드세요")
        exercise.parts[index] = bx.check_parts(sol.source, where)
        exercise.points[index] = cell_points(sol)
    for cell in solution.cells:
        if cell.cell_type == "code" and bx.BEGIN in cell.source:
            exercise.solution_bound |= audit.bound_names(cell.source)
            exercise.solution_answers.append(cell.source)
    _add_private(exercise, private)
    return exercise


def _add_private(exercise: Exercise, private: dict[str, list[str]] | None) -> None:
    """비공개 점검을 제목이 같은 점검 셀의 숨은 점검 뒤에 붙입니다 (없는 제목이면 ValueError: 오타로 빠지지 않게)."""
    if not private:
        return
    by_title = {title(exercise.nb.cells[i]): i for i in exercise.checks}
    for check_title, codes in private.items():
        if check_title not in by_title:
            known = ", ".join(by_title)
            raise ValueError(
                f"비공개 점검의 제목 '{check_title}'이(가) 연습 {exercise.name}에 없습니다 (있는 것: {known})"
            )
        index = by_title[check_title]
        exercise.parts[index] = exercise.check_parts(index) + [("hidden", code) for code in codes]
        exercise.private_count += len(codes)


def assemble(exercise: Exercise, student: nbformat.NotebookNode) -> tuple[list[dict], list[str]]:
    """원본 연습을 뼈대로 실행할 코드 셀 목록을 만듭니다: [{source, role, title, ...}], 메모.

    답 셀의 코드는 학생 것, 점검 셀은 언제나 원본(과 숨은 점검), 학생이 추가한 코드 셀은 바로 앞에 있던
    (맞춰진) 셀 뒤에 둡니다. 원본의 그 밖의 코드 셀(가져오기 등)은 학생이 고쳤으면 학생 것,
    지웠으면 원본을 씁니다. 학생에게서 온 코드는 `student: True`입니다 (정적 검사 대상).
    """
    cells = exercise.nb.cells
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    answers, checks = exercise.answers, exercise.checks
    given = [i for i in code if i not in answers and i not in checks]
    by_id = {cells[i].get("id"): i for i in code if cells[i].get("id")}
    check_by_title = {title(cells[i]): i for i in checks}
    given_by_source: dict[str, int] = {}
    for i in given:
        given_by_source.setdefault(source(cells[i]).strip(), i)

    mine = [c for c in student.cells if c.get("cell_type") == "code"]
    notes: list[str] = []

    def is_check(c) -> bool:
        cid = c.get("id")
        return "check" in tags(c) or source(c).startswith(CHECK_MARKER) or (cid in by_id and by_id[cid] in checks)

    slot_of: dict[int, int] = {}  # 학생 셀 번호 -> 원본 셀 번호
    if any(c.get("id") in by_id and by_id[c.get("id")] in answers for c in mine):
        strategy = "셀 id"
        for k, c in enumerate(mine):
            target = by_id.get(c.get("id"))
            if target is not None and target not in checks and target not in slot_of.values() and not is_check(c):
                slot_of[k] = target
    else:
        tagged = [k for k, c in enumerate(mine) if "solution" in tags(c) and not is_check(c)]
        if tagged:
            strategy = "solution 태그의 순서"
            candidates = tagged
        else:
            strategy = "셀 순서"
            candidates = [k for k, c in enumerate(mine) if not is_check(c) and source(c).strip() not in given_by_source]
        for k, target in zip(candidates, answers, strict=False):
            slot_of[k] = target
        for k, c in enumerate(mine):
            target = given_by_source.get(source(c).strip())
            if k not in slot_of and not is_check(c) and target is not None and target not in slot_of.values():
                slot_of[k] = target
        notes.append(f"셀 id가 원본과 맞지 않아 답 셀을 {strategy}로 맞췄습니다. 점수가 이상하면 노트북을 직접 보세요.")

    missing = [a for a in answers if a not in slot_of.values()]
    if missing:
        notes.append(f"답 셀 {len(missing)}개를 찾지 못해 빈 답으로 채점했습니다 (답 셀을 지웠나요?).")

    extras_after: dict[int, list[str]] = {}
    edited: list[str] = []
    anchor = answers[0] - 1 if answers else -1
    for k, c in enumerate(mine):
        if k in slot_of:
            anchor = slot_of[k]
        elif is_check(c):
            anchor = by_id.get(c.get("id"), check_by_title.get(title(c), anchor))
            original = source(cells[anchor]) if anchor in checks else None
            if original is not None and _normal(source(c)) != _normal(original):
                edited.append(title(cells[anchor]))
        elif source(c).strip():
            extras_after.setdefault(anchor, []).append(source(c))
    filled = {target: source(mine[k]) for k, target in slot_of.items()}
    if edited:
        names = ", ".join(f"'{t}'" for t in dict.fromkeys(edited))
        notes.append(f"점검 셀({names})이 나눠 준 것과 다릅니다: 고친 점검이 아니라 원래 점검으로 채점했습니다.")
    check_after = {}
    for check, before in exercise.answers_before().items():
        for answer in before:
            check_after[answer] = title(cells[check])

    out: list[dict] = []
    extra_count = 0

    def add_extras(anchor_index: int) -> None:
        nonlocal extra_count
        for chunk in extras_after.get(anchor_index, []):
            out.append({"source": chunk, "role": "extra", "title": "학생이 추가한 셀", "student": True})
            extra_count += 1

    add_extras(-1)
    answer_number = 0
    for i, cell in enumerate(cells):
        kind = role(cell)
        if kind == "answer":
            answer_number += 1
            text = filled.get(i, source(cell))
            name = f"답 셀 {answer_number}" + (f" ({check_after[i]}의 답)" if i in check_after else "")
            entry = {"source": text, "role": "answer", "title": name, "student": i in filled, "slot": i}
            entry["attempted"] = _normal(text) != _normal(source(cell))
            out.append(entry)
        elif kind == "given":
            text = filled.get(i, source(cell))
            out.append({"source": text, "role": "given", "title": "주어진 셀", "student": text != source(cell)})
        elif kind == "check":
            hidden = 0
            for part, text in exercise.check_parts(i):
                hidden += part == "hidden"
                entry = {"source": text, "role": "check", "title": title(cell), "student": False, "check": i}
                entry.update(part=part, hidden=hidden if part == "hidden" else 0, points=exercise.points_of(i))
                out.append(entry)
        add_extras(i)
    if extra_count:
        notes.append(f"학생이 추가한 코드 셀 {extra_count}개도 함께 실행했습니다.")
    return out, notes


def _normal(text: str) -> str:
    """비교용: 줄 끝 공백과 빈 줄을 무시한 코드."""
    return "\n".join(line.rstrip() for line in str(text).splitlines() if line.strip())
