"""명단(--roster students.csv: 학번, 이름): 제출마다 학번과 이름을 붙이고, 내지 않은 학생은 `missing` 줄로.

명단은 UTF-8(엑셀의 BOM 포함) CSV이고 첫 줄이 머리글입니다: `학번,이름` (또는 `student_id,name`). 제출의
학생 이름(하위 폴더 이름, 없으면 파일 이름)과 명단은 모두 NFC로 맞춰 비교하므로 macOS에서 압축한 폴더 이름
(NFD, 자모가 나뉜 한글)도 명단과 맞습니다. 맞추는 순서: 학번(이름 안의 숫자 덩어리와 같음), 이름(같거나
이름 안에 들어 있음, 가장 긴 것). 둘 이상이 똑같이 맞으면 맞추지 않습니다 (교사가 폴더 이름을 고치게).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ID_HEADERS = ("학번", "student_id", "id", "번호")
NAME_HEADERS = ("이름", "name", "성명")
MISSING_DETAIL = "제출한 노트북이 없습니다"


@dataclass(frozen=True)
class Student:
    student_id: str
    name: str


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def read_roster(path: Path) -> list[Student]:
    """명단 CSV를 읽습니다. 형식이 틀리면 ValueError (한국어)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"명단은 UTF-8 CSV여야 합니다 (엑셀: 'CSV UTF-8'로 저장): {path}") from None
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ValueError(f"명단이 비어 있습니다: {path}")
    header = [nfc(h).lower() for h in rows[0]]
    id_col = next((header.index(h) for h in ID_HEADERS if h in header), None)
    name_col = next((header.index(h) for h in NAME_HEADERS if h in header), None)
    if id_col is None or name_col is None:
        raise ValueError(f"명단의 첫 줄은 '학번,이름' 머리글이어야 합니다. 지금: {','.join(rows[0])}")
    students, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        student_id = nfc(row[id_col]) if id_col < len(row) else ""
        name = nfc(row[name_col]) if name_col < len(row) else ""
        if not student_id and not name:
            continue
        if student_id and student_id in seen:
            raise ValueError(f"명단 {number}번째 줄: 학번 {student_id}이(가) 두 번 있습니다")
        seen.add(student_id)
        students.append(Student(student_id, name))
    return students


def match(student: str, roster: list[Student]) -> Student | None:
    """제출의 학생 이름(폴더 이름)에 맞는 명단의 학생 (없거나 애매하면 None)."""
    text = nfc(student)
    numbers = set(re.findall(r"\d+", text))
    by_id = [s for s in roster if s.student_id and s.student_id in numbers]
    if len(by_id) == 1:
        return by_id[0]
    if len(by_id) > 1:
        return None
    exact = [s for s in roster if s.name and s.name == text]
    if len(exact) == 1:
        return exact[0]
    inside = [s for s in roster if s.name and s.name in text]
    if not inside:
        return None
    longest = max(len(s.name) for s in inside)
    best = [s for s in inside if len(s.name) == longest]
    return best[0] if len(best) == 1 else None


def assign(students: list[str], roster: list[Student]) -> tuple[dict[str, Student], list[Student]]:
    """(학생 이름 -> 명단의 학생, 제출이 하나도 없는 명단의 학생)."""
    found = {}
    for student in dict.fromkeys(students):
        entry = match(student, roster)
        if entry is not None:
            found[student] = entry
    matched = set(found.values())
    return found, [s for s in roster if s not in matched]
