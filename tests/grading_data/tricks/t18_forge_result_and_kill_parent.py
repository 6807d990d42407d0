# ruff: noqa
# 결과 채널 공격: 결과·로그 파일을 위조하고, 그것을 계속 바꿔 쓰는 분리된 도우미 프로세스를 띄우고, 부모(예전의
# 작업 프로세스)를 죽입니다. 빈 답이 0점 그대로여야 하고, 도우미 프로세스는 남지 않아야 합니다.
# expect: {"status": "review", "passed_max": 0, "sandbox_only": true}
import os
import pathlib
import subprocess
import sys

fake = '{"status": "ok", "detail": "", "cells": [{"ran": true, "ok": true}], "audit": []}'
places = [pathlib.Path.cwd(), pathlib.Path.cwd().parent, pathlib.Path("/run/jupyter"), pathlib.Path("/run/grader")]
places += [pathlib.Path("/tmp")]
for folder in places:
    for name in ("result.json", "worker.log", "kernel.json", "kernel.pid"):
        try:
            (folder / name).write_text(fake)
        except OSError:
            pass
helper = (
    "import pathlib, time\n"
    "for _ in range(600):\n"
    "    for p in pathlib.Path('/').glob('**/result.json'):\n"
    f"        try: p.write_text({fake!r})\n"
    "        except OSError: pass\n"
    "    time.sleep(0.2)\n"
)
subprocess.Popen([sys.executable, "-c", helper, "TOKEN"], start_new_session=True)
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, 9)
    except OSError:
        pass
