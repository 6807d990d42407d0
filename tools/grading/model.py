"""단계들이 주고받는 값: 채점 설정(Options)과 제출 하나의 결과(Result), 상태 코드."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tools import nbutil

STATUS_TEXT = {
    "ok": "끝까지 실행됨",
    "review": "조작 의심: 교사가 직접 확인해야 함 (점수는 점검 결과 그대로)",
    "invalid_notebook": "노트북 파일이 아님",
    "unknown_set": "어느 연습인지 알 수 없음",
    "timeout": "시간 제한 초과로 중단",
    "kernel_died": "커널이 죽음",
    "output_too_large": "출력이 너무 커서 중단",
    "grader_error": "채점 도구 오류",
}
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
    checks: list[dict] = field(default_factory=list)  # title, passed, message
    notes: list[str] = field(default_factory=list)
    tamper: list[str] = field(default_factory=list)  # 조작 의심 근거 (있으면 상태가 review)
    grading_seed: int | None = None

    @property
    def score(self) -> float:
        return round(100.0 * self.passed / self.total, 1) if self.total else 0.0
