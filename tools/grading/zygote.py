"""커널 시작을 빠르게: 모듈을 미리 불러 둔 프로세스(zygote)에서 제출마다 새 커널을 갈라 냅니다 (issue 21 §3).

커널 하나를 새로 띄우면 파이썬, ipykernel, torch, matplotlib, 강좌 모듈을 불러오는 데만 CPU로 2~3초가 듭니다
(연습 01 채점 시간의 대부분). 그래서 채점 한 번에 zygote 하나를 띄워 그 모듈들을 한 번만 불러 두고, 제출마다:

1. 채점하는 쪽이 bubblewrap 샌드박스를 **보통 때와 똑같은 명령**(sandbox.bwrap_command: 허용 목록 파일 시스템,
   크기 제한 /tmp, 이름공간, seccomp, --die-with-parent)으로 띄우되, 안에서는 잠자는 프로세스 하나만 돌립니다.
2. zygote가 fork하고, 그 자식이 샌드박스의 이름공간에 들어가 한 번 더 fork합니다. 손자가 커널입니다: 샌드박스의
   PID 이름공간 안에서, bubblewrap이 자기 자식에게 하는 것(새 세션, 환경 변수 비우기, no_new_privs, 능력 버리기,
   같은 seccomp 필터)을 하고, 보통의 커널처럼 자원 제한을 걸고 채점용 uid로 바꾼 뒤 감사 훅을 걸고 ipykernel을
   시작합니다 (kernel_side.zygote_main, _spawn).

지키는 것: 제출마다 새 프로세스(zygote는 채점 도구의 코드와 라이브러리 불러오기만 돌렸고, 학생 코드도 점검도 돈 적
없음), 제출마다 새 샌드박스(같은 명령), 같은 uid 바꾸기·seccomp·자원 제한·감사. 커널이 죽으면 pidfd로 바로
알고, 샌드박스(bwrap)를 죽이면 커널도 함께 끝납니다.

쓰는 때: root로 채점할 때(bubblewrap 특권 모드), GPU가 없는 기계에서만. 일반 사용자의 사용자 이름공간으로
들어가는 길은 여기서 시험할 수 없고, CUDA는 fork와 맞지 않을 수 있어 그때는 보통의 커널 시작으로 채점합니다.
zygote를 쓸 수 없으면(시작 실패 등) 그 제출은 보통의 커널 시작으로 채점합니다.
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tools.grading import sandbox

STARTUP_SECONDS = 120
SLEEP = shutil.which("sleep") or "/bin/sleep"  # 샌드박스 안에서 커널이 들어올 때까지 자리를 지키는 프로세스


class ZygoteError(RuntimeError):
    pass


class Zygote:
    """zygote 프로세스 하나 (채점 한 번에 하나). spawn()은 스레드 하나씩 차례로 씁니다."""

    def __init__(self, modules: list[str]):
        self.folder = Path(tempfile.mkdtemp(prefix="grade-zygote-"))
        os.chmod(self.folder, 0o711)
        code = self.folder / f"{sandbox.KERNEL_MODULE}.py"
        code.write_text(Path(__file__).with_name("kernel_side.py").read_text(encoding="utf-8"), encoding="utf-8")
        mpl = self.folder / "mpl"
        mpl.mkdir()
        for source in sandbox.fontlists():
            with contextlib.suppress(OSError):
                (mpl / source.name).write_bytes(source.read_bytes())
        env = sandbox.kernel_env(sandbox.NONE, sandbox.Layout(self.folder))
        env.update(HOME=str(self.folder), MPLCONFIGDIR=str(mpl), TMPDIR="/tmp")
        self.channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        launch = sandbox.launch_code(str(self.folder)).replace("k.main()", "k.zygote_main()")
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", launch, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            env=env,
            cwd="/",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        theirs.close()
        self.lock = threading.Lock()
        try:
            self.channel.sendall(json.dumps({"modules": modules}).encode("utf-8"))
            self.channel.settimeout(STARTUP_SECONDS)
            if self.channel.recv(16) != b"READY":
                raise ZygoteError("zygote가 준비되지 않았습니다")
            self.channel.settimeout(30)
        except (OSError, ZygoteError) as err:
            self.close()
            raise ZygoteError(f"zygote를 시작하지 못했습니다: {err}") from None

    def spawn(
        self, target: int, fds: tuple[int, int, int], env: dict, privileged: bool, seccomp: bytes | None, cgroup=None
    ):
        """샌드박스 프로세스 target 안에 커널 하나를 만듭니다. 반환: (커널의 pid, pidfd). 실패하면 ZygoteError.

        cgroup(메모리 cgroup 폴더)을 주면 커널이 그 안에서 시작합니다."""
        request = {"target": target, "env": env, "privileged": privileged, "seccomp": seccomp.hex() if seccomp else ""}
        request["cgroup"] = str(cgroup / "cgroup.procs") if cgroup else ""
        with self.lock:
            try:
                rights = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))]
                self.channel.sendmsg([json.dumps(request).encode("utf-8")], rights)
                space = socket.CMSG_SPACE(array.array("i").itemsize)
                message, ancillary, _flags, _addr = self.channel.recvmsg(4096, space)
            except OSError as err:
                raise ZygoteError(f"zygote와 주고받지 못했습니다: {err}") from None
        pidfds = array.array("i")
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                pidfds.frombytes(data[: len(data) - (len(data) % pidfds.itemsize)])
        pid = json.loads(message.decode("utf-8") or "{}").get("pid", 0)
        if not pid or not pidfds:
            for fd in pidfds:
                os.close(fd)
            raise ZygoteError("zygote가 커널을 만들지 못했습니다")
        return pid, pidfds[0]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.channel.close()
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


class InjectedProcess:
    """provisioner.process 자리에: 샌드박스(bwrap의 Popen)와 그 안의 커널(pidfd)을 한 프로세스처럼.

    살아 있음 = 커널이 살아 있음 (샌드박스의 잠자는 프로세스가 아니라). 죽이기 = 커널과 샌드박스를 함께.
    """

    def __init__(self, bwrap: subprocess.Popen, pid: int, pidfd: int):
        self.bwrap, self.kernel_pid, self.pidfd = bwrap, pid, pidfd
        self.pid = bwrap.pid  # 프로세스 그룹(killpg)은 bwrap의 것
        self.stdin, self.stdout, self.stderr = bwrap.stdin, bwrap.stdout, bwrap.stderr
        self.returncode = None

    def _kernel_exited(self) -> bool:
        if self.pidfd is None:
            return True
        ready, _, _ = select.select([self.pidfd], [], [], 0)
        return bool(ready)

    def poll(self):
        if self.returncode is None and (self._kernel_exited() or self.bwrap.poll() is not None):
            self.kill()
            self.returncode = self.bwrap.wait()
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            if not self._kernel_exited():
                select.select([self.pidfd], [], [], timeout)
            self.kill()
            self.returncode = self.bwrap.wait(timeout=10)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.pidfd is not None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.pidfd, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.bwrap.kill()

    def close(self) -> None:
        if self.pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self.pidfd)
            self.pidfd = None


def sandbox_pid(info_fd: int, timeout: float = 60) -> int:
    """bwrap --info-fd가 쓰는 JSON에서 샌드박스 안 프로세스의 pid (바깥 이름공간의 번호)."""
    data = b""
    while b"}" not in data:
        ready, _, _ = select.select([info_fd], [], [], timeout)
        if not ready:
            raise ZygoteError("bwrap이 샌드박스 정보를 알려 주지 않았습니다")
        chunk = os.read(info_fd, 4096)
        if not chunk:
            break
        data += chunk
    try:
        pid = int(json.loads(data.decode("utf-8"))["child-pid"])
    except (ValueError, KeyError) as err:
        raise ZygoteError(f"bwrap의 샌드박스 정보를 읽지 못했습니다: {err}") from None
    # bwrap은 파일 시스템(/dev, /tmp 등)을 다 만들기 전에, 샌드박스의 첫 프로세스(bwrap 자신, PID 이름공간의 1번)를
    # 알려 줍니다. 그 자식인 잠자는 프로세스가 실행된 뒤(준비가 끝난 뒤)의 그 자식을 돌려줍니다.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in _children(pid):
            try:
                if os.path.basename(os.readlink(f"/proc/{child}/exe")) == os.path.basename(SLEEP):
                    return child
            except OSError:
                pass
        time.sleep(0.002)
    raise ZygoteError("샌드박스가 준비되지 않았습니다")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                found += [int(x) for x in f.read().split()]
    except (OSError, ValueError):
        pass
    return found
