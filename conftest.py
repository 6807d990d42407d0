"""pytest 전체 설정 (저장소 루트): 노트북 커널의 스레드 수.

pytest-xdist가 노트북 여러 개를 동시에 실행하므로, 커널마다 torch가 코어 수만큼 스레드를 쓰면
코어보다 스레드가 많아져 작은 모델의 훈련이 수십 배 느려질 수 있습니다(2코어에서 관찰).
커널은 이 환경 변수를 물려받습니다. 이미 정해져 있으면 그 값을 그대로 씁니다.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
