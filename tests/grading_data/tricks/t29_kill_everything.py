# ruff: noqa
# 보이는 모든 프로세스와 자기 자신에게 SIGKILL: 커널만 죽고(kernel_died) 채점은 계속되어야 합니다.
# expect: {"status": "review", "passed_max": 0, "detail_has": "kernel_died", "sandbox_only": true}
import os

try:
    os.kill(-1, 9)
except OSError:
    pass
os.kill(os.getpid(), 9)
