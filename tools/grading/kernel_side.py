"""커널 프로세스 안에서 도는 채점 코드 (샌드박스 안에서는 `course_grader_kernel`이라는 이름으로 불러옵니다).

채점하는 쪽(tools/grading/runner.py)이 커널을 이 모듈의 `main()`으로 띄웁니다. 순서:

1. 설정을 파이프(설정 fd)에서 읽고 닫습니다: 설정은 명령줄, 환경 변수, 파일 어디에도 없습니다.
2. 자원 제한(rlimit: 주소 공간, CPU 시간, 프로세스 수, 파일 크기, 열린 파일 수, 코어 덤프 0)을 걸고,
   root로 시작했으면 채점용 uid로 바꿉니다 (그러면 남은 능력(capability)도 모두 사라집니다).
3. 파이썬 감사 훅(`sys.addaudithook`, 지울 수 없음)을 겁니다. 학생 코드가 라이브러리 클래스·함수를
   바꾸거나(`type.__setattr__`, `__code__`, `__defaults__`), 코드 문자열을 실행하거나(exec/compile),
   환경 밖의 파이썬 파일을 쓰거나 불러오거나, trace 함수·ctypes·gc·프레임에 손대면, 그 순간 한 줄을
   보고 fd(파이프, 채점하는 쪽이 읽음)에 씁니다. 이미 쓴 줄은 학생 코드가 지울 수 없습니다.
4. ipykernel을 시작합니다.

그 뒤 채점 도구의 셀이 `snapshot()`(학생 코드 전에: 모듈·클래스 사전, 함수의 코드·기본값·클로저,
IPython 훅과 이벤트, 디스패치 모드 스택), `verify()`(점검 셀 끝마다, 가벼운 비교), `audit()`(학생 코드가
모두 끝난 뒤와 숨은 점검 뒤, 전체 비교), `hidden_phase(seed)`(숨은 점검 직전: 채점 시드)를 부릅니다.
결과는 모두 보고 fd로 나갑니다. 표준 출력은 쓰지 않습니다.

이 파일은 표준 라이브러리만 씁니다 (ipykernel은 4번에서 불러옴).
"""

from __future__ import annotations

import os
import sys

# 보고 줄의 종류 (채점하는 쪽이 한국어 문장으로 바꿉니다). 여기 없는 것은 받지 않습니다.
CATEGORIES = (
    "exec",  # 코드 문자열 실행 (exec/eval)
    "compile",  # 코드 문자열 컴파일
    "code-object",  # 코드 객체·함수 객체를 읽거나 만듦
    "patch",  # 라이브러리·강좌 모듈의 클래스·함수·모듈을 바꿈
    "frame",  # 실행 중인 프레임에 접근
    "trace",  # trace/profile 함수
    "audit-hook",  # 감사 훅 추가
    "gc",  # gc로 객체 찾기
    "ctypes",  # ctypes로 메모리·C 함수 직접 다루기
    "marshal",  # marshal로 코드 읽기
    "pickle",  # pickle로 임의의 함수를 부름
    "write-code",  # 파이썬 파일 쓰기
    "load-code",  # 환경 밖의 파이썬 파일 불러오기
    "module-origin",  # 환경 밖에서 온 모듈
    "fd",  # 파일 디스크립터를 직접 엶
    "process",  # 프로세스 띄우기
    "signal",  # 다른 프로세스에 신호 보내기
    "changed",  # 스냅숏과 달라진 것 (함수, 클래스, 모듈, 훅)
    "hook",  # IPython 훅·이벤트·입력 변환기
    "dispatch",  # 디스패치 모드·전역 모듈 훅
    "namespace",  # 점검이 쓰는 이름을 다시 묶음
    "history",  # 점검 셀 코드가 실행 전에 바뀜
    "internal",  # 채점 코드 자체의 오류
    "liar",  # 점검의 비교를 속일 수 있는 클래스 (비교·진릿값·torch/NumPy 프로토콜을 학생이 정의)
    "thread",  # 학생 코드가 띄운 스레드
)
# 점검의 결과를 바꿀 수 있는 조작: 보고된 뒤의 점검은 통과로 세지 않습니다 (점수가 조작의 덕을 보지 않게)
TAINTING = {"patch", "changed", "hook", "dispatch", "namespace", "trace", "liar", "thread", "audit-hook", "history"}
TAINTING |= {"ctypes", "frame", "gc", "code-object"}
CODE_SUFFIXES = (".py", ".pyc", ".pyo", ".pyw", ".pth", ".so", ".pyd")
_STATE: dict = {}


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        data = os.read(fd, 65536)
        if not data:
            break
        chunks.append(data)
    os.close(fd)
    return b"".join(chunks)


# --- 1-4: 커널 띄우기 -------------------------------------------------------------------------
KERNEL_NAME = "course_grader_kernel"
GRADER_EVENT = "course_grader"  # 채점 도구의 셀이 부르는 감사 이벤트: sys.audit(GRADER_EVENT, 할 일, 표, 인자)
FLAG_EVENT = "course_grader.flag"  # 포장(guard)이 학생 코드의 호출을 알리는 감사 이벤트


def main(config_fd: int | None = None) -> None:
    """커널을 띄웁니다. 감사 코드는 학생 코드가 닿지 않는 사본(_private)에서 돕니다.

    학생 코드는 이 모듈의 사전을 바꿀 수 있으므로(sys.modules, 함수의 __globals__는 감사되지 않음), 감사에 쓰는
    함수는 모두 새 전역 사전을 쓰는 사본으로 다시 만들고, 이 모듈은 sys.modules에서 뺍니다. 사본에 닿는 길은
    감사 훅의 클로저(파이썬에서 꺼낼 수 없음)와 실행 중인 프레임뿐이고, 프레임에 닿는 길(sys._getframe,
    sys._current_frames, tb_frame 등)은 감사 훅이 보고합니다. 채점 도구의 셀은 모듈을 부르지 않고 감사 이벤트를
    냅니다. 끝 표시(END nonce 표)의 nonce는 훅의 클로저에만 있어 학생 코드가 읽을 수 없습니다.
    """
    private = _private()
    decoy = private["_start"](config_fd)
    del private
    _STATE.update(decoy)  # 이 모듈(sys.modules에 남은 미끼)의 _STATE: 가짜 nonce의 END 줄은 조작으로 보입니다
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def _private() -> dict:
    import types

    shared = globals()
    private = dict(shared)
    private["_STATE"] = {}
    for key, value in shared.items():
        if type(value) is types.FunctionType and value.__globals__ is shared:
            copy = types.FunctionType(value.__code__, private, value.__name__, value.__defaults__, value.__closure__)
            copy.__kwdefaults__ = value.__kwdefaults__
            private[key] = copy
    return private


def _start(config_fd: int | None) -> dict:
    import json

    config = json.loads(_read_all(int(sys.argv[1]) if config_fd is None else config_fd))
    nonce = config.pop("nonce")
    _STATE["config"] = config
    _limits(config)
    _drop_uid(config)
    os.umask(0o077)
    fd = config["report_fd"]
    _STATE["fd"] = fd
    roots = _roots(config)
    _STATE["roots"] = roots
    _install_hook(fd, roots, nonce)
    _write(f"READY {nonce}")
    home, work = config["home"], config["work"]
    for folder in (home, work):
        os.makedirs(folder, exist_ok=True)
    fontlists = config.get("fontlists") or []
    if fontlists:  # matplotlib 글꼴 목록: 없으면 커널마다 다시 만드느라 몇 초 걸립니다
        target = os.path.join(home, ".cache", "matplotlib")
        os.makedirs(target, exist_ok=True)
        for source in fontlists:
            try:
                with open(source, "rb") as src, open(os.path.join(target, os.path.basename(source)), "wb") as dst:
                    dst.write(src.read())
            except OSError:
                pass
    os.chdir(work)
    sys.path.insert(0, work)  # 보통의 노트북처럼 작업 폴더의 모듈을 불러올 수 있게 (감사는 그것을 환경 밖으로 봅니다)
    sys.argv = ["ipykernel_launcher", "-f", config["connection_file"]]
    return {"config": {"nonce": os.urandom(16).hex()}, "fd": fd}


# --- 미리 불러 둔 프로세스(zygote)에서 제출마다 새 커널 갈라 내기 ------------------------------------------------
# 채점하는 쪽(tools/grading/zygote.py)이 이 모듈의 zygote_main()을 샌드박스 밖에서 한 번 띄웁니다. zygote는 커널이
# 쓸 모듈(torch, ipykernel, 강좌 모듈 등)을 불러 두기만 하고 다른 코드는 돌리지 않습니다 (학생 코드도, 점검도).
# 제출마다 채점하는 쪽이 bubblewrap 샌드박스를 보통 때와 똑같은 설정으로 띄우되 안에서는 잠자는 프로세스 하나만
# 돌리고, zygote에게 그 샌드박스의 pid를 줍니다. zygote는 fork하고, 자식은 샌드박스의 이름공간(IPC, UTS, 네트워크,
# cgroup, PID, 마운트)에 들어간 뒤 한 번 더 fork해 샌드박스의 PID 이름공간 안의 프로세스가 되고, bubblewrap이
# 자기 자식에게 하는 것(새 세션, 환경 변수 비우기, no_new_privs, 능력 버리기, 같은 seccomp 필터)을 스스로 한 다음
# 보통의 커널처럼 main()으로 갑니다 (자원 제한, 채점용 uid, 감사 훅, ipykernel). 그래서 커널은 제출마다 새
# 프로세스이고(다른 제출의 코드가 닿은 적 없음), 샌드박스는 제출마다 새것이며, 불러오기에 드는 몇 초만 아낍니다.
CONFIG_FD, REPORT_FD, ERR_FD = 3, 4, 5  # 갈라 낸 커널에서 설정 파이프, 감사 보고 파이프, 표준 출력·오류의 번호
_NAMESPACES = ("ipc", "uts", "net", "cgroup", "pid", "mnt")  # 들어가는 순서 (마운트는 마지막: /proc이 바뀜)
_CAP_SETGID, _CAP_SETUID = 6, 7


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        import ctypes

        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _enter(target: int) -> None:
    """샌드박스 프로세스(target)의 이름공간으로 들어갑니다 (PID는 이 다음에 만드는 자식부터)."""
    libc = _libc()
    fds = [(name, os.open(f"/proc/{target}/ns/{name}", os.O_RDONLY | os.O_CLOEXEC)) for name in _NAMESPACES]
    for name, fd in fds:
        _check(libc.setns(fd, 0), f"setns {name}")
        os.close(fd)


def _drop_privileges(keep_setuid: bool, seccomp: bytes | None) -> None:
    """bubblewrap이 자식에게 하는 것: no_new_privs, 능력 버리기(root로 채점하면 uid를 바꿀 능력만 잠깐), seccomp."""
    import ctypes

    libc = _libc()
    _check(libc.prctl(38, 1, 0, 0, 0), "no_new_privs")  # PR_SET_NO_NEW_PRIVS
    keep = {_CAP_SETGID, _CAP_SETUID} if keep_setuid else set()
    for cap in range(64):
        if cap not in keep:
            libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP (모르는 번호는 EINVAL: 무시)
    libc.prctl(47, 4, 0, 0, 0)  # PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    mask = sum(1 << cap for cap in keep)
    data = (Data * 2)(Data(mask, mask, 0), Data(0, 0, 0))
    _check(libc.capset(ctypes.byref(Header(0x20080522, 0)), data), "capset")
    if seccomp:

        class Program(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

        program = Program(len(seccomp) // 8, seccomp)
        _check(libc.prctl(22, 2, ctypes.byref(program), 0, 0), "seccomp")  # PR_SET_SECCOMP, FILTER


def _only_fds(keep: dict[int, int]) -> None:
    """keep {지금 fd: 새 번호}만 남기고 모두 닫습니다 (zygote와 채점하는 쪽의 통로가 커널에 남지 않게)."""
    import fcntl

    moved = {}
    for old in keep:
        moved[old] = fcntl.fcntl(old, fcntl.F_DUPFD, 1000)  # 번호가 겹쳐도 안전하게 먼저 높은 번호로 옮겨 둡니다
    for old, new in keep.items():
        os.dup2(moved[old], new, inheritable=new <= 2)
    top = max(keep.values()) + 1
    try:
        _check(_libc().syscall(436, top, 0xFFFFFFFF, 0), "close_range")  # x86_64와 aarch64 모두 436
    except OSError:
        for name in os.listdir("/proc/self/fd"):
            if int(name) >= top:
                try:
                    os.close(int(name))
                except OSError:
                    pass


def _spawn(request: dict, fds: list[int], answer: int) -> None:
    """zygote의 자식(A)에서: 샌드박스에 들어가 커널(B)을 만들고, B의 pid를 answer 파이프로 알리고 끝납니다."""
    import struct

    if request.get("cgroup"):  # 이름공간에 들어가기 전에 (들어가면 /sys/fs/cgroup이 안 보임). 커널이 물려받음
        with open(request["cgroup"], "w", encoding="ascii") as procs:
            procs.write(str(os.getpid()))
    _enter(int(request["target"]))
    pid = os.fork()
    if pid:
        os.write(answer, struct.pack("=i", pid))
        os._exit(0)
    try:  # B: 샌드박스의 PID 이름공간 안
        cfg, report, err = fds
        os.setsid()
        null = os.open("/dev/null", os.O_RDONLY)
        _only_fds({null: 0, err: 1, cfg: CONFIG_FD, report: REPORT_FD})
        os.dup2(1, 2)
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["PWD"] = "/tmp"  # bwrap --chdir /tmp처럼
        os.chdir("/tmp")
        seccomp = bytes.fromhex(request["seccomp"]) if request.get("seccomp") else None
        _drop_privileges(bool(request.get("privileged")), seccomp)
        import random

        random.seed()  # zygote에서 물려받은 난수 상태를 제출마다 새로
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        main(CONFIG_FD)
    except BaseException:  # 커널이 되지 못했으면 조용히 끝냅니다 (채점하는 쪽이 시간 제한으로 알아챔)
        import traceback

        traceback.print_exc()
    os._exit(70)


def zygote_main() -> None:
    """샌드박스 밖에서 한 번: 커널이 쓸 모듈을 불러 두고, 요청마다 커널 하나를 갈라 냅니다 (위 설명)."""
    import array
    import json
    import socket
    import struct

    _libc().prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL: 채점하는 쪽이 죽으면 함께
    channel = socket.socket(fileno=int(sys.argv[1]))
    hello = json.loads(channel.recv(65536).decode("utf-8"))
    import importlib

    for name in ["ipykernel.kernelapp", *hello.get("modules", [])]:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    try:  # forbid_ops가 처음 디스패치 모드에 들어갈 때 불러오는 torch 모듈(약 1초)도 미리
        import torch

        from helper_functions import forbid_ops

        with forbid_ops("sigmoid"):
            torch.zeros(2) + 1
    except Exception:
        pass
    channel.sendall(b"READY")
    while True:
        fds = array.array("i")
        message, ancillary, _flags, _addr = channel.recvmsg(65536, socket.CMSG_SPACE(8 * fds.itemsize))
        if not message:
            os._exit(0)
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
        request = json.loads(message.decode("utf-8"))
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read_end)
            channel.close()
            try:
                _spawn(request, list(fds), write_end)
            except BaseException:
                pass
            os._exit(71)
        os.close(write_end)
        for fd in fds:
            os.close(fd)
        data = os.read(read_end, 4)
        os.close(read_end)
        os.waitpid(child, 0)
        kernel = struct.unpack("=i", data)[0] if len(data) == 4 else 0
        pidfd = None
        if kernel > 0:
            try:
                pidfd = os.pidfd_open(kernel)
            except OSError:
                pidfd = None
        reply = json.dumps({"pid": kernel if pidfd is not None else 0}).encode("utf-8")
        channel.sendmsg([reply], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [pidfd]))] if pidfd else [])
        if pidfd is not None:
            os.close(pidfd)


def _limits(config: dict) -> None:
    import resource

    names = {
        "as": "RLIMIT_AS",
        "cpu": "RLIMIT_CPU",
        "nproc": "RLIMIT_NPROC",
        "fsize": "RLIMIT_FSIZE",
        "nofile": "RLIMIT_NOFILE",
        "core": "RLIMIT_CORE",
    }
    for key, value in (config.get("limits") or {}).items():
        if value is None or not hasattr(resource, names[key]):
            continue
        which = getattr(resource, names[key])
        if key == "nproc" and config.get("nproc_relative"):
            value += _count_tasks(os.getuid())
        soft, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass


def _count_tasks(uid: int) -> int:
    """이 uid의 태스크(스레드 포함) 수: RLIMIT_NPROC는 사용자 전체의 수와 비교되기 때문입니다."""
    count = 0
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
            if int(fields["Uid"].split()[0]) == uid:
                count += int(fields.get("Threads", "1"))
        except (OSError, KeyError, ValueError):
            continue
    return count


def _drop_uid(config: dict) -> None:
    uid = config.get("uid")
    if uid is None or os.getuid() != 0:
        return
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)  # root에서 다른 uid로: 남은 능력(CAP_SETUID 등)도 모두 사라집니다
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SystemExit("채점용 uid로 바꾸지 못했습니다")


def _roots(config: dict) -> tuple[str, ...]:
    """라이브러리로 보는 곳: 이 파이썬의 sys.path(시작할 때, 현재 폴더 빼고), 강좌 모듈, 이 파일."""
    roots = set()
    for entry in sys.path:
        if entry and os.path.isabs(entry) and os.path.exists(entry):
            roots.add(entry.rstrip(os.sep) + os.sep)
            roots.add(os.path.realpath(entry).rstrip(os.sep) + os.sep)
    for path in config.get("library_files") or []:
        roots.add(path)
        stem = os.path.splitext(os.path.basename(path))[0]
        roots.add(os.path.join(os.path.dirname(path), "__pycache__", stem + "."))
    roots.add(os.path.realpath(__file__))
    roots.add(__file__)
    work = config["work"].rstrip(os.sep) + os.sep
    return tuple(sorted(r for r in roots if not work.startswith(r) and r not in ("/", "/tmp/")))


def _write(line: str) -> None:
    try:
        os.write(_STATE["fd"], (line.replace("\n", " ")[:400] + "\n").encode("utf-8", "replace"))
    except OSError:
        pass


# --- 3: 감사 훅 -------------------------------------------------------------------------------
def _install_hook(fd: int, roots: tuple[str, ...], nonce: str) -> None:
    import _thread
    import threading
    import types

    write = os.write
    getframe = sys._getframe
    get_ident = _thread.get_ident
    fsdecode = os.fsdecode
    function_type = types.FunctionType
    module_type = types.ModuleType
    modules = sys.modules
    builtin_names = set(sys.builtin_module_names)
    busy: set[int] = set()
    seen: set[tuple[str, str]] = set()
    process_helpers = tuple(
        os.path.join(os.path.dirname(os.__file__), name) for name in ("subprocess.py", "os.py", "pty.py")
    )
    started = [False]  # 커널이 시작되기 전(ipykernel 불러오기)에는 기록하지 않는 종류가 있습니다
    protected: set[int] = set()  # 스냅숏에 있는 모듈·클래스·함수의 id
    import tempfile

    cell_files = os.path.join(tempfile.gettempdir(), f"ipykernel_{os.getpid()}") + os.sep  # 셀 코드 (트레이스백용)

    def is_lib(filename: str) -> bool:
        return filename.startswith(roots) or filename.startswith("<frozen ")

    def report(category: str, detail: str = "") -> None:
        if category in TAINTING:
            taint[0] = True
        key = (category, detail)
        if key in seen or len(seen) >= 300:
            return
        seen.add(key)
        line = f"F {category}\t{detail}".replace("\n", " ")[:300] + "\n"
        try:
            write(fd, line.encode("utf-8", "replace"))
        except OSError:
            pass

    def package_dir(module_name) -> str | None:
        """라이브러리 모듈의 최상위 패키지 폴더 (내장 모듈은 ""), 라이브러리가 아니면 None."""
        if not isinstance(module_name, str):
            return None
        top = module_name.split(".")[0]
        if top in builtin_names:
            return ""
        module = modules.get(top)
        path = getattr(module, "__file__", None) if type(module) is module_type else None
        if not isinstance(path, str) or not is_lib(path):
            return None
        return os.path.dirname(path) + os.sep if os.path.basename(path) == "__init__.py" else path

    def owner(obj) -> str | None:
        kind = type(obj)
        if kind is function_type:
            return obj.__module__
        if isinstance(obj, type):
            found = type.__dict__["__dict__"].__get__(obj).get("__module__")
            return found if isinstance(found, str) else None
        if kind is module_type or isinstance(obj, module_type):
            name = module_type.__dict__["__dict__"].__get__(obj).get("__name__")
            return name if isinstance(name, str) else None
        return None

    def hook(event, args):
        if event not in watched:
            return
        tid = get_ident()
        if tid in busy:
            return
        busy.add(tid)
        try:
            caller = getframe(1).f_code.co_filename
            watched[event](args, caller)
        except Exception:  # 감사 훅은 학생 코드를 멈추게 하지 않습니다
            pass
        finally:
            busy.discard(tid)

    def on_patch(args, caller):
        obj, name = args[0], args[1]
        module_name = owner(obj)
        if module_name is None:
            return
        folder = package_dir(module_name)
        if folder is None:
            return  # 학생이 만든 클래스·함수
        if folder and caller.startswith(folder):
            return  # 라이브러리가 자기 것을 바꿈
        if is_lib(caller) and (not started[0] or id(obj) not in protected):
            return  # 라이브러리가 새로 만든 것을 다듬음 (예: namedtuple), 또는 커널이 시작하기 전
        label = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", "?")
        report("patch", f"{module_name}.{label}.{name}" if isinstance(label, str) else f"{module_name}.?.{name}")

    def from_student(category):
        def check(args, caller):
            if started[0] and not is_lib(caller):
                report(category)

        return check

    def on_getattr(args, caller):
        if started[0] and not is_lib(caller):
            report("code-object" if args[1] in ("__code__", "__defaults__", "__kwdefaults__") else "frame")

    def on_open(args, caller):
        path = args[0]
        if isinstance(path, int):
            if started[0] and not is_lib(caller):
                report("fd")
            return
        if not isinstance(path, (str, bytes)):
            return
        path = fsdecode(path)
        if started[0] and path.startswith("/proc/") and path.rstrip("/").endswith(("/mem", "/pagemap", "/environ")):
            report("ctypes", "proc-mem")  # 자기 프로세스의 메모리를 파일로 읽기
        if not path.endswith(CODE_SUFFIXES):
            return
        mode, flags = args[1], args[2] if len(args) > 2 else 0
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        )
        if writes:
            if started[0]:
                report("write-code", os.path.basename(path))
        elif not os.path.abspath(path).startswith(roots) and not os.path.abspath(path).startswith(cell_files):
            report("load-code", os.path.basename(path))

    def on_call(args, caller):
        """채점 도구의 셀: 할 일을 하고 `END nonce 표`를 씁니다. 표는 셀마다 새것이고 한 번만 받습니다."""
        if len(args) < 2 or not isinstance(args[1], str):
            return
        op, token, arg = args[0], args[1], args[2] if len(args) > 2 else None
        if token in used_tokens:
            report("internal", "repeat")
            return
        used_tokens.add(token)
        tainted = False
        if op == "snapshot":
            if started[0]:
                report("internal", "snapshot")
                return
            snapshot()
        elif op == "remember":
            remember(arg)
        elif op == "verify":
            tainted = verify() or taint[0]
        elif op == "audit":
            audit(arg)
        elif op == "hidden_phase":
            hidden_phase(arg)
        else:
            return
        try:  # 점검 셀 끝에서 조작의 흔적이 보였으면 그 점검은 통과로 세지 않습니다 (tainted)
            write(fd, f"END {nonce} {token}{' tainted' if tainted else ''}\n".encode("ascii"))
        except OSError:
            pass

    def on_flag(args, caller):
        if len(args) == 2 and args[0] in ("dispatch", "changed") and isinstance(args[1], str):
            report(args[0], args[1][:100])

    def student_code(func) -> bool:
        """학생이 정의한 파이썬 함수인가 (정확한 함수 타입만 보므로 가짜 __code__에 속지 않습니다)."""
        if type(func) is method_type:
            func = func.__func__
        if type(func) is not function_type:
            return False
        name = func.__code__.co_filename
        return not (is_lib(name) or name == "<string>")

    def on_thread(args, caller):
        if not started[0] or not args:
            return
        func = args[0]
        target = func.__self__ if type(func) is method_type else None
        if isinstance(target, threading.Thread):
            if _student_thread(target, student_code):
                report("thread")
        elif student_code(func):
            report("thread")

    def on_process(args, caller):
        if started[0] and (not is_lib(caller) or caller.startswith(process_helpers)):
            report("process")

    def on_always(category):
        def check(args, caller):
            if started[0]:
                report(category)

        return check

    used_tokens: set[str] = set()
    taint = [False]  # 점검의 결과를 바꿀 수 있는 조작을 한 번이라도 보고했으면 True
    method_type = types.MethodType
    watched = {
        GRADER_EVENT: on_call,
        FLAG_EVENT: on_flag,
        "_thread.start_new_thread": on_thread,
        "sys._current_frames": from_student("frame"),
        "exec": from_student("exec"),
        "compile": from_student("compile"),
        "code.__new__": from_student("code-object"),
        "function.__new__": from_student("code-object"),
        "object.__setattr__": on_patch,
        "object.__delattr__": on_patch,
        "object.__getattr__": on_getattr,
        "sys._getframe": from_student("frame"),
        "sys.settrace": from_student("trace"),
        "sys.setprofile": from_student("trace"),
        "sys.addaudithook": on_always("audit-hook"),
        "gc.get_objects": from_student("gc"),
        "gc.get_referrers": from_student("gc"),
        "gc.get_referents": from_student("gc"),
        "marshal.loads": from_student("marshal"),
        "marshal.load": from_student("marshal"),
        "pickle.find_class": from_student("pickle"),
        "open": on_open,
        "os.system": on_process,
        "subprocess.Popen": on_process,
        "os.exec": on_process,
        "os.posix_spawn": on_process,
        "os.spawn": on_process,
        "os.fork": on_process,
        "os.forkpty": on_process,
        "pty.spawn": on_process,
        "os.kill": from_student("signal"),
        "os.killpg": from_student("signal"),
        "signal.pthread_kill": from_student("signal"),
    }
    for name in ("dlopen", "dlsym", "dlsym/handle", "cdata", "cdata/buffer", "addressof", "string_at", "wstring_at"):
        watched["ctypes." + name] = from_student("ctypes")
    watched.update({"ctypes.call_function": from_student("ctypes"), "ctypes.PyObj_FromPtr": from_student("ctypes")})
    _STATE["started"] = started
    _STATE["protected"] = protected
    _STATE["report"] = report
    _STATE["student_code"] = student_code
    sys.addaudithook(hook)


def _student_thread(thread, student_code) -> bool:
    """학생 코드가 띄운 스레드인가: 대상 함수나 run 메서드를 학생이 정의했습니다."""
    try:
        fields = object.__getattribute__(thread, "__dict__")
    except Exception:
        return True
    if student_code(fields.get("_target")):
        return True
    return any(student_code(cls.__dict__.get("run")) for cls in type.__getattribute__(type(thread), "__mro__"))


# --- 채점 도구의 셀이 부르는 것 ----------------------------------------------------------------
_VOLATILE_SYS = {"excepthook", "__excepthook__", "last_type", "last_value", "last_traceback", "ps1", "ps2"}
_VOLATILE_KEYS = {"__warningregistry__", "_GRADING_SEED"}


def _is_behaviour(value, constants: bool = False) -> bool:
    """바뀌면 점검의 결과가 달라질 수 있는 값: 함수, 클래스, 모듈, 서술자 (constants면 단순한 상수도).

    라이브러리 모듈의 상수(등록 여부 같은 내부 상태)는 라이브러리가 스스로 바꾸므로 강좌 모듈에서만 봅니다.
    """
    kind = type(value)
    if constants and kind in (int, float, bool, str, bytes, tuple, frozenset, complex, type(None)):
        return True
    if issubclass(kind, type) or callable(value):
        return True
    return kind in (staticmethod, classmethod, property) or kind.__name__ in ("module", "getset_descriptor")


def _closure(func) -> tuple:
    out = []
    for cell in func.__closure__ or ():
        try:
            out.append(cell.cell_contents)
        except ValueError:
            out.append(_STATE)
    return tuple(out)


def _function_state(func) -> tuple:
    return (func.__code__, func.__defaults__, func.__kwdefaults__, _closure(func))


def _same_state(a: tuple, b: tuple) -> bool:
    """함수 상태 비교: 모두 `is`로 (학생 객체의 __eq__를 부르지 않게)."""
    return (
        a[0] is b[0]
        and a[1] is b[1]
        and a[2] is b[2]
        and len(a[3]) == len(b[3])
        and all(x is y for x, y in zip(a[3], b[3], strict=True))
    )


def _packages() -> set[str]:
    config = _STATE["config"]
    return set(config.get("packages") or []) | {m.split(".")[0] for m in config.get("modules") or []}


def _take(modules_by_name: dict, snap: dict) -> None:
    """모듈들의 사전, 그 안의 클래스 사전, 함수 상태를 snap에 더합니다 (이미 있는 것은 그대로)."""
    import types

    function_type = types.FunctionType
    for name, module in modules_by_name.items():
        if name in snap["modules"] or not isinstance(module, types.ModuleType):
            continue
        entries = {}
        constants = name.split(".")[0] == "helper_functions"
        for key, value in list(vars(module).items()):
            if key in _VOLATILE_KEYS or (module is sys and key in _VOLATILE_SYS):
                continue
            if _is_behaviour(value, constants and not key.startswith("_")):  # _로 시작하는 강좌 모듈 변수는 상태
                entries[key] = value
                if issubclass(type(value), type) and id(value) not in snap["classes"]:
                    members = {k: v for k, v in vars(value).items() if _is_behaviour(v)}
                    snap["classes"][id(value)] = (value, members)
                elif type(value) is function_type and id(value) not in snap["functions"]:
                    snap["functions"][id(value)] = (value, _function_state(value))
                for inner in _inner_functions(value):  # 포장 안의 함수 (NumPy의 _implementation 등)
                    if id(inner) not in snap["functions"]:
                        snap["functions"][id(inner)] = (inner, _function_state(inner))
        snap["modules"][name] = (module, type(module), entries)
    for _cls, entries in list(snap["classes"].values()):
        for value in entries.values():
            func = value.__func__ if type(value) in (staticmethod, classmethod) else value
            if type(func) is function_type and id(func) not in snap["functions"]:
                snap["functions"][id(func)] = (func, _function_state(func))


def _inner_functions(value) -> list:
    """포장된 함수의 안쪽 함수: NumPy 디스패처의 _implementation, functools.wraps의 __wrapped__."""
    import types

    out = []
    if type(value).__name__ == "_ArrayFunctionDispatcher":
        inner = getattr(value, "_implementation", None)
        if type(inner) is types.FunctionType:
            out.append(inner)
    elif type(value) is types.FunctionType:
        inner = value.__dict__.get("__wrapped__")
        if type(inner) is types.FunctionType:
            out.append(inner)
    return out


def _selected_modules() -> dict:
    """비교할 모듈: 점검이 기대는 패키지의 공개 모듈 (이름의 어느 부분도 _로 시작하지 않음).

    공개 모듈에서 닿는 클래스와 함수는 정의된 곳이 내부 모듈이어도 스냅숏에 들어갑니다 (예: torch.Tensor는
    torch._tensor에 정의). 내부 모듈은 라이브러리가 실행 중에 스스로 바꾸는 일이 많아(캐시, 등록) 보지
    않습니다: 그런 곳을 바꾸는 학생 코드는 감사 훅과 정적 검사가 찾습니다.
    """
    packages = _packages()
    return {
        name: module
        for name, module in list(sys.modules.items())
        if module is not None
        and name.split(".")[0] in packages
        and not any(part.startswith("_") for part in name.split(".")[1:])
    }


def _ipython_state() -> dict:
    ip = get_ipython()  # noqa: F821 (커널 안에서만 부릅니다)
    kernel = getattr(ip, "kernel", None)
    objects = {"shell": ip, "kernel": kernel, "displayhook": ip.displayhook, "display_pub": ip.display_pub}
    objects.update({"stdout": sys.stdout, "stderr": sys.stderr})
    if kernel is not None:
        objects["session"] = getattr(kernel, "session", None)
    instance = {}
    for label, obj in objects.items():
        if obj is None:
            continue
        instance[label] = (obj, {k: v for k, v in vars(obj).items() if callable(v)}, set(vars(obj)))
    import threading

    handlers = {}
    if kernel is not None:
        for name in ("shell_handlers", "control_handlers"):
            table = getattr(kernel, name, None)
            if isinstance(table, dict):
                handlers[name] = dict(table)
    return {
        "instance": instance,
        "handlers": handlers,
        "transformers": {
            name: list(getattr(ip, name, []))
            for name in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
        },
        "custom_exceptions": ip.custom_exceptions,
        "events": {name: list(callbacks) for name, callbacks in ip.events.callbacks.items()},
        "trace": (sys.gettrace(), sys.getprofile()),
        "thread_hooks": (getattr(threading, "_trace_hook", None), getattr(threading, "_profile_hook", None)),
        "sys": {name: getattr(sys, name, None) for name in ("stdout", "stderr", "displayhook", "breakpointhook")},
        "meta_path": list(sys.meta_path),
        "path_hooks": list(sys.path_hooks),
        "importer_cache": dict(sys.path_importer_cache),
        "user_ns": dict(ip.user_ns),
    }


def _torch_state() -> dict:
    torch = sys.modules.get("torch")
    if torch is None:
        return {}
    state: dict = {}
    for name in ("_len_torch_dispatch_stack", "_len_torch_function_stack"):
        func = getattr(torch._C, name, None)
        if func is not None:
            state[name] = func()
    hooks = sys.modules.get("torch.nn.modules.module")
    for key in dir(hooks) if hooks else []:
        if key.startswith("_global_") and isinstance(getattr(hooks, key), dict):
            state[key] = getattr(hooks, key)
    return state


def _global_hook_findings(before: dict) -> list[tuple[str, str]]:
    """torch 전역 모듈 훅과 디스패치 모드 스택: 라이브러리·강좌 모듈 밖에서 정의한 훅이 새로 걸렸으면 보고합니다.

    강좌 모듈의 watch_training()도 전역 훅을 쓰므로, 훅의 코드가 어디에 정의되었는지로 가립니다.
    """
    found = []
    now = _torch_state()
    roots = _STATE["roots"]
    for key, value in before.items():
        current = now.get(key)
        if isinstance(value, dict):
            added = [hook for handle, hook in current.items() if value.get(handle) is not hook]
            if any(callable(hook) and not _library_callable(hook, roots) for hook in added):
                found.append(("dispatch", key))
        elif current != value:
            found.append(("dispatch", key))
    return found


# PyTorch가 디스패치 모드(forbid_ops가 쓰는 TorchDispatchMode)나 torch 함수 모드를 잠시 끄는 도구들.
# 학생 코드(라이브러리 밖의 코드)가 부르면 보고합니다. (모듈, 이름)
_MODE_ESCAPES = {
    "torch.utils._python_dispatch": (
        "_disable_current_modes",
        "_pop_mode",
        "_pop_mode_temporarily",
        "_disable_infra_mode",
        "_unset_infra_mode",
    ),
    "torch.overrides": ("_pop_mode", "_pop_mode_temporarily"),
    "torch._C": (
        "_pop_torch_dispatch_stack",
        "_unset_dispatch_mode",
        "_DisableTorchDispatch",
        "_ExcludeDispatchKeyGuard",
        "ExcludeDispatchKeyGuard",
        "_SetExcludeDispatchKeyGuard",
        "_dispatch_tls_set_dispatch_key_excluded",
        "_DisablePythonDispatcher",
        "_pop_torch_function_stack",
        "_DisableTorchFunction",
        "_DisableTorchFunctionSubclass",
        "DisableTorchFunction",
        "DisableTorchFunctionSubclass",
    ),
}


def _guard_mode_escapes() -> None:
    """위의 도구들을 '학생 코드가 부르면 보고하는' 포장으로 바꿉니다 (torch의 모든 모듈에서 같은 객체를)."""
    if "torch" not in sys.modules:
        return
    import importlib

    roots = _STATE["roots"]
    torch_modules = [m for n, m in list(sys.modules.items()) if m is not None and n.split(".")[0] == "torch"]
    torch_dir = os.path.dirname(sys.modules["torch"].__file__) + os.sep
    escapes = {name: ("dispatch", False) for names in _MODE_ESCAPES.values() for name in names}
    escapes["_dispatch_library"] = ("dispatch", True)  # torch.library.Library(...): 디스패처에 커널 등록 (r09)
    for module_name, names in [*_MODE_ESCAPES.items(), ("torch._C", ("_dispatch_library",))]:
        try:
            module = importlib.import_module(module_name)
        except Exception:
            continue
        for name in names:
            original = getattr(module, name, None)
            if original is None or getattr(original, "__name__", None) is None:
                continue
            category, deep = escapes[name]
            guarded = _guard(original, name, category, roots, torch_dir if deep else None)
            guarded.__doc__ = getattr(original, "__doc__", None)
            for other in torch_modules:
                try:
                    table = vars(other)
                    for key in [k for k, v in table.items() if v is original]:
                        setattr(other, key, guarded)
                except Exception:
                    pass


# 강좌 모듈의 점검용 기록을 멈추거나 지우는 메서드: 학생 코드(라이브러리 밖)가 부르면 보고합니다.
_COURSE_GUARDS = {"TrainingRecord": ("stop", "forget")}


def _guard_course_methods() -> None:
    """helper_functions.TrainingRecord.stop/forget을 '학생 코드가 부르면 보고하는' 포장으로 바꿉니다.

    훈련 기록(`training_record`)을 멈추거나 지운 뒤 테스트 데이터로 훈련하면 점검은 그 훈련을 볼 수 없습니다.
    기록의 상태 비교(_given_findings)는 점검 셀 끝마다만 보므로, 한 셀 안에서 지우고 다시 훈련하는 것은 이
    포장이 그 순간에 알립니다. 스냅숏보다 먼저 바꾸므로 스냅숏에는 포장이 들어갑니다.
    """
    roots = _STATE["roots"]
    guards = [
        (sys.modules.get("helper_functions"), class_name, methods, None)
        for class_name, methods in _COURSE_GUARDS.items()
    ]
    torch = sys.modules.get("torch")
    if torch is not None:  # 디스패처에 커널을 등록하는 메서드 (r09): 학생 코드가 부르면 보고
        torch_dir = os.path.dirname(torch.__file__) + os.sep
        library = sys.modules.get("torch.library")
        guards.append(
            (library, "Library", ("define", "impl", "fallback", "_register_fake", "_impl_with_aoti_compile"), torch_dir)
        )
        guards.append(
            (torch._C, "_DispatchModule", ("def_", "define", "impl", "impl_t_t", "fallback", "def_legacy"), torch_dir)
        )
    for module, class_name, methods, deep in guards:
        cls = getattr(module, class_name, None) if module is not None else None
        if not isinstance(cls, type):
            continue
        for name in methods:
            original = cls.__dict__.get(name)
            if original is None:
                continue
            category = "changed" if deep is None else "dispatch"
            guarded = _guard(original, f"{class_name}.{name}", category, roots, deep)
            guarded.__qualname__ = f"{class_name}.{name}"
            guarded.__doc__ = getattr(original, "__doc__", None)
            try:
                type.__setattr__(cls, name, guarded)
            except (TypeError, AttributeError):
                pass


def _guard(original, name: str, category: str, roots: tuple, skip_dir: str | None):
    """original을 '학생 코드가 부르면 감사 이벤트로 알리는' 포장으로 (전역 사전은 비어 있어 감사 코드에 닿지 않음).

    skip_dir가 있으면 바로 부른 곳이 아니라 그 폴더(torch) 밖의 가장 가까운 호출자를 봅니다.
    """
    import builtins
    import types

    audit, getframe, label = sys.audit, sys._getframe, ("helper_functions." + name if category == "changed" else name)
    roots = (*roots, "<frozen ")

    def guarded(*args, **kwargs):
        frame = getframe(1)
        while skip_dir is not None and frame is not None and frame.f_code.co_filename.startswith(skip_dir):
            frame = frame.f_back
        if frame is not None and not frame.f_code.co_filename.startswith(roots):
            audit("course_grader.flag", category, label)
        return original(*args, **kwargs)

    out = types.FunctionType(
        guarded.__code__, {"__builtins__": builtins}, name.rsplit(".", 1)[-1], None, guarded.__closure__
    )
    out.__qualname__ = name
    return out


def snapshot() -> None:
    """학생 코드 전에: 점검이 기대는 모듈을 불러오고 지금 상태를 기억합니다."""
    import importlib

    config = _STATE["config"]
    for name in config.get("modules") or []:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    try:
        _guard_mode_escapes()
    except Exception as err:
        _STATE["report"]("internal", "guard " + type(err).__name__)
    try:
        _guard_course_methods()
    except Exception as err:
        _STATE["report"]("internal", "course guard " + type(err).__name__)
    snap = {"modules": {}, "classes": {}, "functions": {}}
    _take(_selected_modules(), snap)
    _STATE["snap"] = snap
    _STATE["ipython"] = _ipython_state()
    _STATE["torch"] = {k: dict(v) if isinstance(v, dict) else v for k, v in _torch_state().items()}
    _STATE["known_modules"] = set(sys.modules)
    _STATE["classes"] = _all_classes()
    protected = _STATE["protected"]
    protected |= {id(m) for m, _, _ in snap["modules"].values()}
    protected |= set(snap["classes"]) | set(snap["functions"])
    _STATE["started"][0] = True


def _all_classes() -> dict:
    """지금 있는 모든 클래스 (id -> 클래스: 참조를 쥐어 id가 다시 쓰이지 않게). type.__subclasses__로 object부터."""
    found: dict = {}
    stack = [object]
    subclasses = type.__subclasses__
    while stack:
        cls = stack.pop()
        try:
            children = subclasses(cls)
        except TypeError:
            children = []
        for child in children:
            if id(child) not in found:
                found[id(child)] = child
                stack.append(child)
    return found


# 점검의 비교를 속일 수 있는 특수 메서드: 학생이 정의하면 보고합니다 (r01, r04, r10)
_LIAR_METHODS = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__bool__", "__len__", "__hash__"}
_LIAR_METHODS |= {"__torch_function__", "__torch_dispatch__", "__array_function__", "__array_ufunc__", "__array__"}
_LIAR_METHODS |= {"__array_wrap__", "__array_finalize__", "__instancecheck__", "__subclasscheck__", "__float__"}
_LIAR_METHODS |= {"__int__", "__index__", "__complex__", "__abs__", "__getattribute__", "__class__"}


def _value_types() -> tuple:
    kinds = [int, float, complex, str, bytes, list, tuple, dict, set, frozenset]
    torch, numpy = sys.modules.get("torch"), sys.modules.get("numpy")
    if torch is not None:
        kinds.append(torch.Tensor)
    if numpy is not None:
        kinds += [numpy.ndarray, numpy.generic]
    return tuple(kinds)


def _class_findings() -> list[tuple[str, str]]:
    """학생 코드가 만든 클래스 가운데 점검의 비교를 속일 수 있는 것 (r01, r04, r10).

    값 타입(텐서, 배열, 수, 컨테이너)의 하위 클래스에 학생이 정의한 메서드가 있거나, 어느 클래스든 비교·진릿값·
    torch/NumPy 프로토콜 메서드를 학생이 정의했으면 보고합니다. 점검은 학생이 돌려준 값의 특수 메서드를
    부르므로 (==, torch.equal, np.allclose, .tolist(), .item()), 그런 값은 무엇과도 같다고 답할 수 있습니다.
    학생이 정의했는지는 메서드가 정확히 파이썬 함수이고 그 코드가 라이브러리 밖(노트북 셀)에 있는지로 봅니다.
    """
    known = _STATE.get("classes")
    if known is None:
        return []
    student_code = _STATE["student_code"]
    values = _value_types()
    found = []
    for key, cls in _all_classes().items():
        if key in known:
            continue
        try:
            entries = type.__dict__["__dict__"].__get__(cls)
            own = {k for k, v in entries.items() if student_code(_unwrap_exact(v))}
            if not own:
                continue
            liar = own & _LIAR_METHODS
            if liar - {"__len__", "__hash__"} or issubclass(cls, values):
                name = type.__dict__["__name__"].__get__(cls)
                found.append(("liar", f"{name}.{sorted(liar or own)[0]}"))
        except Exception:
            found.append(("liar", "?"))
    return found[:20]


def _unwrap_exact(value):
    import functools

    for _ in range(5):
        kind = type(value)
        if kind in (staticmethod, classmethod):
            value = value.__func__
        elif kind is property:
            value = value.fget
        elif kind is functools.partial:
            value = value.func
        else:
            break
    return value


def _thread_findings() -> list[tuple[str, str]]:
    """학생 코드가 띄워 아직 도는 스레드 (r12, r13: 커널의 세션으로 답장을 위조하는 스레드)."""
    import threading

    student_code = _STATE["student_code"]
    found = []
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and _student_thread(thread, student_code):
            found.append(("thread", ""))
            break
    return found


def _same(a, b) -> bool:
    import types

    return a is b or (type(a) is types.MethodType and type(b) is types.MethodType and a == b)


def _compare(full: bool) -> list[tuple[str, str]]:

    found: list[tuple[str, str]] = []
    snap = _STATE["snap"]
    missing = object()
    for name, (module, kind, entries) in snap["modules"].items():
        if sys.modules.get(name) is not module:
            found.append(("changed", f"sys.modules['{name}']"))
        if type(module) is not kind:
            found.append(("changed", f"{name}.__class__"))
        now = vars(module)
        for key, value in entries.items():
            current = now.get(key, missing)
            if not _same(current, value) and not _library_wrapper(current, value, name) and not _late_library(current):
                found.append(("changed", f"{name}.{key}"))
    for cls, entries in snap["classes"].values():
        now = vars(cls)
        for key, value in entries.items():
            current = now.get(key, missing)
            if current is not value and not _late_library(current) and not _own_package(cls, current):
                found.append(("changed", f"{getattr(cls, '__module__', '?')}.{cls.__qualname__}.{key}"))
        for key in now.keys() - entries.keys():
            current = now[key]
            if key in ("__abstractmethods__", "_abc_impl", "__parameters__") or not _is_behaviour(current):
                continue
            if not _late_library(current) and not _own_package(cls, current):
                found.append(("changed", f"{getattr(cls, '__module__', '?')}.{cls.__qualname__}.{key}"))
    if full:
        for func, state in snap["functions"].values():
            if not _same_state(_function_state(func), state):
                found.append(("changed", f"{func.__module__}.{func.__qualname__}"))
    before = _STATE["ipython"]
    now = _ipython_state()
    roots = _STATE["roots"]
    for label, (obj, callables, _keys) in now["instance"].items():
        old = before["instance"].get(label)
        if old is None or old[0] is not obj:
            found.append(("hook", label))
            continue
        for key, value in callables.items():
            if key not in old[1] or not _same(old[1][key], value):
                if not _library_callable(value, roots):
                    found.append(("hook", f"{label}.{key}"))
    for name, table in now["handlers"].items():
        old = before["handlers"].get(name, {})
        if table.keys() != old.keys() or any(not _same(table[k], old[k]) for k in table):
            found.append(("hook", f"kernel.{name}"))
    for name, items in now["transformers"].items():
        if items != before["transformers"].get(name):
            found.append(("hook", name))
    if now["custom_exceptions"] != before["custom_exceptions"]:
        found.append(("hook", "custom_exceptions"))
    safe = ("matplotlib", "matplotlib_inline", "ipykernel", "IPython")
    for name, callbacks in now["events"].items():
        for cb in callbacks:
            if cb in before["events"].get(name, []):
                continue
            module = getattr(cb, "__module__", "") or ""
            if not module.startswith(safe):
                found.append(("hook", f"events.{name}"))
    if now["trace"] != before["trace"] or now["thread_hooks"] != before["thread_hooks"]:
        found.append(("trace", ""))
    for name, value in now["sys"].items():
        if value is not before["sys"].get(name):
            found.append(("hook", f"sys.{name}"))
    for finder in now["meta_path"] + now["path_hooks"] + list(now["importer_cache"].values()):
        if finder is None or finder in before["meta_path"] or finder in before["path_hooks"]:
            continue
        if any(finder is f for f in before["importer_cache"].values()):
            continue
        if not _defined_in_library(finder, roots):
            found.append(("hook", "import system"))
            break
    found += _global_hook_findings(_STATE["torch"])
    found += _namespace_findings(now["user_ns"], before["user_ns"])
    found += _given_findings(now["user_ns"])
    found += _module_origins(roots)
    if full:
        found += _history_findings()
    return found


def _library_wrapper(now, before, package: str) -> bool:
    """라이브러리가 스스로 씌운 포장(예: torch가 나중에 manual_seed에 씌우는 dynamo 포장)이면 True."""
    import types

    if type(now) is not types.FunctionType or now.__dict__.get("__wrapped__") is not before:
        return False  # 정확히 파이썬 함수만: __wrapped__와 __code__를 흉내 낸 객체에 속지 않게 (r02)
    code = now.__code__
    module = sys.modules.get(package.split(".")[0])
    folder = os.path.dirname(getattr(module, "__file__", "") or "")
    return bool(folder) and code is not None and code.co_filename.startswith(folder + os.sep)


def _own_package(cls, value) -> bool:
    """클래스와 같은 패키지의 파이썬 코드가 정의한 값이면 True (예: torch가 실행 중에 등록하는 속성).

    학생이 라이브러리 함수를 그대로 가져다 끼우는 경우는 이 비교로는 보이지 않지만, 그렇게 하려면 대입이나
    setattr(정적 검사), 또는 exec·모듈 쓰기·pickle(감사 훅)이 필요합니다.
    """
    code = _real_code(value)
    module = sys.modules.get(str(getattr(cls, "__module__", "")).split(".")[0])
    path = getattr(module, "__file__", None)
    if code is None or not isinstance(path, str) or not path.startswith(_STATE["roots"]):
        return False
    folder = os.path.dirname(path) + os.sep if os.path.basename(path) == "__init__.py" else path
    return code.co_filename.startswith(folder)


def _late_library(value) -> bool:
    """스냅숏 뒤에 처음 불러온 라이브러리 모듈이 정의한 값이면 True.

    예: torch.distributed.tensor.placement_types를 (forbid_ops가 쓰는 디스패치 모드 때문에) 나중에 불러오면
    그 모듈이 이미 있던 Placement 클래스의 __eq__를 자기 함수로 바꿉니다. 라이브러리가 스스로 한 일이므로
    조작으로 보지 않습니다. 학생이 바꾼 값(노트북이나 /tmp의 코드, 스냅숏 전부터 있던 라이브러리 함수)은
    여기에 해당하지 않습니다.
    """
    import types

    value = _unwrap_exact(value)
    if type(value) is not types.FunctionType:  # 정확히 파이썬 함수만 (흉내 낸 __module__, __code__에 속지 않게: r10)
        return False
    code = value.__code__
    module_name = value.__dict__.get("__module__", value.__module__)
    if not isinstance(module_name, str) or module_name in _STATE["known_modules"]:
        return False
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None)
    return isinstance(path, str) and path == code.co_filename and path.startswith(_STATE["roots"])


def _library_callable(value, roots) -> bool:
    """라이브러리(환경 안의 파일이나 C)에 정의된 호출 가능한 값이면 True (IPython이 셀마다 씌우는 것 등)."""
    import types

    for _ in range(5):
        value = _unwrap_exact(value)
        if type(value) is types.MethodType:
            value = value.__func__
        else:
            break
    if type(value) is types.FunctionType:
        return value.__code__.co_filename.startswith(roots)
    if type(value) in (types.BuiltinFunctionType, types.MethodWrapperType, types.WrapperDescriptorType):
        return True
    return _defined_in_library(value, roots)


def _defined_in_library(obj, roots) -> bool:
    student_code = _STATE.get("student_code")
    if student_code is not None and _student_class(type(obj), student_code):
        return False  # __module__는 흉내 낼 수 있으므로, 학생이 정의한 메서드가 있는 클래스는 라이브러리가 아님
    module = sys.modules.get(getattr(type(obj), "__module__", "") or "")
    if getattr(type(obj), "__module__", "") == "builtins":
        module = sys.modules.get(getattr(obj, "__module__", "") or "")
    path = getattr(module, "__file__", None)
    return module is not None and (path is None or str(path).startswith(roots))


def _student_class(cls, student_code) -> bool:
    try:
        mro = type.__dict__["__mro__"].__get__(cls)
        return any(student_code(_unwrap_exact(v)) for c in mro for v in type.__dict__["__dict__"].__get__(c).values())
    except Exception:
        return True


def _real_code(value):
    import types

    value = _unwrap_exact(value)
    return value.__code__ if type(value) is types.FunctionType else None


def _namespace_findings(ns: dict, before: dict) -> list[tuple[str, str]]:
    config = _STATE["config"]
    found = []
    missing = object()
    snap = _STATE["snap"]["modules"]
    for name, (module, attr) in (config.get("imports") or {}).items():
        expected = sys.modules.get(module)
        if attr is not None:
            entries = snap.get(module, (None, None, {}))[2]
            expected = entries[attr] if attr in entries else getattr(expected, attr, missing)
        if not _same(ns.get(name, missing), expected):
            found.append(("namespace", name))
    for name in config.get("builtins") or []:
        if name in ns and not _same(ns[name], before.get(name, missing)):
            found.append(("namespace", name))
    return found


def remember(names: list[str] | None = None) -> None:
    """주어진 셀 바로 뒤에서: 그 셀이 묶은, 점검이 쓰는 이름(예: `training_record`)이 가리키는 객체를 기억합니다.

    그 뒤로 학생 코드가 이름을 다른 것에 묶거나, 강좌 모듈의 훈련 기록(`TrainingRecord`)을 멈추거나(`stop()`,
    `watch_training()`을 다시 부름) 지우면(`forget`, 기록 바꿔치기) 감사가 보고합니다. 주어진 셀이 같은 이름을 다시
    묶으면(그 셀 뒤의 remember) 새 값을 기억합니다.
    """
    try:
        ns = get_ipython().user_ns  # noqa: F821
        kept = _STATE.setdefault("given", {})
        allowed = set(_STATE["config"].get("given") or [])
        for name in names if names is not None else sorted(allowed):
            if name in allowed and name in ns and kept.get(name, _STATE) is not ns[name]:
                old = kept.get(name, _STATE)
                _STATE["records"] = [r for r in _STATE.get("records", []) if r["obj"] is not old]
                kept[name] = ns[name]
                _watch_record(ns[name])
    except Exception as err:
        _STATE["report"]("internal", "remember " + type(err).__name__)


def _watch_record(obj) -> None:
    kind = type(obj)
    if kind.__name__ != "TrainingRecord" or kind.__module__ != "helper_functions":
        return
    handles = list(getattr(obj, "_handles", []))
    _STATE.setdefault("records", []).append({"obj": obj, "calls": obj._calls, "handles": handles, "seen": {}})


def _given_findings(ns: dict) -> list[tuple[str, str]]:
    """기억한 이름이 같은 객체를 가리키는지, 훈련 기록이 그대로 기록하고 있는지 (지운 기록이 없는지)."""
    import weakref

    found = []
    missing = object()
    for name, obj in _STATE.get("given", {}).items():
        if ns.get(name, missing) is not obj:
            found.append(("namespace", name))
    for record in _STATE.get("records", []):
        obj = record["obj"]
        stopped = any(handle.id not in (handle.hooks_dict_ref() or {}) for handle in record["handles"])
        if obj._calls is not record["calls"] or stopped:
            found.append(("changed", "helper_functions.TrainingRecord"))
            continue
        seen = record["seen"]
        for ref, length in list(seen.items()):
            module = ref()
            if module is None:
                del seen[ref]
                continue
            entries = obj._calls.get(module)
            if entries is None or len(entries) < length:
                found.append(("changed", "helper_functions.TrainingRecord._calls"))
        for module, entries in list(obj._calls.items()):
            seen[weakref.ref(module)] = len(entries)
    return found


def _module_origins(roots) -> list[tuple[str, str]]:
    found = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and os.path.isabs(path) and not path.startswith(roots):
            found.append(("module-origin", name))
    return found


def _history_findings() -> list[tuple[str, str]]:
    ip = get_ipython()  # noqa: F821
    history = getattr(ip, "history_manager", None)
    raw, parsed = getattr(history, "input_hist_raw", []), getattr(history, "input_hist_parsed", [])
    found = []
    for before, after in zip(raw, parsed, strict=False):
        if isinstance(before, str) and before.startswith("# [점검]") and before.rstrip() != str(after).rstrip():
            found.append(("history", ""))
    return found


def _emit(found: list[tuple[str, str]]) -> None:
    report = _STATE["report"]
    for category, detail in found:
        report(category, detail)


def verify() -> bool:
    """점검 셀 끝에서: 모듈·클래스 사전, 훅, 학생이 만든 클래스를 빠르게 비교합니다. 흔적이 있으면 True."""
    try:
        found = _compare(full=False) + _class_findings()
        _emit(found)
        return bool(found)
    except Exception as err:
        _STATE["report"]("internal", type(err).__name__)
        return True


def audit(phase: str | None = None) -> None:
    """전체 비교. 끝 표시(END)는 이것을 부른 감사 훅이 씁니다 (없으면 채점하는 쪽이 review로 봅니다)."""
    try:
        found = _compare(full=True)
        found += _class_findings()
        found += _thread_findings()
        _emit(found)
    except Exception as err:
        _STATE["report"]("internal", type(err).__name__)


def hidden_phase(seed: int | None) -> None:
    """숨은 점검 직전: 학생 코드의 흔적을 한 번 더 보고, 채점 시드를 정합니다."""
    audit("student")
    if seed is not None and ("helper_functions" in sys.modules or _STATE["config"].get("needs_seed")):
        try:
            import helper_functions

            helper_functions._set_grading_seed(seed)
        except Exception as err:
            _STATE["report"]("internal", "seed " + type(err).__name__)
