"""브라우저 테스트(test_browser.py, test_site.py)가 함께 쓰는 Debian Chromium과 실행 옵션.

이 기계들은 패키지 저장소 말고는 인터넷이 막혀 있어, 백그라운드 네트워크를 끄지 않으면 Chromium이
연결을 거절당하며 느려집니다.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def require_browser() -> None:
    """Chromium과 playwright가 없으면 테스트를 건너뜁니다 (CI=true이면 실패: .ci/run이 설치하기 때문)."""
    problems = []
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        problems.append(f"{CHROMIUM}가 없습니다. Debian/Ubuntu: `sudo apt-get install chromium fonts-nanum`")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("파이썬 패키지 playwright가 없습니다: `make setup` (requirements.txt)")
    if problems:
        message = "브라우저 테스트를 할 수 없습니다: " + "; ".join(problems)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI에서는 건너뛰지 않고 실패로 봅니다)", pytrace=False)
        pytest.skip(message)
