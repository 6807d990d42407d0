"""모든 노트북의 Colab 배지와 Colab 설정 셀을 pyproject.toml의 [tool.course] 설정 하나로 맞춥니다.

    python -m tools.colab          # 모든 노트북과 README 표를 고쳐 씁니다
    python -m tools.colab PATH...  # 이 노트북들만
    python -m tools.colab --check  # 다른 곳이 있으면 목록을 보이고 1로 끝납니다

포크했다면 pyproject.toml의 repository 한 줄을 바꾸고 이 명령을 다시 실행하세요.
배지는 제목 셀(첫 번째 마크다운 셀)의 첫 줄, 설정 셀은 첫 번째 코드 셀입니다.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from tools import nbutil

BADGE_ALT = "Colab에서 열기"
SETUP_MARKER = "# [Colab 설정]"


def _github_path(repository: str) -> str:
    """'https://github.com/OWNER/REPO' -> 'OWNER/REPO'."""
    prefix = "https://github.com/"
    if not repository.startswith(prefix):
        raise ValueError(f"[tool.course] repository는 {prefix}OWNER/REPO 꼴이어야 합니다: {repository}")
    return repository[len(prefix) :].strip("/").removesuffix(".git")


def badge_line(folder: str, name: str, settings: dict | None = None) -> str:
    """노트북 하나의 Colab 배지 (마크다운 한 줄)."""
    settings = settings or nbutil.course_settings()
    url = (
        f"https://colab.research.google.com/github/{_github_path(settings['repository'])}"
        f"/blob/{settings['branch']}/{folder}/{name}"
    )
    return f"[![{BADGE_ALT}](https://colab.research.google.com/assets/colab-badge.svg)]({url})"


def install_source(settings: dict | None = None) -> str:
    """Colab에서 pip가 강좌 모듈을 설치할 곳."""
    settings = settings or nbutil.course_settings()
    return f"git+{settings['repository'].rstrip('/')}.git@{settings['branch']}"


def setup_source(settings: dict | None = None) -> str:
    """정식 Colab 설정 셀의 코드."""
    return f'''{SETUP_MARKER} Colab에서 열었을 때만 강좌 모듈(helper_functions)과
# Colab에 없는 패키지(torchmetrics, koreanize-matplotlib)를 설치합니다.
# 내 컴퓨터의 JupyterLab에서는 아무것도 하지 않습니다. 여러 번 실행해도 괜찮습니다.
# Colab의 torch는 그대로 씁니다 (다시 설치하지 않습니다).
import sys

if "google.colab" in sys.modules:
    import importlib
    import importlib.util
    import os
    import subprocess

    COURSE_SOURCE = os.environ.get("COURSE_SOURCE", "{install_source(settings)}")
    if importlib.util.find_spec("helper_functions") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", COURSE_SOURCE], check=True)
        importlib.invalidate_caches()
    print("Colab 준비 완료: helper_functions를 불러올 수 있습니다.")'''


def expected_cells(path: Path, nb: nbformat.NotebookNode) -> list[str]:
    """이 노트북에 맞지 않는 곳의 설명 목록 (비어 있으면 맞음)."""
    problems = []
    badge = badge_line(path.parent.name, path.name)
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        problems.append("첫 번째 셀이 제목 마크다운 셀이 아닙니다")
    elif nb.cells[0].source.splitlines()[:1] != [badge]:
        problems.append("제목 셀의 첫 줄이 정식 Colab 배지가 아닙니다")
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or code[0].source != setup_source():
        problems.append("첫 번째 코드 셀이 정식 Colab 설정 셀이 아닙니다")
    return problems


def sync(nb: nbformat.NotebookNode, path: Path) -> bool:
    """배지와 설정 셀을 정식 내용으로 바꿉니다. 바뀌었으면 True."""
    before = nbformat.writes(nb)
    badge = badge_line(path.parent.name, path.name)
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(badge))
    title = nb.cells[0]
    lines = title.source.splitlines()
    if lines and lines[0].startswith(f"[![{BADGE_ALT}]"):
        lines = lines[1:]
    title.source = "\n".join([badge, *lines])

    code_idx = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    if code_idx and nb.cells[code_idx[0]].source.startswith(SETUP_MARKER):
        nb.cells[code_idx[0]].source = setup_source()
    else:
        nb.cells.insert(1, nbformat.v4.new_code_cell(setup_source()))
    return nbformat.writes(nb) != before


README_BEGIN = "<!-- LESSONS:BEGIN (python -m tools.colab가 만듭니다) -->"
README_END = "<!-- LESSONS:END -->"


def _title(path: Path) -> str:
    for line in nbutil.read(path).cells[0].source.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def readme_table(settings: dict | None = None) -> str:
    """README의 강의 표: 강의, 연습, 해답 노트북과 각각의 Colab 배지."""
    rows = ["| # | 강의 | 연습 문제 | 해답 |", "|---|---|---|---|"]
    for lesson in nbutil.notebook_paths("notebooks"):
        cells = []
        for folder, name in (
            ("notebooks", lesson.name),
            ("exercises", f"{lesson.stem}_exercises.ipynb"),
            ("solutions", f"{lesson.stem}_solutions.ipynb"),
        ):
            label = _title(lesson) if folder == "notebooks" else name
            cells.append(f"[{label}]({folder}/{name}) {badge_line(folder, name, settings)}")
        rows.append(f"| {lesson.name[:2]} | " + " | ".join(cells) + " |")
    return "\n".join([README_BEGIN, *rows, README_END])


def sync_readme(text: str) -> str:
    """README 본문에서 강의 표 부분을 새로 만든 표로 바꾼 글을 돌려줍니다."""
    start, end = text.find(README_BEGIN), text.find(README_END)
    if start < 0 or end < 0:
        raise ValueError(f"README.md에 {README_BEGIN} ... {README_END} 표시가 없습니다")
    return text[:start] + readme_table() + text[end + len(README_END) :]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="이 노트북들만 (없으면 모두와 README)")
    parser.add_argument("--check", action="store_true", help="고치지 않고 검사만 합니다")
    args = parser.parse_args(argv)
    bad = 0
    paths = [p.resolve() for p in args.paths] or nbutil.notebook_paths()
    for path in paths:
        nb = nbutil.read(path)
        if args.check:
            for problem in expected_cells(path, nb):
                print(f"{path.relative_to(nbutil.ROOT)}: {problem}")
                bad += 1
        elif sync(nb, path):
            nbutil.write(nb, path)
            print(f"고침: {path.relative_to(nbutil.ROOT)}")
    if args.paths:
        return 1 if bad else 0
    readme = nbutil.ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if sync_readme(text) != text:
        if args.check:
            print("README.md: 강의 표가 노트북과 다릅니다")
            bad += 1
        else:
            readme.write_text(sync_readme(text), encoding="utf-8")
            print("고침: README.md")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
