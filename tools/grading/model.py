"""단계들이 주고받는 값: 채점 설정(Options)과 제출 하나의 결과(Result), 상태 코드."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tools import nbutil

# 상태 코드 (점수표의 status 열, 기계가 읽는 값) -> 학생과 교사가 읽는 한국어 (피드백, status_text 열)
STATUS_TEXT = {
    "ok": "끝까지 실행됨",
    "review": "교사가 직접 확인해야 함 (점수는 점검 결과 그대로)",
    "invalid_notebook": "노트북 파일이 아님",
    "unknown_set": "어느 연습인지 알 수 없음 (채점하지 않음)",
    "timeout": "시간 제한 초과로 중단",
    "kernel_died": "커널이 죽음",
    "output_too_large": "출력이 너무 커서 중단",
    "grader_error": "채점 도구 오류 (채점하지 않음)",
    "missing": "제출하지 않음",
}
RAN = ("ok", "timeout", "kernel_died", "output_too_large")  # 실행까지 간 상태 (review가 될 수 있는 것)
NOT_GRADED = ("unknown_set", "grader_error", "missing")  # 점수 칸을 비워 두는 상태 (0점이 아니라 '채점 안 됨')
MAX_MESSAGE_CHARS = 500


@dataclass
class Options:
    exercises: Path = nbutil.ROOT / "exercises"
    solutions: Path = nbutil.ROOT / "solutions"  # 숨은 점검을 가져오는 곳
    timeout: float = 120.0
    max_output_bytes: int = 10 * 1024 * 1024  # 커널이 보낸 모든 메시지의 바이트 합 (메타데이터 포함)
    jobs: int = 0
    memory_bytes: int = 0  # 0이면 제한 없음 (GPU 채점에는 0이어야 합니다)
    sandbox: str = "auto"  # none | auto | required
    hide: tuple[Path, ...] = ()  # 예전 설정 (이제 샌드박스는 허용 목록으로 만들므로 쓰지 않습니다)
    tmp_bytes: int = 256 * 1024 * 1024  # 샌드박스의 /tmp 크기 (/dev/shm은 이것과 128 MB 가운데 작은 쪽)
    processes: int = 256  # 커널 하나의 태스크(스레드 포함) 수
    grading_seed: int | None = None  # 숨은 점검의 시드 (None이면 채점마다 새로 뽑음: grade()가 정해 둡니다)
    startup_timeout: float = 60.0
    private: Path | None = None  # 교사의 비공개 점검 폴더 (--hidden, 저장소 밖)
    forced_set: str | None = None  # --set: 어느 연습인지 알 수 없는 제출을 이 연습으로 채점
    preload: bool = True  # 모듈을 미리 불러 둔 프로세스에서 제출마다 새 커널을 갈라 냄 (zygote.py, root + bubblewrap)


@dataclass
class Result:
    path: str
    student: str
    exercise_set: str = ""
    status: str = "grader_error"
    passed: int = 0
    total: int | None = None
    detail: str = ""
    seconds: float = 0.0
    isolation: str = ""
    checks: list[dict] = field(default_factory=list)  # title, passed, message, points, max_points, hidden
    notes: list[str] = field(default_factory=list)  # 학생에게 보이는 참고
    tamper: list[str] = field(default_factory=list)  # 조작 의심 근거 (있으면 상태가 review)
    grading_seed: int | None = None
    run_status: str = ""  # 실행의 상태 (review로 바뀌기 전의 ok, timeout 등)
    flags: list[str] = field(default_factory=list)  # review의 종류: tamper, solution, copy
    solution_reasons: list[str] = field(default_factory=list)  # 공개된 해답으로 보이는 근거
    mismatch: str = ""  # 파일 이름과 메타데이터의 연습이 다름 (flags: mismatch)
    answers_hash: str = ""  # 답 셀(정규화)의 지문: 같은 답을 낸 제출 찾기 (빈 답이면 "")
    same_answers_as: list[str] = field(default_factory=list)  # 답 셀이 같은 다른 학생의 제출
    hints: list[str] = field(default_factory=list)  # 상태에 대한 학생용 설명 (시간 초과면 어느 셀인지 등)
    points: float = 0.0
    max_points: float | None = None
    student_id: str = ""  # 명단(--roster)의 학번
    name: str = ""  # 명단의 이름

    @property
    def score(self) -> float | None:
        """점수(%): 점검의 배점 합 대비 받은 점수. 채점하지 않은 상태(모르는 연습, 도구 오류, 미제출)면 None."""
        if self.status in NOT_GRADED:
            return None
        return round(100.0 * self.points / self.max_points, 1) if self.max_points else 0.0


def points_text(value: float | None) -> str:
    """배점 표시: 2.0 -> "2", 0.5 -> "0.5"."""
    return "" if value is None else f"{value:g}"
