"""테스트 공통 설정: 화면 없는 matplotlib 백엔드, 저장소 경로."""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `tools` 패키지를 불러오기 위해 (helper_functions는 설치되어 있음)
    sys.path.insert(0, str(ROOT))
