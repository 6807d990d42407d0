"""3단계, 격리해서 실행하기: 제출마다 새 작업 폴더, 새 작업 프로세스와 커널을 bubblewrap 안에서.

bubblewrap(`bwrap`) 안에서는 파일 시스템 전체가 읽기 전용이고(작업 폴더만 쓰기 가능), /tmp와 /dev/shm은
그 제출만의 것이며, 네트워크가 없고(--unshare-net), 자기 PID 이름공간(--unshare-pid)에서 돌아 작업
프로세스가 끝나면 학생 코드가 띄운 프로세스도 모두 함께 끝납니다 (--die-with-parent). 제출 폴더,
결과 폴더, 해답 폴더, 저장소의 .git, 홈 폴더는 빈 폴더로 가려 다른 학생의 제출이나 해답을 읽을 수 없습니다.
bwrap이 없거나 거부되면(--sandbox auto) 경고와 함께 격리 없이 실행하고, --sandbox required면 채점하지 않습니다.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from tools import nbutil
from tools.grading.model import MAX_MESSAGE_CHARS

BWRAP = "bubblewrap"
NONE = "none"
HOME_VARIABLES = ("MPLCONFIGDIR", "IPYTHONDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR")
HOME_VARIABLES += ("JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR")
NAMESPACES = ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]


class SandboxError(RuntimeError):
    """--sandbox required인데 bubblewrap을 쓸 수 없을 때."""


def _bwrap_base(job_dir: Path, hide: list[Path]) -> list[str]:
    """bwrap 명령의 앞부분 (실행할 명령 앞까지)."""
    cmd = [shutil.which("bwrap") or "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    cmd += ["--tmpfs", "/tmp", "--tmpfs", "/dev/shm"]
    for path in sorted({p for p in _needed() if p.is_dir()}):
        # 저장소나 파이썬이 /tmp 아래에 있으면 (예: CI의 새 클론) 빈 /tmp 위에 읽기 전용으로 다시 보이게 합니다.
        if any(base == path or base in path.parents for base in (Path("/tmp"), Path("/dev/shm"))):
            cmd += ["--ro-bind", str(path), str(path)]
    for path in hide:
        cmd += ["--tmpfs", str(path)]
    for device in sorted(glob.glob("/dev/nvidia*")) + sorted(glob.glob("/dev/dri")):  # GPU 채점용
        cmd += ["--dev-bind", device, device]
    cmd += ["--bind", str(job_dir), str(job_dir)]
    cmd += NAMESPACES + ["--die-with-parent", "--new-session", "--chdir", str(job_dir)]
    return cmd


def _needed() -> list[Path]:
    """샌드박스 안에서 보여야 하는 곳: 저장소(도구와 강좌 모듈)와 파이썬."""
    return [Path(p).resolve() for p in (nbutil.ROOT, sys.prefix, sys.base_prefix, sys.executable)]


def hidden_paths(extra: tuple[Path, ...] = ()) -> list[Path]:
    """빈 폴더로 가릴 곳: 요청받은 폴더들, 저장소의 .git과 solutions/, 홈 폴더. 필요한 곳을 품은 폴더는 뺍니다."""
    candidates = [*extra, nbutil.ROOT / ".git", nbutil.ROOT / "solutions", Path.home()]
    needed = _needed()
    out = []
    for path in candidates:
        path = Path(path).resolve()
        if not path.is_dir() or path == Path("/") or str(path).startswith("/tmp/"):
            continue
        if any(path == n or path in n.parents for n in needed):
            continue
        out.append(path)
    return sorted(set(out))


@functools.lru_cache(maxsize=1)
def probe() -> str:
    """bubblewrap을 쓸 수 있으면 빈 문자열, 아니면 이유."""
    if not sys.platform.startswith("linux"):
        return "리눅스가 아닙니다"
    if shutil.which("bwrap") is None:
        return "bwrap이 설치되어 있지 않습니다 (Debian/Ubuntu: apt-get install bubblewrap)"
    job = Path(tempfile.mkdtemp(prefix="grade-probe-"))
    try:
        cmd = _bwrap_base(job, []) + [sys.executable, "-c", "open('ok', 'w').write('1')"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        if done.returncode != 0 or not (job / "ok").exists():
            return f"bwrap이 거부되었습니다: {(done.stderr or '').strip()[:200]}"
        return ""
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bwrap을 실행할 수 없습니다: {err}"
    finally:
        shutil.rmtree(job, ignore_errors=True)


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


def _seed_home(home: Path) -> None:
    """작업마다 새 홈 폴더. matplotlib 글꼴 목록만 복사해 둡니다 (없으면 커널마다 다시 만드느라 느립니다)."""
    cache = Path(os.environ.get("MPLCONFIGDIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"))
    source = cache if os.environ.get("MPLCONFIGDIR") else cache / "matplotlib"
    target = home / ".cache" / "matplotlib"
    target.mkdir(parents=True)
    for fontlist in source.glob("fontlist-*.json"):
        with contextlib.suppress(OSError):
            shutil.copy2(fontlist, target / fontlist.name)


_RUNNING: set[int] = set()  # 지금 돌고 있는 작업 프로세스 (Ctrl-C 때 함께 끝냅니다)


def kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if hasattr(os, "killpg"):
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGTERM)


def kill_all() -> None:
    for pid in list(_RUNNING):
        kill_group(pid)


def run_job(
    cells: list[dict],
    timeout: float,
    max_output_bytes: int,
    memory_bytes: int = 0,
    isolation: str = NONE,
    hide: tuple[Path, ...] = (),
    nonce: str = "",
    startup_timeout: int = 60,
) -> dict:
    """셀 목록을 새 작업 폴더의 작업 프로세스와 커널에서 실행합니다. 반환: result.json의 내용."""
    job_dir = Path(tempfile.mkdtemp(prefix="grade-")).resolve()
    try:
        (job_dir / "work").mkdir()
        _seed_home(job_dir / "home")
        job = {
            "cells": cells,
            "timeout": timeout,
            "max_output_bytes": max_output_bytes,
            "startup_timeout": startup_timeout,
            "memory_bytes": memory_bytes,
            "sentinel": "점검 완료 " + secrets.token_hex(16),
            "nonce": nonce,
        }
        (job_dir / "job.json").write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        env = dict(os.environ)
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")  # 여러 커널이 동시에 돌 때 스레드가 코어보다 많아지지 않게
        env.setdefault("MPLBACKEND", "Agg")
        for var in HOME_VARIABLES:
            env.pop(var, None)  # 모두 새 홈 폴더 아래로
        env.update(
            HOME=str(job_dir / "home"),
            TMPDIR="/tmp" if isolation == BWRAP else str(job_dir / "home"),
            PYDEVD_DISABLE_FILE_VALIDATION="1",
            PYTHONDONTWRITEBYTECODE="1",
            JUPYTER_PLATFORM_DIRS="1",
        )
        code = f"import sys; sys.path.insert(0, {str(nbutil.ROOT)!r}); from tools.grading.worker import main; "
        code += "main(sys.argv[1])"
        cmd = [sys.executable, "-c", code, str(job_dir)]
        if isolation == BWRAP:
            cmd = _bwrap_base(job_dir, hidden_paths(hide)) + cmd
        with open(job_dir / "worker.log", "wb") as log:
            proc = subprocess.Popen(
                cmd,
                cwd=job_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            _RUNNING.add(proc.pid)
            try:
                proc.wait(timeout=timeout + startup_timeout + 30)
                hard_timeout = False
            except subprocess.TimeoutExpired:
                hard_timeout = True
            finally:
                kill_group(proc.pid)  # bwrap이면 이것으로 샌드박스 안의 모든 프로세스가 끝납니다
                kernel_pid = job_dir / "kernel.pid"
                if isolation != BWRAP and kernel_pid.exists():  # 샌드박스 안의 PID는 바깥에서 뜻이 없습니다
                    with contextlib.suppress(ValueError, OSError):
                        kill_group(int(kernel_pid.read_text()))
                proc.wait()
                _RUNNING.discard(proc.pid)
        result_path = job_dir / "result.json"
        if result_path.exists():
            return json.loads(result_path.read_text(encoding="utf-8"))
        if hard_timeout:
            return {"status": "timeout", "detail": f"{timeout:g}초 안에 끝나지 않아 강제로 멈췄습니다", "cells": []}
        tail = (job_dir / "worker.log").read_text(encoding="utf-8", errors="replace")[-MAX_MESSAGE_CHARS:]
        return {"status": "grader_error", "detail": f"작업 프로세스가 결과 없이 끝났습니다: {tail}", "cells": []}
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)
