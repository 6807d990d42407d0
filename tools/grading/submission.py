"""1단계, 읽고 알아보기: 제출 파일 찾기, 노트북으로 읽기, 어느 연습인지 알아내기, 조각(shard) 나누기."""

from __future__ import annotations

import contextlib
import json
import re
import warnings
from pathlib import Path

import nbformat

EXERCISE_SUFFIX = "_exercises.ipynb"
MAX_SUBMISSION_BYTES = 100 * 1024 * 1024


def load_exercises(folder: Path) -> dict[str, Path]:
    """연습 이름 -> 원본 연습 노트북 경로."""
    return {p.name[: -len(EXERCISE_SUFFIX)]: p for p in sorted(Path(folder).glob(f"*{EXERCISE_SUFFIX}"))}


def find_submissions(root: Path) -> list[Path]:
    """채점할 노트북: 체크포인트, macOS 압축의 부산물(__MACOSX, ._이름), 심볼릭 링크는 뺍니다."""
    return sorted(
        p
        for p in root.rglob("*.ipynb")
        if p.is_file()
        and not p.is_symlink()
        and not p.name.startswith("._")
        and not {".ipynb_checkpoints", "__MACOSX"} & set(p.relative_to(root).parts)
    )


def parse_shard(text: str) -> tuple[int, int]:
    """'K/N' (1 <= K <= N) -> (K, N). 잘못되면 ValueError."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match:
        raise ValueError(f"--shard는 K/N 꼴이어야 합니다 (예: 2/8): {text!r}")
    k, n = int(match.group(1)), int(match.group(2))
    if not 1 <= k <= n:
        raise ValueError(f"--shard K/N에서 1 <= K <= N이어야 합니다: {text!r}")
    return k, n


def shard(paths: list[Path], root: Path, k: int, n: int) -> list[Path]:
    """상대 경로 이름순으로 늘어놓은 제출 가운데 K번째 조각 (i % N == K - 1). 같은 폴더면 언제나 같습니다."""
    ordered = sorted(paths, key=lambda p: p.relative_to(root).as_posix())
    return [p for i, p in enumerate(ordered) if i % n == k - 1]


def student_name(rel: Path) -> str:
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def identify(nb, filename: str, known: list[str]) -> tuple[str | None, str]:
    """제출이 어느 연습인지: (연습 이름 또는 None, 근거)."""
    course = nb.get("metadata", {}).get("course")
    claimed = course.get("exercise_set") if isinstance(course, dict) else None
    if isinstance(claimed, str) and claimed in known:
        return claimed, "메타데이터"
    named = [s for s in known if s in filename]
    if named:
        return max(named, key=len), "파일 이름"
    numbers = set(re.findall(r"(?<!\d)(\d{2})(?!\d)", filename))
    by_number = [s for s in known if s[:2] in numbers]
    if len(by_number) == 1:
        return by_number[0], "파일 이름의 번호"
    hint = f" (메타데이터의 연습 이름 '{claimed}'은 없는 연습입니다)" if claimed else ""
    return None, f"메타데이터에도 파일 이름에도 알려진 연습 이름이 없습니다{hint}"


def read_submission(data: bytes) -> nbformat.NotebookNode:
    """바이트에서 노트북을 읽습니다. 노트북이 아니면 ValueError (한국어 메시지)."""
    if len(data) > MAX_SUBMISSION_BYTES:
        raise ValueError(f"파일이 너무 큽니다 ({len(data) // 1024 // 1024} MB)")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"JSON으로 읽을 수 없습니다: {err}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list) or "nbformat" not in raw:
        raise ValueError("JSON이지만 주피터 노트북 형식이 아닙니다 (cells, nbformat 없음)")
    try:
        with _quiet_warnings():
            nb = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as err:  # nbformat이 내는 여러 종류의 오류
        raise ValueError(f"노트북 형식 오류: {type(err).__name__}: {str(err)[:200]}") from None
    for cell in nb.cells:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise ValueError("노트북 형식 오류: 알 수 없는 셀이 있습니다")
    return nb


@contextlib.contextmanager
def _quiet_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
