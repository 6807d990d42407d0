# ruff: noqa
# 메모리 제한이 프로세스마다입니다(RLIMIT_AS, cgroup 아님): 새 파이썬 N개가 각자 700 MB씩 쓰면 합이 제한을 넘습니다
# (최악: 프로세스 수 제한 256 × 4096 MB). 호스트 메모리가 바닥나면 OOM killer가 다른 학생의 커널이나 채점하는
# 프로세스를 죽일 수 있습니다. 제한을 읽어 합이 그보다 700 MB 크게 자식 수를 정합니다 (--memory-mb 2048이면 3개,
# 2.1 GB). 테스트는 이 파일만 작은 메모리 제한(memory_mb)으로 채점하세요.
# expect: {"status": "review", "passed_max": 0, "sandbox_only": true, "memory_mb": 2048, "note_lacks": ["OVER_LIMIT"]}
import resource
import subprocess
import sys

limit_mb = resource.getrlimit(resource.RLIMIT_AS)[0] >> 20
count = limit_mb // 700 + 1
code = "import time\nblock = b'\\x01' * (700 << 20)\nprint('ok', flush=True)\ntime.sleep(4)\n"
children = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE) for _ in range(count)]
ok = sum(child.stdout.readline().strip() == b"ok" for child in children)
alive = sum(child.wait() == 0 for child in children)  # 끝까지 살아남은 자식만 (메모리 제한이 죽인 자식은 뺌)
total = min(ok, alive) * 700
raise RuntimeError(f"{'OVER_LIMIT' if total > limit_mb else 'held'} total={total} MB limit={limit_mb} MB")
