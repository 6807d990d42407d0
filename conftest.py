"""pytest 전체 설정 (저장소 루트): 노트북 커널의 스레드 수, 긴 시험을 먼저 시작하는 순서.

pytest-xdist가 노트북 여러 개를 동시에 실행하므로, 커널마다 torch가 코어 수만큼 스레드를 쓰면
코어보다 스레드가 많아져 작은 모델의 훈련이 수십 배 느려질 수 있습니다(2코어에서 관찰).
커널은 이 환경 변수를 물려받습니다. 이미 정해져 있으면 그 값을 그대로 씁니다.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

# 오래 걸리는 시험을 먼저 나눠 줍니다 (가장 긴 일 먼저: 끝에 긴 시험 하나만 남아 코어가 노는 꼬리를 줄입니다).
# pyproject.toml의 `--dist loadgroup --no-loadscope-reorder`로 xdist는 시험을 이 순서대로 하나씩 나눠 줍니다
# (`--dist load`는 처음에 이어진 시험 덩어리를 워커마다 한꺼번에 주므로, 긴 시험이 한 워커에 몰릴 수 있습니다).
# 목록에 없는 시험(단위·정책 시험, 대부분 1초 안)은 모은 순서 그대로 뒤에 갑니다.
SLOW_FIRST = (
    "tests/test_wrong_answers.py::test_solution_blank_exercise_and_wrong_answers",
    "tests/test_grade.py",
    "tests/test_browser.py",
    "notebooks/",
    "tests/test_wrong_answers.py::test_each_wrong_answer",
    "tests/test_lint.py",
)
# 같은 순위 안에서는 무거운 노트북 먼저 (2코어에서 잰 해답·오답 시험 시간의 대략의 순서; 틀려도 느려질 뿐입니다).
HEAVY_NAMES = ("06_", "07_", "04_", "03_", "01_", "05_", "00_", "02_")


def _priority(nodeid: str) -> tuple[int, int]:
    rank = next((i for i, prefix in enumerate(SLOW_FIRST) if nodeid.startswith(prefix)), len(SLOW_FIRST))
    if rank == len(SLOW_FIRST):
        return rank, 0
    name = nodeid.rsplit("/", 1)[-1].split("[", 1)[-1]
    weight = next((i for i, n in enumerate(HEAVY_NAMES) if name.startswith(n)), len(HEAVY_NAMES))
    return rank, weight


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: _priority(item.nodeid))  # 안정 정렬: 같은 순위 안에서는 모은 순서
