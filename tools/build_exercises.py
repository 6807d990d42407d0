"""해답 노트북(solutions/)에서 연습 노트북(exercises/)을 만듭니다. 해답이 유일한 원본입니다.

    python -m tools.build_exercises          # exercises/를 다시 만듭니다
    python -m tools.build_exercises solutions/01_x_solutions.ipynb   # 이 해답에서만
    python -m tools.build_exercises --check  # exercises/가 새로 만든 것과 다르면 1로 끝납니다

규칙 (nbgrader와 같은 표시):
- 코드 셀의 `### BEGIN SOLUTION` ~ `### END SOLUTION` 사이는 "여기에 코드를 작성하세요"와
  `raise NotImplementedError(...)`로 바뀝니다 (표시의 들여쓰기를 따릅니다). 한 셀에 영역이
  여러 개 있으면 각각 바뀝니다. END가 없거나, 표시가 겹치거나, BEGIN 없이 END가 있으면 오류입니다.
- 마크다운 셀의 `<!-- BEGIN SOLUTION -->` ~ `<!-- END SOLUTION -->` 줄들(해설)은 지워집니다.
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
import sys
from pathlib import Path

import nbformat

from tools import colab, nbutil

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
MD_BEGIN, MD_END = "<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->"
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
