"""노트북 도구들이 함께 쓰는 것: 저장소 경로, 강좌 설정, 읽기/쓰기, 메타데이터 정리."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("notebooks", "solutions", "exercises")
EXECUTED_FOLDERS = ("notebooks", "solutions")

# 노트북 메타데이터에서 남길 키 (나머지는 실행마다 바뀌거나 개인 환경의 흔적이라 지웁니다).
KEEP_NB_METADATA = ("kernelspec", "language_info", "course")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# 셀 메타데이터에서 남길 키.
KEEP_CELL_METADATA = ("tags",)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# tqdm 진행 막대 위젯의 글자 표현 ("훈련:   0%|          | 0/15 ..."). 위젯 상태를 지우면 이 글자만 남는데,
# 그것은 막대가 처음 그려질 때의 모습(0%)이라 저장된 노트북에서 거짓말이 됩니다.
_TQDM_TEXT = re.compile(r"\d+%\|")


def course_settings() -> dict:
    """pyproject.toml의 [tool.course] 설정 (repository, branch)."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["course"]


def notebook_paths(*folders: str) -> list[Path]:
    """주어진 폴더들(기본: 세 폴더 모두)의 .ipynb 파일, 이름순."""
    paths: list[Path] = []
    for folder in folders or FOLDERS:
        paths.extend(sorted((ROOT / folder).glob("*.ipynb")))
    return paths


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def clean_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """실행 시간, 위젯 상태, Colab id 같은 휘발성 메타데이터를 지웁니다 (제자리에서 바꿉니다)."""
    nb.metadata = nbformat.from_dict({k: v for k, v in nb.metadata.items() if k in KEEP_NB_METADATA})
    nb.metadata["kernelspec"] = nbformat.from_dict(dict(KERNELSPEC))
    if "language_info" in nb.metadata:
        nb.metadata["language_info"] = nbformat.from_dict({"name": "python", "pygments_lexer": "ipython3"})
    for i, cell in enumerate(nb.cells):
        cell.metadata = nbformat.from_dict({k: v for k, v in cell.metadata.items() if k in KEEP_CELL_METADATA and v})
        cell["id"] = f"cell-{i:03d}"  # 안정된 id: 다시 실행해도 diff가 생기지 않습니다.
        if cell.cell_type == "code":
            cell.outputs = [out for out in cell.get("outputs", []) if not _is_progress_bar(out)]
            for out in cell.outputs:
                out.get("metadata", {}).pop(WIDGET_VIEW, None)
                if out.get("output_type") in ("display_data", "execute_result"):
                    out.get("data", {}).pop(WIDGET_VIEW, None)
    return nb


def _is_progress_bar(out) -> bool:
    """tqdm 진행 막대 위젯 출력인가 (지웁니다: 끝난 결과는 `fit`이 글자 한 줄로 남깁니다)."""
    data = out.get("data", {})
    if WIDGET_VIEW not in data:
        return False
    text = data.get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    return bool(_TQDM_TEXT.search(text))


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    nbformat.validate(nb)
    path.write_text(nbformat.writes(nb).rstrip("\n") + "\n", encoding="utf-8")
