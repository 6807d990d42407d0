"""5단계, 쓰고 합치기: 점수표(grades.csv), 학생별 한국어 피드백, 조각(shard) 결과 합치기."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

from tools.grading.model import STATUS_TEXT, Result

CSV_FIELDS = [
    "student",
    "file",
    "exercise_set",
    "status",
    "passed",
    "total",
    "score",
    "seconds",
    "isolation",
    "grading_seed",
    "detail",
]
TEXT_FIELDS = ("student", "file", "exercise_set", "status", "isolation", "detail")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def feedback_text(r: Result) -> str:
    lines = [
        f"제출: {r.path}",
        f"학생: {r.student}",
        f"연습: {r.exercise_set or '(알 수 없음)'}",
        f"상태: {r.status} ({STATUS_TEXT.get(r.status, '')})" + (f": {r.detail}" if r.detail else ""),
        f"점수: {r.passed}/{r.total if r.total is not None else '?'} 점검 통과 ({r.score:.1f}%)",
        "",
    ]
    for check in r.checks:
        lines.append(f"[{'O' if check['passed'] else 'X'}] {check['title']}: {check['message']}")
        for hidden in check.get("hidden", []):
            mark = "통과" if hidden["passed"] else ("실패" if hidden["ran"] else "실행되지 않음")
            lines.append(f"    숨은 점검 {hidden['n']}: {mark}")
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


def neutralise(value: str) -> str:
    """스프레드시트 수식으로 읽힐 수 있는 칸(=, +, -, @로 시작)은 앞에 '를 붙입니다 (CSV 주입 막기)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_row(r: Result) -> dict:
    row = {
        "student": r.student,
        "file": r.path,
        "exercise_set": r.exercise_set,
        "status": r.status,
        "passed": r.passed,
        "total": "" if r.total is None else r.total,
        "score": f"{r.score:.1f}",
        "seconds": f"{r.seconds:.1f}",
        "isolation": r.isolation,
        "grading_seed": "" if r.grading_seed is None else r.grading_seed,
        "detail": r.detail,
    }
    for key in TEXT_FIELDS:
        row[key] = neutralise(str(row[key]).encode("utf-8", "replace").decode("utf-8"))
    return row


def _write_csv(rows: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8-sig", newline="") as f:  # BOM: 엑셀에서 한글이 깨지지 않게
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def write_outputs(results: list[Result], out: Path, feedback_dir: Path, shard: tuple[int, int] | None = None) -> None:
    """점수표와 피드백을 씁니다. shard면 옆에 `<이름>.shard.json`(조각 번호와 파일 목록)도 씁니다."""
    _write_csv([csv_row(r) for r in results], out)
    feedback_dir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for r in results:
        name = feedback_name(r.path)
        while name in used:  # 같은 경로가 두 번 (있을 수 없지만)
            name = name[: -len(".txt")] + "_.txt"
        used.add(name)
        text = feedback_text(r).encode("utf-8", "replace").decode("utf-8")
        (feedback_dir / name).write_text(text, encoding="utf-8")
    if shard:
        meta = {"shard": list(shard), "files": [r.path for r in results], "feedback": feedback_dir.name}
        shard_meta(out).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


def shard_meta(csv_path: Path) -> Path:
    return csv_path.with_name(csv_path.stem + ".shard.json")


class MergeError(ValueError):
    pass


def merge(parts: list[Path], out: Path, feedback_dir: Path) -> int:
    """조각 CSV들(과 옆의 `<이름>_feedback/`)을 하나로 합칩니다. 반환: 합친 줄 수.

    같은 파일이 두 조각에 있거나, 조각 정보(.shard.json)가 있는데 1..N 가운데 빠진 조각이 있거나, 피드백 파일
    이름이 겹치면 MergeError. 모두 확인한 다음에야 씁니다 (실패하면 아무것도 쓰지 않음).
    """
    rows: dict[str, dict] = {}
    seen_shards: set[int] = set()
    totals: set[int] = set()
    copies: dict[str, Path] = {}
    for part in parts:
        with open(part, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames is None or "file" not in reader.fieldnames:
                raise MergeError(f"점수표 CSV가 아닙니다: {part}")
            for row in reader:
                if row["file"] in rows:
                    raise MergeError(f"같은 제출이 두 조각에 있습니다: {row['file']} ({part})")
                rows[row["file"]] = row
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
    for row in rows.values():
        for key in TEXT_FIELDS:
            if isinstance(row.get(key), str):
                row[key] = neutralise(row[key])
    _write_csv([rows[k] for k in sorted(rows)], out)
    return len(rows)
