"""커널 안에서 도는 코드: 지금 커널의 상태를 fork로 복사한 자식 프로세스에서 셀 몇 개를 실행합니다.

테스트(`tests/solution_runs.py`)가 이 파일의 소스를 커널에 보내(`_course_fork` 모듈), 해답 커널에서는 오답 하나를
부모 커널의 상태를 건드리지 않고 시험하고, 무거운 모듈만 불러 둔 커널에서는 빈 연습 노트북 하나를 처음부터
실행합니다. 자식은 fork 순간 부모의 변수·모델·난수 상태를 그대로 갖고 시작하고(쓰기 시 복사), 끝나면
사라지므로 다음 오답은 언제나 깨끗한 상태에서 시작합니다. 되돌리려고 원래 답을 다시 실행할 필요가 없습니다.

자식은 노트북에 아무것도 보내지 않습니다: 표준 출력·오류는 /dev/null로, 커널 메시지(출력, 그림, 위젯)는
버립니다. 결과(셀마다 오류 이름과 메시지, 없으면 null)는 파이프로 부모에게 JSON으로 돌려주고, 부모는 그것을
`MARK` 뒤에 한 줄로 출력합니다. 셀 하나가 `timeout`초를 넘으면 자식을 죽이고 그때까지의 결과를 돌려줍니다.

fork가 있는 OS(리눅스, macOS)에서만 씁니다. 커널은 torch 스레드 하나로 돌아야 합니다 (OpenMP 스레드 풀이
있는 프로세스를 fork하면 자식이 멈출 수 있습니다): 테스트가 OMP_NUM_THREADS=1로 커널을 띄웁니다.
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import sys
import time

MARK = "@@course-fork@@"


def _noop(*args, **kwargs):
    return None


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data) :]


def _child(shell, sources: list[str], cwd: str | None, fd: int) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (자식은 곧 os._exit)
    kernel = getattr(shell, "kernel", None)
    for session in {id(s): s for s in (getattr(kernel, "session", None), getattr(shell.display_pub, "session", None))
                    if s is not None}.values():
        session.send = _noop  # 출력·그림·위젯 메시지를 노트북으로 보내지 않습니다.
    shell.display_pub.publish = _noop
    shell.display_formatter.format = lambda *a, **k: ({}, {})  # 보이지 않을 그림을 PNG로 그리지 않습니다.
    if cwd:
        os.chdir(cwd)
    for source in sources:
        try:
            code = compile(shell.transform_cell(source), "<cell>", "exec")
            exec(code, shell.user_global_ns, shell.user_ns)
            result = None
        except BaseException as error:  # SystemExit, KeyboardInterrupt도 그 셀의 결과입니다.
            result = [type(error).__name__, str(error)]
        # 셀 하나가 끝날 때마다 보냅니다: 시간 초과로 죽어도 그때까지의 결과는 남습니다.
        _write_all(fd, (json.dumps(result) + "\n").encode())


def run(payload: str) -> None:
    """payload(JSON): {"sources": [셀 소스...], "timeout": 셀당 초, "cwd": 자식의 작업 폴더 (없으면 그대로)}.

    출력: `MARK` + JSON {"results": [셀마다 null 또는 [오류 이름, 메시지]], "status": "ok"|"timeout"|"crash"}.
    results가 sources보다 짧으면 그 뒤의 셀은 실행되지 않았습니다 (status가 이유).
    """
    request = json.loads(payload)
    sources, timeout, cwd = request["sources"], float(request["timeout"]), request.get("cwd")
    from IPython import get_ipython

    shell = get_ipython()
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    # 지금 있는 객체를 GC가 보지 않게 얼려 두면, 자식의 GC가 부모의 메모리 페이지를 건드려 복사하게 만들지 않습니다.
    gc.freeze()
    pid = os.fork()
    if pid == 0:  # 자식
        code = 0
        try:
            os.close(read_end)
            _child(shell, sources, cwd, write_end)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    gc.unfreeze()
    os.close(write_end)
    buffer = b""
    status = "ok"
    deadline = time.monotonic() + timeout
    done = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            os.kill(pid, signal.SIGKILL)
            status = "timeout"
            break
        ready, _, _ = select.select([read_end], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_end, 1 << 16)
        if not chunk:
            break
        buffer += chunk
        finished = buffer.count(b"\n")
        if finished > done:  # 셀 하나가 끝났으니 다음 셀의 시간을 새로 잽니다.
            done = finished
            deadline = time.monotonic() + timeout
    os.close(read_end)
    try:
        exit_code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except ChildProcessError:  # 다른 누군가(SIGCHLD 처리기)가 이미 거둔 경우: 결과가 다 왔는지만 봅니다.
        exit_code = 0
    results = [json.loads(line) for line in buffer.decode().splitlines() if line.strip()]
    if status == "ok" and (len(results) < len(sources) or exit_code != 0):
        status = f"crash (종료 상태 {exit_code})"
    print(MARK + json.dumps({"results": results, "status": status}, ensure_ascii=False))
