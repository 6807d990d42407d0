"""5단계, 쓰고 합치기: 점수표(grades.csv), 학생별 한국어 피드백, 조각(shard) 결과 합치기."""

from __future__ import annotations

import csv
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
    "detail",
]


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
    stem = path[: -len(".ipynb")] if path.endswith(".ipynb") else path
    return re.sub(r"[^\w.-]+", "_", stem.replace("/", "__")) + ".txt"


def csv_row(r: Result) -> dict:
    return {
        "student": r.student,
        "file": r.path,
        "exercise_set": r.exercise_set,
        "status": r.status,
        "passed": r.passed,
        "total": "" if r.total is None else r.total,
        "score": f"{r.score:.1f}",
        "seconds": f"{r.seconds:.1f}",
        "isolation": r.isolation,
        "detail": r.detail,
    }


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
        while name in used:  # a/b.ipynb와 a__b.ipynb처럼 겹치는 이름
            name = name[: -len(".txt")] + "_.txt"
        used.add(name)
        (feedback_dir / name).write_text(feedback_text(r), encoding="utf-8")
    if shard:
        meta = {"shard": list(shard), "files": [r.path for r in results], "feedback": feedback_dir.name}
        shard_meta(out).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


def shard_meta(csv_path: Path) -> Path:
    return csv_path.with_name(csv_path.stem + ".shard.json")


class MergeError(ValueError):
    pass


def merge(parts: list[Path], out: Path, feedback_dir: Path) -> int:
    """조각 CSV들(과 옆의 `<이름>_feedback/`)을 하나로 합칩니다. 반환: 합친 줄 수.

    같은 파일이 두 조각에 있거나, 조각 정보(.shard.json)가 있는데 1..N 가운데 빠진 조각이 있으면 MergeError.
    """
    rows: dict[str, dict] = {}
    seen_shards: set[int] = set()
    totals: set[int] = set()
    feedback_dir.mkdir(parents=True, exist_ok=True)
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
            for txt in source_feedback.glob("*.txt"):
                target = feedback_dir / txt.name
                if target.exists() and target.read_bytes() != txt.read_bytes():
                    raise MergeError(f"피드백 파일 이름이 겹칩니다: {txt.name}")
                shutil.copyfile(txt, target)
    if len(totals) > 1:
        raise MergeError(f"조각 수 N이 서로 다릅니다: {sorted(totals)}")
    if totals:
        missing = sorted(set(range(1, totals.pop() + 1)) - seen_shards)
        if missing:
            raise MergeError(f"빠진 조각이 있습니다: {', '.join(map(str, missing))}")
    _write_csv([rows[k] for k in sorted(rows)], out)
    return len(rows)
