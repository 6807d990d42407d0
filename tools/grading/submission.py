"""1단계, 읽고 알아보기: 제출 파일 찾기, 노트북으로 읽기, 어느 연습인지 알아내기, 조각(shard) 나누기."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import unicodedata
import warnings
from pathlib import Path

import nbformat

EXERCISE_SUFFIX = "_exercises.ipynb"
MAX_SUBMISSION_BYTES = 50 * 1024 * 1024


class SubmissionError(ValueError):
    """제출 파일을 노트북으로 읽을 수 없을 때 (한국어 메시지)."""


def read_file(path: Path, limit: int = MAX_SUBMISSION_BYTES) -> bytes:
    """일반 파일만, 링크를 따라가지 않고(O_NOFOLLOW), 크기를 먼저 보고, 정해진 만큼만 읽습니다.

    FIFO, 장치, 심볼릭 링크, 너무 큰 파일(구멍 난 큰 파일 포함)은 SubmissionError입니다.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise SubmissionError("일반 파일이 아닙니다 (심볼릭 링크는 따라가지 않습니다)") from None
        raise SubmissionError(f"파일을 열 수 없습니다 ({err.strerror or type(err).__name__})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionError("일반 파일이 아닙니다 (링크, FIFO, 장치 등)")
        if info.st_size > limit:
            size, most = info.st_size // 1024 // 1024, limit // 1024 // 1024
            raise SubmissionError(f"파일이 너무 큽니다 ({size} MB, 최대 {most} MB)")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise SubmissionError(f"파일이 너무 큽니다 (최대 {limit // 1024 // 1024} MB)")
        return b"".join(chunks)
    finally:
        os.close(fd)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """화면, CSV, 피드백에 쓸 이름: UTF-8이 아닌 바이트와 제어 문자(터미널 이스케이프 포함)는 �로, NFC로."""
    raw = os.fsencode(text) if isinstance(text, str) else bytes(text)
    decoded = raw.decode("utf-8", "replace")
    return _CONTROL.sub("\ufffd", unicodedata.normalize("NFC", decoded))


def display_path(rel: Path) -> str:
    return clean_text(rel.as_posix())


def unique_displays(paths: list[Path], root: Path) -> dict[str, str]:
    """화면용 이름이 겹치는 제출(잘못된 바이트 하나, NFC/NFD만 다름: r05)의 이름 -> 원래 바이트의 짧은 해시를 붙인 이름.

    제출 폴더 전체로 정하므로 --shard로 나눠 채점해도 조각마다 같은 이름이 나옵니다. 겹치지 않으면 그대로.
    """
    import hashlib

    groups: dict[str, list[bytes]] = {}
    for path in paths:
        try:
            raw = os.fsencode(path.relative_to(root).as_posix())
        except ValueError:
            continue
        groups.setdefault(display_path(path.relative_to(root)), []).append(raw)
    out = {}
    for shown, raws in groups.items():
        if len(raws) > 1:
            for raw in raws:
                out[os.fsdecode(raw)] = f"{shown} [#{hashlib.sha256(raw).hexdigest()[:8]}]"
    return out


def name_disagrees(filename: str, exercise_set: str, known: list[str]) -> str:
    """메타데이터로 알아낸 연습과 파일 이름이 가리키는 연습이 다르면 그 이유 (r14), 같거나 알 수 없으면 ""."""
    filename = clean_text(filename)
    named = [s for s in known if s in filename]
    if named and exercise_set not in named:
        return f"파일 이름은 연습 {max(named, key=len)}인데 노트북 메타데이터는 {exercise_set}입니다"
    leading = re.match(r"(\d{2})(?!\d)", filename)
    if not named and leading and leading.group(1) != exercise_set[:2]:
        return f"파일 이름의 번호는 {leading.group(1)}인데 노트북 메타데이터는 연습 {exercise_set}입니다"
    return ""


def load_exercises(folder: Path) -> dict[str, Path]:
    """연습 이름 -> 원본 연습 노트북 경로."""
    return {p.name[: -len(EXERCISE_SUFFIX)]: p for p in sorted(Path(folder).glob(f"*{EXERCISE_SUFFIX}"))}


def find_submissions(root: Path) -> list[Path]:
    """채점할 노트북: `.ipynb`로 끝나는 모든 것 (체크포인트와 macOS 압축의 부산물 __MACOSX, ._이름은 뺍니다).

    일반 파일이 아닌 것(심볼릭 링크, FIFO 등)도 넣습니다: 읽을 때 그 제출의 `invalid_notebook` 줄이 되어
    교사가 알 수 있게. 링크를 따라 폴더로 들어가지 않습니다. 파일 이름순(바이트 순서)이라 UTF-8이 아닌 이름이
    섞여도 정렬이 됩니다. 읽을 수 없는 폴더는 건너뜁니다.
    """
    found = []
    for folder, dirs, files in os.walk(root, onerror=lambda err: None, followlinks=False):
        dirs[:] = [d for d in dirs if d not in (".ipynb_checkpoints", "__MACOSX")]
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            if name.endswith(".ipynb") and not name.startswith("._"):
                found.append(Path(folder) / name)
    return sorted(found, key=lambda p: os.fsencode(p))


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
    ordered = sorted(paths, key=lambda p: os.fsencode(p.relative_to(root)))
    return [p for i, p in enumerate(ordered) if i % n == k - 1]


def student_name(rel: Path) -> str:
    return clean_text(rel.parts[0] if len(rel.parts) > 1 else rel.stem)


def identify(nb, filename: str, known: list[str]) -> tuple[str | None, str]:
    """제출이 어느 연습인지: (연습 이름 또는 None, 근거)."""
    course = nb.get("metadata", {}).get("course")
    claimed = course.get("exercise_set") if isinstance(course, dict) else None
    if isinstance(claimed, str) and claimed in known:
        return claimed, "메타데이터"
    filename = clean_text(filename)
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
        raise SubmissionError(f"파일이 너무 큽니다 ({len(data) // 1024 // 1024} MB)")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SubmissionError(f"JSON으로 읽을 수 없습니다: {err}") from None
    except RecursionError:
        raise SubmissionError("JSON이 너무 깊게 중첩되어 있습니다") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list) or "nbformat" not in raw:
        raise SubmissionError("JSON이지만 주피터 노트북 형식이 아닙니다 (cells, nbformat 없음)")
    try:
        with _quiet_warnings():
            nb = nbformat.reads(json.dumps(raw), as_version=4)
    except RecursionError:
        raise SubmissionError("노트북 JSON이 너무 깊게 중첩되어 있습니다") from None
    except Exception as err:  # nbformat이 내는 여러 종류의 오류
        raise SubmissionError(f"노트북 형식 오류: {type(err).__name__}: {str(err)[:200]}") from None
    for cell in nb.cells:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise SubmissionError("노트북 형식 오류: 알 수 없는 셀이 있습니다")
        if not isinstance(cell.get("source", ""), (str, list)):
            raise SubmissionError("노트북 형식 오류: 셀의 source가 글자가 아닙니다")
    return nb


@contextlib.contextmanager
def _quiet_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
