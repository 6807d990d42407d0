"""브라우저 테스트(test_browser.py, test_site.py)가 함께 쓰는 Debian Chromium과 실행 옵션.

이 기계들은 패키지 저장소 말고는 인터넷이 막혀 있어, 백그라운드 네트워크를 끄지 않으면 Chromium이
연결을 거절당하며 느려집니다.
"""

from pathlib import Path

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
