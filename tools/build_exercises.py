"""해답 노트북(solutions/)에서 연습 노트북(exercises/)을 만듭니다. 해답이 유일한 원본입니다.

    python -m tools.build_exercises          # exercises/를 다시 만듭니다
    python -m tools.build_exercises solutions/01_x_solutions.ipynb   # 이 해답에서만
    python -m tools.build_exercises --check  # exercises/가 새로 만든 것과 다르면 1로 끝납니다

규칙 (nbgrader와 같은 표시):
- 코드 셀의 `### BEGIN SOLUTION` ~ `### END SOLUTION` 사이는 "여기에 코드를 작성하세요"와
  `raise NotImplementedError(...)`로 바뀝니다 (표시의 들여쓰기를 따릅니다). 한 셀에 영역이
  여러 개 있으면 각각 바뀝니다. END가 없거나, 표시가 겹치거나, BEGIN 없이 END가 있으면 오류입니다.
- 마크다운 셀의 `<!-- BEGIN SOLUTION -->` ~ `<!-- END SOLUTION -->` 줄들(해설)은 지워집니다.
- 점검 셀 안의 `### BEGIN HIDDEN TESTS` ~ `### END HIDDEN TESTS` 사이(숨은 점검)는 연습 노트북에서
  지워지고 그 자리에 "채점할 때 숨은 점검이 실행됩니다"라는 주석 한 줄이 남습니다. 숨은 점검은 채점 도구가
  해답 노트북에서 가져와 채점할 때만 실행합니다 (예: 학생이 본 적 없는 새 데이터에서의 정확도). 표시 줄은
  들여쓰지 않아야 하고(채점 도구가 그 자리에서 셀을 나눠 실행합니다), 점검 셀에만 쓸 수 있으며, 해답 표시와
  겹치거나 END가 없거나 BEGIN 없이 END가 있거나 표시 글자가 조금이라도 다르면 오류입니다.
- 첫 줄이 `# [점검]`인 코드 셀은 자가 점검 셀입니다. 연습 노트북에서 코드 셀과 점검 셀은
  `raises-exception` 태그를 받아 Run All과 nbmake가 멈추지 않고 지나갑니다. 점검 셀은 `check`,
  답을 쓰는 셀은 `solution` 태그도 받습니다 (채점 도구가 씁니다).
- 출력과 실행 번호, 휘발성 메타데이터는 지워지고, 배지는 연습 노트북의 주소로 바뀝니다.
- 해답 표시가 하나도 없는 해답 노트북은 오류입니다 (풀 문제가 없는 연습은 실수입니다).
그 밖의 모든 것은 글자 그대로 옮겨집니다.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

from tools import colab, nbutil

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
MD_BEGIN, MD_END = "<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HIDDEN_NOTE = "# (채점할 때는 여기서 숨은 점검도 실행됩니다: 해답 노트북에만 있습니다)"
# 숨은 점검 표시와 비슷하지만 글자가 다른 줄 (오타면 숨은 점검이 학생에게 그대로 보이므로 오류로 막습니다).
_HIDDEN_LIKE = re.compile(r"^\s*#+\s*(BEGIN|END)\s+HIDDEN", re.IGNORECASE)
CHECK_MARKER = "# [점검]"
STUB_COMMENT = "# 여기에 코드를 작성하세요 (write your code here)"
STUB_RAISE = 'raise NotImplementedError("아직 풀지 않은 문제입니다: 위의 설명을 보고 코드를 작성하세요.")'
SOLUTION_SUFFIX = "_solutions.ipynb"
EXERCISE_SUFFIX = "_exercises.ipynb"


class MarkerError(ValueError):
    """해답 표시가 잘못되었을 때 나는 오류."""


def _replace_regions(lines: list[str], begin: str, end: str, stub: bool, where: str) -> tuple[list[str], int]:
    """표시된 영역을 바꾼 줄 목록과 영역 개수를 돌려줍니다."""
    out: list[str] = []
    inside_since: int | None = None
    regions = 0
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == begin:
            if inside_since is not None:
                raise MarkerError(
                    f"{where} {number}번째 줄: {begin}이 겹칩니다 ({inside_since}번째 줄의 영역이 아직 열려 있음)"
                )
            inside_since = number
            if stub:
                indent = line[: len(line) - len(line.lstrip())]
                out += [indent + STUB_COMMENT, indent + STUB_RAISE]
        elif marker == end:
            if inside_since is None:
                raise MarkerError(f"{where} {number}번째 줄: {begin} 없이 {end}가 있습니다")
            inside_since = None
            regions += 1
        elif inside_since is None:
            out.append(line)
    if inside_since is not None:
        raise MarkerError(f"{where} {inside_since}번째 줄의 {begin}에 {end}가 없습니다")
    return out, regions


def _check_no_overlap(lines: list[str], where: str) -> None:
    """해답 표시와 숨은 점검 표시가 서로 겹치지 않는지 봅니다 (같은 종류끼리는 _replace_regions가 봅니다)."""
    pairs = {BEGIN: END, HIDDEN_BEGIN: HIDDEN_END}
    ends = {v: k for k, v in pairs.items()}
    open_marker: tuple[str, int] | None = None
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if _HIDDEN_LIKE.match(line) and marker not in (HIDDEN_BEGIN, HIDDEN_END):
            raise MarkerError(
                f"{where} {number}번째 줄: 숨은 점검 표시는 {HIDDEN_BEGIN} / {HIDDEN_END} 그대로여야 합니다"
            )
        if marker in pairs:
            if open_marker is not None:
                since, opened = open_marker[1], open_marker[0]
                raise MarkerError(
                    f"{where} {number}번째 줄: {marker}이 겹칩니다 ({since}번째 줄의 {opened}이 아직 열려 있음)"
                )
            open_marker = (marker, number)
        elif marker in ends and open_marker is not None and open_marker[0] == ends[marker]:
            open_marker = None
        elif marker in ends and open_marker is not None:
            raise MarkerError(f"{where} {number}번째 줄: {open_marker[0]}이 {marker}로 닫혔습니다")


def _hidden_lines(lines: list[str]) -> list[int]:
    return [n for n, line in enumerate(lines, start=1) if line.strip() in (HIDDEN_BEGIN, HIDDEN_END)]


def is_check_source(source: str) -> bool:
    return source.startswith(CHECK_MARKER)


def check_parts(source: str, where: str = "") -> list[tuple[str, str]]:
    """점검 셀의 코드를 [("visible" 또는 "hidden", 코드), ...]로 나눕니다 (빈 부분은 뺍니다).

    채점 도구가 숨은 점검을 따로 실행해 어느 숨은 점검이 실패했는지 알리려고 씁니다.
    표시가 잘못되었으면 MarkerError.
    """
    lines = source.splitlines()
    _check_no_overlap(lines, where)
    _replace_regions(lines, HIDDEN_BEGIN, HIDDEN_END, stub=False, where=where)  # 표시 검사만
    for number in _hidden_lines(lines):
        if lines[number - 1] != lines[number - 1].lstrip():
            raise MarkerError(f"{where} {number}번째 줄: 숨은 점검 표시는 들여쓰지 않아야 합니다")
    parts: list[tuple[str, list[str]]] = [("visible", [])]
    for line in lines:
        marker = line.strip()
        if marker == HIDDEN_BEGIN:
            parts.append(("hidden", []))
        elif marker == HIDDEN_END:
            parts.append(("visible", []))
        else:
            parts[-1][1].append(line)
    return [(kind, "\n".join(body)) for kind, body in parts if "\n".join(body).strip()]


def strip_hidden(source: str, where: str = "") -> str:
    """점검 셀에서 숨은 점검을 지우고 그 자리에 HIDDEN_NOTE 한 줄을 둡니다."""
    check_parts(source, where)  # 표시 검사
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        marker = line.strip()
        if marker == HIDDEN_BEGIN:
            inside = True
            out.append(HIDDEN_NOTE)
        elif marker == HIDDEN_END:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def _add_tags(cell: nbformat.NotebookNode, *tags: str) -> None:
    current = list(cell.metadata.get("tags", []))
    cell.metadata["tags"] = current + [t for t in tags if t not in current]


def exercise_path(solution: Path) -> Path:
    if not solution.name.endswith(SOLUTION_SUFFIX):
        raise MarkerError(f"해답 노트북 이름은 ..{SOLUTION_SUFFIX}로 끝나야 합니다: {solution.name}")
    name = solution.name[: -len(SOLUTION_SUFFIX)] + EXERCISE_SUFFIX
    return solution.parent.parent / "exercises" / name


def build(solution_nb: nbformat.NotebookNode, exercise: Path, source_name: str = "") -> nbformat.NotebookNode:
    """해답 노트북 객체에서 연습 노트북 객체를 만듭니다 (원본은 바꾸지 않습니다)."""
    nb = copy.deepcopy(solution_nb)
    total = 0
    for index, cell in enumerate(nb.cells):
        where = f"{source_name} 셀 {index}"
        lines = cell.source.splitlines()
        if cell.cell_type == "code":
            _check_no_overlap(lines, where)
            if _hidden_lines(lines):
                if not is_check_source(cell.source):
                    raise MarkerError(f"{where}: {HIDDEN_BEGIN}은 점검 셀(첫 줄이 {CHECK_MARKER})에만 쓸 수 있습니다")
                lines = strip_hidden(cell.source, where).splitlines()
            lines, regions = _replace_regions(lines, BEGIN, END, stub=True, where=where)
            cell.outputs = []
            cell.execution_count = None
            if regions:
                _add_tags(cell, "solution", "raises-exception")
            elif lines and lines[0].startswith(CHECK_MARKER):
                _add_tags(cell, "check", "raises-exception")
            total += regions
        elif cell.cell_type == "markdown":
            lines, _ = _replace_regions(lines, MD_BEGIN, MD_END, stub=False, where=where)
        cell.source = "\n".join(lines)
    if total == 0:
        raise MarkerError(f"{source_name}: {BEGIN} 표시가 하나도 없습니다")
    nbutil.clean_metadata(nb)
    colab.sync(nb, exercise)
    nb.metadata["course"] = {"exercise_set": exercise.name[: -len(EXERCISE_SUFFIX)], "tasks": total}
    return nb


def build_all(check: bool = False, solutions: list[Path] | None = None) -> list[Path]:
    """해답(기본: 모두)에서 연습 노트북을 만듭니다. check면 쓰지 않고 다른 파일 목록만 돌려줍니다."""
    different = []
    for solution in solutions or nbutil.notebook_paths("solutions"):
        target = exercise_path(solution)
        nb = build(nbutil.read(solution), target, solution.name)
        text = nbformat.writes(nb).rstrip("\n") + "\n"
        old = target.read_text(encoding="utf-8") if target.exists() else None
        if old != text:
            different.append(target)
            if not check:
                nbutil.write(nb, target)
    if check and not solutions:
        expected = {exercise_path(s) for s in nbutil.notebook_paths("solutions")}
        different += [p for p in nbutil.notebook_paths("exercises") if p not in expected]
    return different


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("solutions", nargs="*", type=Path, help="이 해답들만 (없으면 모두)")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    try:
        different = build_all(check=args.check, solutions=[p.resolve() for p in args.solutions])
    except MarkerError as err:
        print(f"오류: {err}", file=sys.stderr)
        return 2
    for path in different:
        verb = "다름" if args.check else "만듦"
        print(f"{verb}: {path.relative_to(nbutil.ROOT)}")
    return 1 if (args.check and different) else 0


if __name__ == "__main__":
    sys.exit(main())
