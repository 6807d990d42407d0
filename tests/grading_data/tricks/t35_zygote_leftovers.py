# ruff: noqa
# 모듈을 미리 불러 둔 zygote에서 갈라 낸 커널(root로 채점할 때 기본)이 zygote의 통로나 권한을 물려받지 않았는지:
# zygote와 이야기하는 SEQPACKET 소켓, 남은 능력(capability), no_new_privs와 seccomp가 빠진 것, root uid.
# 하나라도 있으면 LEAK을 담은 오류로 끝나 피드백에 나옵니다 (없어야 합니다).
# expect: {"status": "ok", "note_lacks": ["LEAK"], "sandbox_only": true}
import os
import socket

problems = []
for name in os.listdir("/proc/self/fd"):
    try:
        target = os.readlink(f"/proc/self/fd/{name}")
    except OSError:
        continue
    if target.startswith("socket:"):
        probe = socket.socket(fileno=int(name))
        if probe.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_SEQPACKET:
            problems.append(f"seqpacket fd {name}")
        probe.detach()
status = dict(line.split(":\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\t" in line)
if int(status["CapEff"], 16) or int(status["CapPrm"], 16):
    problems.append(f"caps {status['CapEff'].strip()}")
if status["NoNewPrivs"].strip() != "1" or status["Seccomp"].strip() != "2":
    problems.append("no seccomp")
if os.getuid() == 0:
    problems.append("root")
if problems:
    raise RuntimeError("LEAK " + ", ".join(problems))
