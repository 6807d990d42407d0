# ruff: noqa
# root의 능력으로 샌드박스를 벗어나려는 시도: 바인드 마운트, 읽기 전용 루트를 rw로 다시 마운트, 새 사용자
# 이름공간에서 마운트, ptrace. 모두 실패해야 합니다 (능력 없음, 채점용 uid, seccomp).
# expect: {"status": "review", "passed_max": 0, "note_lacks": ["ESCAPE"], "sandbox_only": true}
import os
import subprocess

attempts = [
    ["mount", "--bind", "/", "/mnt"],
    ["mount", "-o", "remount,rw", "/"],
    ["unshare", "-rm", "sh", "-c", "mount -t tmpfs none /usr"],
    ["unshare", "-U", "true"],
    ["nsenter", "-t", "1", "-m", "true"],
]
worked = []
for cmd in attempts:
    try:
        if subprocess.run(cmd, capture_output=True, timeout=10).returncode == 0:
            worked.append(" ".join(cmd))
    except Exception:
        pass
try:
    open("/usr/escape_TOKEN", "w").write("x")
    worked.append("wrote /usr")
except OSError:
    pass
if os.getuid() == 0:
    worked.append("uid 0")
status = open("/proc/self/status").read()
if "CapEff:\t0000000000000000" not in status:
    worked.append("capabilities")
if worked:
    raise RuntimeError("ESCAPE " + "; ".join(worked))
