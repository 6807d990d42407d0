"""교사가 먼저 보는 것: 공개된 해답을 낸 제출, 다른 학생과 답 셀이 같은 제출 (둘 다 상태 `review`).

- 해답: 파일 이름(`..._solutions.ipynb`), 메타데이터(`course.kind == "solution"`), 내용(해답 노트북에만 있는 표시
  `### BEGIN SOLUTION`·`### BEGIN HIDDEN TESTS`가 있음, 또는 모든 답 셀이 공개된 해답과 같음).
- 같은 답: 답 셀을 정규화(주석, 빈 줄, 띄어쓰기, 따옴표 종류를 무시: 파이썬 구문 트리로 다시 씀)해 지문을 만들고,
  지문이 같은 서로 다른 학생의 제출을 짝으로 적습니다. 풀지 않은 답 셀(처음 그대로)은 비교하지 않고, 학생이
  직접 쓴 줄이 너무 적으면(한 줄짜리 정답 몇 개) 지문을 만들지 않습니다: 누구나 같게 쓰는 답은 베낀 증거가 아니므로.

같은 답 찾기는 점수표의 줄(`answers_hash` 열)로 합니다: 한 번에 채점하든, 조각(--shard)으로 나눠 채점하고
`merge`로 합치든, 한 학생만 다시 채점하든(`regrade`) 같은 결과가 나옵니다.
"""

from __future__ import annotations

import ast
import hashlib

from tools import build_exercises as bx
from tools.grading.model import RAN, STATUS_TEXT

MIN_OWN_CHARS = 100  # 학생이 직접 쓴 줄(정규화)의 글자 수가 이보다 적으면 같은 답을 찾지 않습니다
MARKERS = (bx.BEGIN, bx.END, bx.HIDDEN_BEGIN, bx.HIDDEN_END)


def normal_code(text: str) -> str:
    """비교용으로 정규화한 코드: 구문 트리로 다시 쓰므로 주석·띄어쓰기·빈 줄·따옴표 종류가 달라도 같습니다."""
    lines = [line for line in str(text).splitlines() if line.strip() not in MARKERS]
    code = "\n".join(lines)
    try:
        return ast.unparse(ast.parse(code))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    out = []
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            out.append(" ".join(stripped.split()))
    return "\n".join(out)


def own_chars(text: str, stub: str) -> int:
    """학생이 직접 쓴 줄(나눠 준 답 셀에 없던 줄)의 글자 수."""
    given = set(normal_code(stub).splitlines())
    return sum(len(line.strip()) for line in normal_code(text).splitlines() if line not in given)


def _answers(cells: list[dict]) -> list[dict]:
    return [c for c in cells if c.get("role") == "answer"]


def fingerprint(cells: list[dict], stubs: dict[int, str]) -> str:
    """답 셀 전체의 지문 (풀지 않은 답 셀은 빈 자리). 직접 쓴 글자가 MIN_OWN_CHARS보다 적으면 ""."""
    parts, own = [], 0
    for cell in _answers(cells):
        if cell.get("attempted"):
            parts.append(normal_code(cell["source"]))
            own += own_chars(cell["source"], stubs.get(cell.get("slot"), ""))
        else:
            parts.append("")
    if own < MIN_OWN_CHARS:
        return ""
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def solution_reasons(
    nb,
    filename: str,
    cells: list[dict],
    solution_answers: list[str],
    stubs: dict[int, str] | None = None,
    exercise_set: str = "",
) -> list[str]:
    """이 제출이 공개된 해답 노트북으로 보이는 근거 (한국어, 없으면 빈 목록).

    내용 비교는 모든 답 셀이 해답과 같고, 학생이 직접 쓴 글자가 MIN_OWN_CHARS 이상일 때만 근거가 됩니다
    (`return 2 * x` 같은 한 줄 답은 누구나 해답과 같게 씁니다)."""
    reasons = []
    solution_name = f"{exercise_set}{bx.SOLUTION_SUFFIX[: -len('.ipynb')]}" if exercise_set else "_solutions"
    if solution_name.lower() in filename.lower():
        reasons.append(f"파일 이름이 해답 노트북입니다 ({filename})")
    course = nb.get("metadata", {}).get("course")
    if isinstance(course, dict) and course.get("kind") == "solution":
        reasons.append("노트북 메타데이터가 해답 노트북입니다 (course.kind)")
    found = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else str(src)
        for line in src.splitlines():
            if line.strip() in (bx.BEGIN, bx.HIDDEN_BEGIN):
                found.add(line.strip())
    if found:
        reasons.append("해답 노트북에만 있는 표시가 있습니다 (" + ", ".join(sorted(found)) + ")")
    answers = _answers(cells)
    if answers and solution_answers and len(answers) == len(solution_answers):
        same = all(
            cell.get("attempted") and normal_code(cell["source"]) == normal_code(sol)
            for cell, sol in zip(answers, solution_answers, strict=True)
        )
        own = sum(own_chars(cell["source"], (stubs or {}).get(cell.get("slot"), "")) for cell in answers)
        if same and own >= MIN_OWN_CHARS:
            reasons.append("모든 답 셀이 공개된 해답과 같습니다")
    return reasons


def mark_copies(rows: list[dict]) -> list[tuple[str, str]]:
    """점수표의 줄들에서 답 셀이 같은 서로 다른 학생의 제출을 찾아 `same_answers_as`, `flags`, `status`를 고칩니다.

    몇 번을 다시 불러도(조각 합치기, 한 학생 다시 채점하기) 같은 결과가 되도록, 예전의 "copy" 표시는 지우고
    새로 계산합니다. 반환: 짝 목록 [(파일, 파일)].
    """
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        digest = str(row.get("answers_hash") or "")
        if digest and row.get("run_status") in RAN:
            groups.setdefault((str(row.get("exercise_set", "")), digest), []).append(row)
    pairs = []
    for row in rows:
        row["same_answers_as"] = ""
    for members in groups.values():
        for row in members:
            others = [o for o in members if o is not row and _who(o) != _who(row)]
            row["same_answers_as"] = "; ".join(sorted(str(o.get("file", "")) for o in others))
            pairs += [(row["file"], o["file"]) for o in others if str(row["file"]) < str(o["file"])]
    for row in rows:
        flags = {f for f in str(row.get("flags") or "").split(";") if f and f != "copy"}
        if row["same_answers_as"]:
            flags.add("copy")
        row["flags"] = ";".join(sorted(flags))
        base = row.get("run_status")
        if base in RAN:
            row["status"] = "review" if flags else base
        row["status_text"] = STATUS_TEXT.get(str(row.get("status", "")), "")
    return sorted(pairs)


def _who(row: dict) -> tuple[str, str]:
    """같은 학생인지: 명단의 학번이 있으면 학번, 없으면 학생(폴더) 이름."""
    return ("id", str(row["student_id"])) if row.get("student_id") else ("name", str(row.get("student", "")))
