"""5단계, 쓰고 합치기: 점수표(grades.csv), 학생별 한국어 피드백, 조각(shard) 합치기, 한 학생 다시 채점해 바꿔 넣기."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

from tools.grading import integrity
from tools.grading.model import STATUS_TEXT, Result, points_text

CSV_FIELDS = [
    "student",
    "student_id",
    "name",
    "file",
    "exercise_set",
    "status",
    "status_text",
    "passed",
    "total",
    "points",
    "max_points",
    "score",
    "seconds",
    "isolation",
    "grading_seed",
    "flags",
    "same_answers_as",
    "detail",
    "run_status",
    "answers_hash",
]
TEXT_FIELDS = (
    "student",
    "student_id",
    "name",
    "file",
    "exercise_set",
    "status",
    "status_text",
    "isolation",
    "flags",
    "same_answers_as",
    "detail",
    "run_status",
    "answers_hash",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CHECK_COLUMN = re.compile(r"^(\d\d)\.(\d+) ")


def check_title(title: str) -> str:
    """'[점검] 문제 1' -> '문제 1'."""
    return re.sub(r"^\[점검\]\s*", "", title).strip() or title


def check_column(exercise_set: str, number: int, title: str) -> str:
    """점검 하나의 열 이름: 연습 번호, 점검 순서, 제목 (예: '01.3 문제 3'). 값은 받은 점수입니다."""
    return f"{exercise_set[:2]}.{number} {check_title(title)}"


def _column_key(name: str) -> tuple:
    found = CHECK_COLUMN.match(name)
    return (found.group(1), int(found.group(2)), name) if found else ("~", 0, name)


def _status_line(r: Result) -> str:
    return f"상태: {STATUS_TEXT.get(r.status, r.status)}"


def feedback_text(r: Result) -> str:
    """학생에게 돌려줄 한국어 피드백 (상태 코드 대신 한국어, 점검마다 배점과 무엇이 틀렸는지)."""
    who = r.student + (f" ({r.student_id} {r.name})".rstrip() if r.student_id or r.name else "")
    lines = [f"제출: {r.path}", f"학생: {who}", f"연습: {r.exercise_set or '(알 수 없음)'}", _status_line(r)]
    if r.status in ("invalid_notebook", "grader_error") and r.detail:
        lines.append(f"  이유: {r.detail}")
    lines += [f"  {hint}" for hint in r.hints]
    if r.score is None:
        lines.append("점수: 채점하지 않음")
    else:
        lines.append(
            f"점수: {points_text(r.points)}/{points_text(r.max_points or 0)}점 ({r.score:.1f}%), "
            f"점검 {r.passed}/{r.total if r.total is not None else '?'}개 통과"
        )
    lines.append("")
    for check in r.checks:
        mark = "O" if check["passed"] else "X"
        score = f"{points_text(check['points'])}/{points_text(check['max_points'])}점"
        lines.append(f"[{mark}] {check['title']} ({score}): {check['message']}")
        for hidden in check.get("hidden", []):
            state = "통과" if hidden["passed"] else ("실패" if hidden["ran"] else "실행되지 않음")
            lines.append(f"    숨은 점검 {hidden['n']}: {state}")
    if r.solution_reasons:
        lines += ["", "공개된 해답으로 보임 (교사가 확인합니다):"] + [f"- {t}" for t in r.solution_reasons]
    if r.tamper:
        lines += ["", "조작 의심 (교사가 확인합니다):"] + [f"- {t}" for t in r.tamper]
    if r.notes:
        lines += ["", "참고:"] + [f"- {n}" for n in r.notes]
    return "\n".join(lines) + "\n"


def feedback_name(path: str) -> str:
    """피드백 파일 이름: 읽기 쉬운 이름 + 상대 경로의 짧은 해시 (학생마다 다름: 조각을 합칠 때 겹치지 않게)."""
    stem = path[: -len(".ipynb")] if path.endswith(".ipynb") else path
    readable = re.sub(r"[^\w.-]+", "_", stem.replace("/", "__")).strip("._")[:60] or "submission"
    digest = hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{readable}-{digest}.txt"


def _feedback_file(r: Result) -> str:
    return feedback_name(r.path) if r.path else feedback_name(f"미제출/{r.student_id}_{r.name}")


def neutralise(value: str) -> str:
    """스프레드시트 수식으로 읽힐 수 있는 칸(=, +, -, @로 시작)은 앞에 '를 붙입니다 (CSV 주입 막기)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def check_columns(results: list[Result]) -> dict[tuple[str, int], str]:
    """(연습, 점검 순서) -> 열 이름, 점수표에 나오는 연습의 점검 모두."""
    columns = {}
    for r in results:
        for number, check in enumerate(r.checks, start=1):
            columns.setdefault((r.exercise_set, number), check_column(r.exercise_set, number, check["title"]))
    return columns


def csv_row(r: Result, columns: dict[tuple[str, int], str] | None = None) -> dict:
    graded = r.score is not None
    row = {
        "student": r.student,
        "student_id": r.student_id,
        "name": r.name,
        "file": r.path,
        "exercise_set": r.exercise_set,
        "status": r.status,
        "status_text": STATUS_TEXT.get(r.status, ""),
        "passed": r.passed if graded else "",
        "total": "" if r.total is None else r.total,
        "points": points_text(r.points) if graded else "",
        "max_points": points_text(r.max_points),
        "score": f"{r.score:.1f}" if graded else "",
        "seconds": f"{r.seconds:.1f}",
        "isolation": r.isolation,
        "grading_seed": "" if r.grading_seed is None else r.grading_seed,
        "flags": ";".join(sorted(set(r.flags))),
        "same_answers_as": "; ".join(r.same_answers_as),
        "detail": r.detail,
        "run_status": r.run_status or r.status,
        "answers_hash": r.answers_hash,
    }
    for key in TEXT_FIELDS:
        row[key] = neutralise(str(row[key]).encode("utf-8", "replace").decode("utf-8"))
    for number, check in enumerate(r.checks, start=1):
        name = (columns or {}).get((r.exercise_set, number)) or check_column(r.exercise_set, number, check["title"])
        row[name] = points_text(check["points"]) if graded else ""
    return row


def _row_key(row: dict) -> tuple:
    if row.get("file"):
        return (0, str(row["file"]), "", "")
    return (1, "", str(row.get("student_id", "")), str(row.get("name", "")))


def _fields(rows: list[dict]) -> list[str]:
    extra = sorted({k for row in rows for k in row if k not in CSV_FIELDS}, key=_column_key)
    return CSV_FIELDS + extra


def write_csv(rows: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted(rows, key=_row_key)
    with open(out, "w", encoding="utf-8-sig", newline="") as f:  # BOM: 엑셀에서 한글이 깨지지 않게
        writer = csv.DictWriter(f, fieldnames=_fields(rows), extrasaction="ignore", restval="")
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or "file" not in reader.fieldnames:
            raise MergeError(f"점수표 CSV가 아닙니다: {path}")
        return [dict(row) for row in reader]


def write_outputs(
    results: list[Result], out: Path, feedback_dir: Path, shard: tuple[int, int] | None = None
) -> list[dict]:
    """점수표와 피드백을 씁니다. shard면 옆에 `<이름>.shard.json`(조각 번호와 파일 목록)도 씁니다.

    반환: 점수표의 줄들 (같은 답을 낸 제출은 `integrity.mark_copies`가 review로 표시한 뒤).
    """
    columns = check_columns(results)
    rows = [csv_row(r, columns) for r in results]
    if not shard:  # 조각이면 같은 답 찾기는 merge가 모든 조각의 줄로 합니다
        integrity.mark_copies(rows)
    write_csv(rows, out)
    feedback_dir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for r in results:
        name = _feedback_file(r)
        while name in used:  # 같은 경로가 두 번 (있을 수 없지만)
            name = name[: -len(".txt")] + "_.txt"
        used.add(name)
        text = feedback_text(r).encode("utf-8", "replace").decode("utf-8")
        (feedback_dir / name).write_text(text, encoding="utf-8")
    if shard:
        meta = {"shard": list(shard), "files": [r.path for r in results], "feedback": feedback_dir.name}
        shard_meta(out).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return sorted(rows, key=_row_key)


def shard_meta(csv_path: Path) -> Path:
    return csv_path.with_name(csv_path.stem + ".shard.json")


class MergeError(ValueError):
    pass


def merge(parts: list[Path], out: Path, feedback_dir: Path) -> int:
    """조각 CSV들(과 옆의 `<이름>_feedback/`)을 하나로 합칩니다. 반환: 합친 줄 수.

    같은 파일이 두 조각에 있거나, 조각 정보(.shard.json)가 있는데 1..N 가운데 빠진 조각이 있거나, 피드백 파일
    이름이 겹치면 MergeError. 모두 확인한 다음에야 씁니다 (실패하면 아무것도 쓰지 않음). 같은 답을 낸 제출은
    모든 조각의 줄로 다시 찾습니다 (조각이 달라도 찾도록).
    """
    rows: dict[tuple, dict] = {}
    seen_shards: set[int] = set()
    totals: set[int] = set()
    copies: dict[str, Path] = {}
    for part in parts:
        for row in read_csv(part):
            key = _row_key(row)
            if key in rows:
                raise MergeError(f"같은 제출이 두 조각에 있습니다: {row['file'] or row.get('name', '')} ({part})")
            rows[key] = row
        meta_path = shard_meta(part)
        source_feedback = part.with_name(f"{part.stem}_feedback")
        if meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            k, n = meta["shard"]
            if k in seen_shards:
                raise MergeError(f"조각 {k}/{n}이 두 번 있습니다 ({part})")
            seen_shards.add(k)
            totals.add(n)
            source_feedback = part.with_name(meta.get("feedback", source_feedback.name))
        if source_feedback.is_dir():
            for txt in sorted(source_feedback.glob("*.txt")):
                if not txt.is_file() or txt.is_symlink():
                    continue
                if txt.name in copies and copies[txt.name].read_bytes() != txt.read_bytes():
                    raise MergeError(f"피드백 파일 이름이 겹칩니다: {txt.name}")
                copies[txt.name] = txt
    if len(totals) > 1:
        raise MergeError(f"조각 수 N이 서로 다릅니다: {sorted(totals)}")
    if totals:
        missing = sorted(set(range(1, totals.pop() + 1)) - seen_shards)
        if missing:
            raise MergeError(f"빠진 조각이 있습니다: {', '.join(map(str, missing))}")
    feedback_dir.mkdir(parents=True, exist_ok=True)
    for name, txt in copies.items():
        shutil.copyfile(txt, feedback_dir / name)
    merged = list(rows.values())
    _finish_rows(merged)
    write_csv(merged, out)
    return len(merged)


def _finish_rows(rows: list[dict]) -> None:
    for row in rows:
        row.setdefault("run_status", row.get("status", ""))
    integrity.mark_copies(rows)
    for row in rows:
        for key in TEXT_FIELDS:
            if isinstance(row.get(key), str):
                row[key] = neutralise(row[key])


def replace_student(out: Path, feedback_dir: Path, results: list[Result], student: str, student_id: str = "") -> int:
    """한 학생을 다시 채점한 결과로 반 점수표의 그 학생 줄(과 미제출 줄)을 바꿉니다. 반환: 지운 줄 수.

    그 학생의 줄: `student` 열이 같은 줄, 그리고 학번이 같은 `missing` 줄. 다른 학생의 줄은 그대로 두고,
    같은 답 찾기는 반 전체로 다시 합니다. 지운 줄의 피드백 파일도 지웁니다.
    """
    old = read_csv(out)
    student_cell = neutralise(student)
    id_cell = neutralise(student_id) if student_id else ""

    def mine(row: dict) -> bool:
        if row.get("student") == student_cell:
            return True
        return bool(id_cell) and row.get("student_id") == id_cell and row.get("status") == "missing"

    removed = [row for row in old if mine(row)]
    kept = [row for row in old if not mine(row)]
    for row in removed:
        name = (
            feedback_name(row["file"])
            if row.get("file")
            else feedback_name(f"미제출/{row.get('student_id', '')}_{row.get('name', '')}")
        )
        target = feedback_dir / name
        if target.is_file() and not target.is_symlink():
            target.unlink()
    columns = check_columns(results)
    rows = kept + [csv_row(r, columns) for r in results]
    _finish_rows(rows)
    write_csv(rows, out)
    feedback_dir.mkdir(parents=True, exist_ok=True)
    for r in results:
        (feedback_dir / _feedback_file(r)).write_text(feedback_text(r), encoding="utf-8")
    return len(removed)
