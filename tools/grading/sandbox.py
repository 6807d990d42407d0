"""3단계, 격리: 커널 하나만 bubblewrap 안에서. 채점하는 프로세스(노트북 실행기)는 바깥에 있습니다.

학생 코드는 커널 안에서만 돕니다. 채점 결과, 로그, 실행기(nbclient)는 채점하는 프로세스의 메모리에
있고 샌드박스 안에서는 보이지도 닿지도 않습니다. 커널과는 세 가지로만 주고받습니다:

- 주피터 메시지: ZeroMQ `ipc` 소켓. 소켓 파일은 작업 폴더의 `sock/`에 있고 샌드박스 안에는
  `/run/jupyter`로 보입니다 (--unshare-net이라 루프백 TCP는 바깥과 이어지지 않습니다). 커널이 준비되면
  바깥의 `sock/` 폴더 이름을 바꾸고(다시 연결할 경로가 사라짐) root면 커널 uid가 더 쓰지 못하게 합니다.
- 설정: 파이프 하나 (커널이 시작할 때 읽고 닫음). 명령줄, 환경 변수, 파일에는 없습니다.
- 감사 보고: 파이프 하나 (커널 → 채점하는 쪽, 쓰기만). tools/grading/kernel_side.py.

샌드박스 (bwrap):
- 파일 시스템은 허용 목록으로 만듭니다: /usr, /etc, /sys(읽기 전용), 파이썬과 가상 환경, 강좌 모듈 파일
  하나(helper_functions.py). 저장소의 나머지(solutions/, .git, tests/), 홈 폴더, /root, /work, /mnt,
  /media, 제출 폴더, 결과 폴더는 어떤 배치에서도 없습니다 (가리는 목록이 아니라 허용 목록이므로).
- 루트(/)는 읽기 전용으로 다시 마운트하고, 쓸 수 있는 곳은 크기 제한이 있는 /tmp와 /dev/shm(tmpfs)뿐입니다.
- 네트워크, PID, IPC, UTS, cgroup 이름공간을 따로 씁니다. --die-with-parent, --new-session.
- 환경 변수는 지우고(--clearenv) 커널에 필요한 것만 줍니다. 능력(capability)은 모두 버립니다(--cap-drop ALL).
  bwrap은 늘 no_new_privs를 겁니다.
- root로 채점하면: bwrap은 root로(특권 모드) 돌고, 커널 쪽 코드가 자원 제한을 건 다음 제출마다 다른
  채점용 uid로 바꿉니다 (CAP_SETUID/SETGID만 잠깐 남겼다가 uid를 바꾸는 순간 모두 사라짐). 그래서 샌드박스
  안에 root가 없고, 프로세스 수 제한(RLIMIT_NPROC)이 그 제출에만 걸립니다.
- root가 아니면: 사용자 이름공간(--unshare-user --disable-userns)에서 채점하는 사람의 uid로 돕니다.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import json
import os
import secrets
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tools import nbutil

BWRAP = "bubblewrap"
NONE = "none"
NAMESPACES = ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
SANDBOX_GRADER = "/run/grader"  # 샌드박스 안: 커널 쪽 코드, 연결 파일, 글꼴 목록 (읽기 전용)
SANDBOX_SOCKETS = "/run/jupyter"  # 샌드박스 안: ZeroMQ 소켓 파일
SANDBOX_HOME = "/tmp/home"
SANDBOX_WORK = "/tmp/work"
UID_BASE, UID_SPAN = 61000, 4000  # root로 채점할 때 제출마다 고르는 uid 범위
KERNEL_MODULE = "course_grader_kernel"
ENV_PASSTHROUGH = ("CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", "LD_LIBRARY_PATH", "TZ")


class SandboxError(RuntimeError):
    """--sandbox required인데 bubblewrap을 쓸 수 없을 때."""


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def gpu_devices() -> list[str]:
    return sorted(glob.glob("/dev/nvidia*")) + sorted(glob.glob("/dev/dri"))


def _clean_sys_path() -> list[str]:
    """커널과 같은 방식(`python -I`)으로 띄운 파이썬의 sys.path (채점하는 프로세스의 sys.path가 아니라)."""
    with contextlib.suppress(Exception):
        done = subprocess.run(
            [sys.executable, "-I", "-c", "import json, sys; print(json.dumps(sys.path))"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd="/",
        )
        return [p for p in json.loads(done.stdout) if isinstance(p, str)]
    return []


@functools.lru_cache(maxsize=1)
def python_paths() -> tuple[Path, ...]:
    """샌드박스 안에서 보여야 하는 파이썬 폴더: 가상 환경, 기본 파이썬, 그리고 깨끗한 파이썬의 sys.path 항목.

    저장소 안의 폴더는 가상 환경(sys.prefix) 말고는 넣지 않습니다 (tests/, solutions/ 등이 보이지 않게).
    """
    found = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    found.add(Path(os.path.realpath(sys.executable)).parent.parent)
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        with contextlib.suppress(KeyError):
            found.add(Path(sysconfig.get_paths()[key]).resolve())
    checkout = nbutil.ROOT.resolve()
    venv = Path(sys.prefix).resolve()
    for entry in _clean_sys_path():
        if entry and os.path.isdir(entry):
            path = Path(entry).resolve()
            inside = path == checkout or checkout in path.parents
            if (inside and venv != path and venv not in path.parents) or str(path).startswith(("/tmp/", "/dev/shm/")):
                continue
            found.add(path)
    roots: list[Path] = []
    for path in sorted(found, key=lambda p: len(p.parts)):
        if path == Path("/") or any(r == path or r in path.parents for r in roots):
            continue
        if path.parts[1:2] in (("usr",), ("etc",)):
            continue  # /usr, /etc는 통째로 보입니다
        roots.append(path)
    return tuple(roots)


def library_files() -> list[str]:
    """강좌 모듈: 저장소에서 샌드박스에 보이는 파일은 이것뿐입니다 (가상 환경이 가리키는 helper_functions.py)."""
    import importlib.util

    found = {str((nbutil.ROOT / "helper_functions.py").resolve())}
    with contextlib.suppress(Exception):
        spec = importlib.util.find_spec("helper_functions")
        if spec is not None and spec.origin and os.path.isfile(spec.origin):
            found.add(str(Path(spec.origin).resolve()))
    return sorted(p for p in found if os.path.isfile(p))


def fontlists() -> list[Path]:
    """matplotlib 글꼴 목록 (커널마다 다시 만들지 않게 복사해 줍니다)."""
    folders = [os.environ.get("MPLCONFIGDIR"), os.environ.get("XDG_CACHE_HOME"), str(Path.home() / ".cache")]
    out = []
    for folder in filter(None, folders):
        base = Path(folder)
        for candidate in (base, base / "matplotlib"):
            out += sorted(candidate.glob("fontlist-*.json"))
        if out:
            break
    return [p for p in out if p.is_file() and p.stat().st_size < 10 * 1024 * 1024]


@dataclass
class Limits:
    """커널 하나의 자원 제한. 0이면 제한 없음."""

    memory_bytes: int = 0  # 주소 공간 (RLIMIT_AS; GPU를 쓰면 0이어야 합니다)
    cpu_seconds: int = 0
    processes: int = 256  # 태스크(스레드 포함) 수
    file_bytes: int = 256 * 1024 * 1024  # 파일 하나의 크기
    open_files: int = 1024
    tmp_bytes: int = 256 * 1024 * 1024  # /tmp tmpfs
    shm_bytes: int = 128 * 1024 * 1024  # /dev/shm tmpfs

    def rlimits(self) -> dict:
        return {
            "as": self.memory_bytes or None,
            "cpu": self.cpu_seconds or None,
            "nproc": self.processes or None,
            "fsize": self.file_bytes or None,
            "nofile": self.open_files or None,
            "core": 0,
        }


@dataclass
class Layout:
    """작업 하나의 바깥 폴더들 (채점하는 쪽만 씀). 샌드박스에는 boot(읽기 전용)와 sock만 보입니다."""

    root: Path
    boot: Path = field(init=False)  # 커널 쪽 코드, 커널용 연결 파일, 글꼴 목록
    sock: Path = field(init=False)  # 소켓 파일 (커널이 만듦)
    home: Path = field(init=False)  # 격리 없이 채점할 때만: 커널의 홈과 작업 폴더
    work: Path = field(init=False)
    connection_file: Path = field(init=False)  # 채점하는 쪽의 연결 파일 (샌드박스에 없음)

    def __post_init__(self):
        self.boot = self.root / "boot"
        self.sock = self.root / "sock"
        self.home = self.root / "home"
        self.work = self.root / "work"
        self.connection_file = self.root / "kernel.json"


def new_layout() -> Layout:
    root = Path(tempfile.mkdtemp(prefix="grade-")).resolve()
    os.chmod(root, 0o711)
    layout = Layout(root)
    layout.boot.mkdir(mode=0o755)
    layout.sock.mkdir(mode=0o700)
    shutil.copyfile(Path(__file__).with_name("kernel_side.py"), layout.boot / f"{KERNEL_MODULE}.py")
    for source in fontlists():
        with contextlib.suppress(OSError):
            shutil.copyfile(source, layout.boot / source.name)
    for path in layout.boot.iterdir():
        os.chmod(path, 0o644)
    return layout


def pick_uid() -> int:
    """root로 채점할 때 이 제출의 커널 uid: 범위 안에서 무작위, /etc/passwd에 있는 uid는 피합니다."""
    import pwd

    for _ in range(100):
        uid = UID_BASE + secrets.randbelow(UID_SPAN)
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
    return UID_BASE


@functools.cache
def _cgroup_base() -> Path | None:
    """새 메모리 cgroup을 만들 수 있는 곳 (root로, cgroup v1 memory 또는 v2에 memory가 켜진 곳), 없으면 None."""
    if not is_root():
        return None
    try:
        lines = Path("/proc/self/cgroup").read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, rel = line.split(":", 2)
        if "memory" in controllers.split(","):
            for base in (Path("/sys/fs/cgroup/memory") / rel.lstrip("/"), Path("/sys/fs/cgroup/memory")):
                if (base / "memory.limit_in_bytes").exists() and os.access(base, os.W_OK):
                    return base
    for line in lines:
        if line.startswith("0::"):
            base = Path("/sys/fs/cgroup") / line[3:].lstrip("/")
            with contextlib.suppress(OSError):
                if "memory" in (base / "cgroup.subtree_control").read_text(encoding="ascii").split():
                    return base
    return None


def memory_cgroup(limit: int) -> Path | None:
    """이 제출만의 메모리 cgroup (커널과 그 자식 프로세스 전부의 메모리 합 제한: r08). 쓸 수 없으면 None.

    RLIMIT_AS는 프로세스마다라 자식을 여럿 띄우면 합이 제한을 넘습니다. cgroup은 root일 때만 만듭니다.
    """
    base = _cgroup_base() if limit > 0 else None
    if base is None:
        return None
    path = base / f"course-grader-{secrets.token_hex(6)}"
    try:
        path.mkdir()
        if (path / "memory.limit_in_bytes").exists():
            (path / "memory.limit_in_bytes").write_text(str(limit), encoding="ascii")
            with contextlib.suppress(OSError):
                (path / "memory.memsw.limit_in_bytes").write_text(str(limit), encoding="ascii")
        else:
            (path / "memory.max").write_text(str(limit), encoding="ascii")
            with contextlib.suppress(OSError):
                (path / "memory.swap.max").write_text("0", encoding="ascii")
        return path
    except OSError:
        remove_cgroup(path)
        return None


def remove_cgroup(path: Path | None) -> None:
    import time

    for _ in range(40):
        if path is None or not path.exists():
            return
        try:
            path.rmdir()
            return
        except OSError:
            time.sleep(0.05)


def in_cgroup(command: list[str], cgroup: Path | None) -> list[str]:
    """command를 cgroup 안에서 (셸이 자기 pid를 cgroup.procs에 쓰고 exec)."""
    if cgroup is None:
        return command
    return ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(cgroup / "cgroup.procs"), *command]


_CLAIMED: set[int] = set()  # 이 프로세스에서 지금 쓰는 uid
UID_LOCKS = Path(tempfile.gettempdir()) / "course-grader-uids"  # 같은 기계의 다른 채점 프로세스와 나누는 잠금


def _uid_in_use(uid: int) -> bool:
    for name in os.listdir("/proc"):
        if name.isdigit():
            with contextlib.suppress(OSError):
                if os.stat(f"/proc/{name}").st_uid == uid:
                    return True
    return False


def claim_uid() -> tuple[int, int]:
    """동시에 도는 다른 작업(이 프로세스의 작업, 같은 기계의 다른 채점: 잠금 파일)이 쓰지 않는 uid를 잡습니다 (r07).

    RLIMIT_NPROC는 uid 전체의 태스크 수라, 두 제출이 uid를 나누면 한 제출이 다른 제출의 프로세스·스레드를 막을 수
    있습니다. 무작위로 몇 번 고르고, 안 되면 범위를 차례로 봅니다. 반환: (uid, 잠금 fd). 다 쓰면 release_uid.
    """
    import fcntl

    UID_LOCKS.mkdir(mode=0o700, exist_ok=True)
    tries = [pick_uid() for _ in range(20)] + list(range(UID_BASE, UID_BASE + UID_SPAN))
    for uid in tries:
        if uid in _CLAIMED:
            continue
        fd = os.open(UID_LOCKS / str(uid), os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        if uid in _CLAIMED or _uid_in_use(uid):
            os.close(fd)
            continue
        _CLAIMED.add(uid)
        return uid, fd
    raise SandboxError("채점용 uid가 모두 쓰이고 있습니다")


def release_uid(uid: int, fd: int) -> None:
    _CLAIMED.discard(uid)
    with contextlib.suppress(OSError):
        os.close(fd)


def kernel_env(isolation: str, layout: Layout, threads: str = "1") -> dict[str, str]:
    """커널의 환경 변수: 필요한 것만 (채점하는 사람의 토큰 같은 것은 넘기지 않습니다)."""
    home = SANDBOX_HOME if isolation == BWRAP else str(layout.home)
    env = {
        "HOME": home,
        "USER": "student",
        "LOGNAME": "student",
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TMPDIR": "/tmp" if isolation == BWRAP else str(layout.home),
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{home}/.cache/matplotlib",
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", threads),
        "MKL_NUM_THREADS": os.environ.get("MKL_NUM_THREADS", threads),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
        "IPYTHONDIR": f"{home}/.ipython",
    }
    for name in ENV_PASSTHROUGH:
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def launch_code(module_dir: str) -> str:
    return f"import sys; sys.path.insert(0, {module_dir!r}); import {KERNEL_MODULE} as k; k.main()"


def _parents(path: Path, existing: set[Path]) -> list[str]:
    """path의 부모 폴더 가운데 아직 샌드박스에 없는 것을 0755로 만듭니다 (bwrap은 0700으로 만들기 때문)."""
    args = []
    for parent in reversed(path.parents):
        if parent == Path("/") or parent in existing:
            continue
        existing.add(parent)
        args += ["--perms", "0755", "--dir", str(parent)]
    return args


def bwrap_command(
    layout: Layout, env: dict[str, str], limits: Limits, privileged: bool, seccomp_fd: int | None = None
) -> list[str]:
    """bwrap 명령의 앞부분 (실행할 파이썬 명령 앞까지). seccomp_fd: seccomp_program()을 읽을 fd."""
    cmd = [shutil.which("bwrap") or "bwrap"]
    made: set[Path] = set()
    for top in ("/usr", "/etc", "/sys"):
        if os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
            made.add(Path(top))
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
        made.add(Path(top))
    cmd += ["--proc", "/proc", "--dev", "/dev"]
    made |= {Path("/proc"), Path("/dev")}
    for device in gpu_devices():  # GPU 채점용: 장치 파일만
        cmd += ["--dev-bind", device, device]
    cmd += ["--perms", "1777", "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp"]
    cmd += ["--perms", "1777", "--size", str(limits.shm_bytes), "--tmpfs", "/dev/shm"]
    made |= {Path("/tmp"), Path("/dev/shm")}
    for path in python_paths():
        cmd += _parents(path, made) + ["--ro-bind", str(path), str(path)]
        made.add(path)
    for file in library_files():
        cmd += _parents(Path(file), made) + ["--ro-bind", file, file]
    cmd += _parents(Path(SANDBOX_GRADER), made) + ["--ro-bind", str(layout.boot), SANDBOX_GRADER]
    cmd += ["--bind", str(layout.sock), SANDBOX_SOCKETS]
    cmd += ["--remount-ro", "/"]
    cmd += NAMESPACES + ["--die-with-parent", "--new-session", "--hostname", "grader", "--chdir", "/tmp"]
    if privileged:
        cmd += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        cmd += ["--unshare-user", "--disable-userns", "--cap-drop", "ALL"]
    if seccomp_fd is not None:
        cmd += ["--seccomp", str(seccomp_fd)]
    cmd += ["--clearenv"]
    for key, value in env.items():
        cmd += ["--setenv", key, value]
    return cmd


# --- seccomp: 이름공간·마운트·ptrace 같은 시스템 호출을 막습니다 (Docker의 기본 프로필과 같은 생각) -----------
# (x86_64 번호, aarch64 번호). clone은 새 이름공간 플래그가 있을 때만, clone3은 ENOSYS(glibc가 clone으로 돌아감).
_BLOCKED_SYSCALLS = {
    "unshare": (272, 97),
    "setns": (308, 268),
    "mount": (165, 40),
    "umount2": (166, 39),
    "pivot_root": (155, 41),
    "chroot": (161, 51),
    "ptrace": (101, 117),
    "bpf": (321, 280),
    "perf_event_open": (298, 241),
    "userfaultfd": (323, 282),
    "keyctl": (250, 219),
    "add_key": (248, 217),
    "request_key": (249, 218),
    "open_by_handle_at": (304, 265),
    "name_to_handle_at": (303, 264),
    "kexec_load": (246, 104),
    "init_module": (175, 105),
    "finit_module": (313, 273),
    "delete_module": (176, 106),
    "swapon": (167, 224),
    "swapoff": (168, 225),
    "reboot": (169, 142),
    "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271),
    "io_uring_setup": (425, 425),
    "open_tree": (428, 428),
    "move_mount": (429, 429),
    "fsopen": (430, 430),
    "fsconfig": (431, 431),
    "fsmount": (432, 432),
    "fspick": (433, 433),
    "mount_setattr": (442, 442),
}
_CLONE = (56, 220)
_CLONE3 = (435, 435)
_ARCHES = {"x86_64": (0, 0xC000003E), "amd64": (0, 0xC000003E), "aarch64": (1, 0xC00000B7), "arm64": (1, 0xC00000B7)}
_NEW_NAMESPACES = 0x7E020080  # CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME
_EPERM, _ENOSYS = 1, 38


def seccomp_program(machine: str | None = None) -> bytes | None:
    """bwrap --seccomp에 넘길 BPF 프로그램 (struct sock_filter 배열). 모르는 아키텍처면 None."""
    import platform
    import struct

    arch = _ARCHES.get((machine or platform.machine()).lower())
    if arch is None:
        return None
    column, audit_arch = arch
    allow, deny, nosys = 0x7FFF0000, 0x00050000 | _EPERM, 0x00050000 | _ENOSYS
    blocked = sorted({numbers[column] for numbers in _BLOCKED_SYSCALLS.values()})
    prog: list[tuple[int, int, int, int]] = []
    ld, jeq, jset, ret = 0x20, 0x15, 0x45, 0x06
    # 0: 아키텍처가 다르면(예: x86_64의 32비트 호출) 거부
    prog.append((ld, 0, 0, 4))
    prog.append((jeq, 1, 0, audit_arch))
    prog.append((ret, 0, 0, deny))
    prog.append((ld, 0, 0, 0))  # 시스템 호출 번호
    # x86_64의 x32 호출(번호에 0x40000000)도 거부
    if column == 0:
        prog.append((0x35, 0, 1, 0x40000000))  # jge
        prog.append((ret, 0, 0, deny))
    n = len(blocked)
    for i, number in enumerate(blocked):
        prog.append((jeq, n - i + 4, 0, number))  # 맞으면 아래의 '거부'로
    # c: clone이면 첫 인자(플래그의 아래 32비트)에 새 이름공간이 있을 때 거부
    prog.append((jeq, 0, 2, _CLONE[column]))  # c+0 -> c+1 / c+3
    prog.append((ld, 0, 0, 16))  # c+1
    prog.append((jset, 2, 1, _NEW_NAMESPACES))  # c+2 -> 거부(c+5) / 허용(c+4)
    prog.append((jeq, 2, 0, _CLONE3[column]))  # c+3: clone3 -> ENOSYS(c+6) / 허용
    prog.append((ret, 0, 0, allow))  # c+4
    prog.append((ret, 0, 0, deny))  # c+5
    prog.append((ret, 0, 0, nosys))  # c+6
    return b"".join(struct.pack("=HBBI", *ins) for ins in prog)


def seccomp_pipe() -> int | None:
    """seccomp 프로그램을 담은 파이프의 읽는 쪽 (쓰는 쪽은 닫혀 있음). 모르는 아키텍처면 None."""
    program = seccomp_program()
    if program is None:
        return None
    r, w = os.pipe()
    try:
        os.write(w, program)
    finally:
        os.close(w)
    return r


def probe_command(layout: Layout, privileged: bool, seccomp_fd: int | None = None) -> list[str]:
    env = kernel_env(BWRAP, layout)
    code = "import os\n"
    if privileged:
        code += f"os.setgroups([]); os.setgid({UID_BASE}); os.setuid({UID_BASE})\n"
    code += "open('/tmp/ok', 'w').write('1')\n"
    code += f"import {KERNEL_MODULE}\nprint('ok')\n"
    cmd = bwrap_command(layout, env, Limits(), privileged, seccomp_fd)
    return cmd + [sys.executable, "-I", "-B", "-c", f"import sys; sys.path.insert(0, {SANDBOX_GRADER!r})\n" + code]


@functools.lru_cache(maxsize=1)
def probe() -> str:
    """bubblewrap을 쓸 수 있으면 빈 문자열, 아니면 이유."""
    if not sys.platform.startswith("linux"):
        return "리눅스가 아닙니다"
    if shutil.which("bwrap") is None:
        return "bwrap이 설치되어 있지 않습니다 (Debian/Ubuntu: apt-get install bubblewrap)"
    if subprocess.run(["bwrap", "--help"], capture_output=True, text=True).stdout.find("--size") < 0:
        return "bwrap이 너무 오래되었습니다 (--size가 있는 0.7 이상이 필요합니다)"
    layout = new_layout()
    fd = seccomp_pipe()
    try:
        cmd = probe_command(layout, is_root(), fd)
        fds = () if fd is None else (fd,)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, pass_fds=fds)
        if done.returncode != 0 or done.stdout.strip() != "ok":
            return f"bwrap이 거부되었습니다: {(done.stderr or done.stdout or '').strip()[-300:]}"
        return ""
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bwrap을 실행할 수 없습니다: {err}"
    finally:
        if fd is not None:
            os.close(fd)
        remove_layout(layout)


def choose(mode: str) -> tuple[str, str]:
    """--sandbox 값(none|auto|required)에서 (격리 방식, 경고 또는 빈 문자열). required인데 안 되면 SandboxError."""
    if mode == "none":
        return NONE, "경고: 격리 없이 채점합니다 (--sandbox none). 학생 코드가 채점하는 사람의 권한으로 돌아갑니다."
    why = probe()
    if not why:
        return BWRAP, ""
    if mode == "required":
        raise SandboxError(f"bubblewrap 격리를 쓸 수 없어 채점하지 않습니다 (--sandbox required): {why}")
    return NONE, f"경고: bubblewrap 격리를 쓸 수 없어 격리 없이 채점합니다: {why}"


def remove_layout(layout: Layout) -> None:
    for folder in (layout.sock, layout.sock.with_name("sock-closed")):
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)
    shutil.rmtree(layout.root, ignore_errors=True)


def lock_sockets(layout: Layout, uid: int | None) -> None:
    """커널이 준비된 뒤: 바깥의 소켓 폴더 이름을 바꿔(다시 연결할 경로가 사라짐) 학생 코드가 소켓 파일을
    심볼릭 링크로 바꿔도 채점하는 쪽이 따라가지 않게 하고, root면 커널 uid가 그 폴더에 더 쓰지 못하게 합니다."""
    closed = layout.sock.with_name("sock-closed")
    with contextlib.suppress(OSError):
        os.rename(layout.sock, closed)
    if uid is not None and is_root():
        with contextlib.suppress(OSError):
            os.chown(closed, 0, 0)
            os.chmod(closed, 0o555)
