"""ruff 검사 (pyproject.toml의 설정): 모듈, 도구, 테스트, 강의·해답 노트북."""

import subprocess
import sys

from tools import nbutil


def test_ruff_check_passes():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(nbutil.ROOT)],
        capture_output=True,
        text=True,
        cwd=nbutil.ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
