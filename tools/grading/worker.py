"""3단계의 안쪽, 작업 프로세스: job.json의 셀들을 새 커널에서 실행하고 result.json을 씁니다.

샌드박스(bubblewrap) 안에서 돕니다. 채점하는 쪽과는 작업 폴더의 파일로만 주고받습니다.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from pathlib import Path

import nbformat

from tools import nbutil
from tools.grading.audit import parse_audit
from tools.grading.model import MAX_MESSAGE_CHARS


def kill_kernel(km) -> None:
    """커널 프로세스(와 그 프로세스 그룹)를 바로 죽입니다."""
    with contextlib.suppress(Exception):
        pid = km.provisioner.pid
        if hasattr(os, "killpg"):
            os.killpg(pid, signal.SIGKILL)  # 커널은 자기 세션(프로세스 그룹)의 대표입니다
        else:
            km.provisioner.process.kill()


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")


def main(job_dir: str) -> None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    job_path = Path(job_dir) / "job.json"
    job = json.loads(job_path.read_text(encoding="utf-8"))
    job_path.unlink()  # 감시 문자열(sentinel)이 든 파일을 학생 코드가 읽지 못하게
    if job.get("memory_bytes"):
        import resource  # 유닉스 전용: 이 프로세스와 커널(자식)의 주소 공간 제한

        resource.setrlimit(resource.RLIMIT_AS, (job["memory_bytes"], job["memory_bytes"]))
        # 리눅스의 주소 공간 제한: 넘는 할당은 커널 안에서 MemoryError가 됩니다 (커널은 살아 있습니다).
    work = Path(job_dir) / "work"
    sentinel = job["sentinel"]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(nbutil.KERNELSPEC)
    for cell in job["cells"]:
        source = cell["source"] + (f"\nprint({sentinel!r})" if cell["role"] == "check" else "")
        nb.cells.append(nbformat.v4.new_code_cell(source))
    replies: dict[int, dict] = {}
    state = {"bytes": 0, "too_large": False, "deadline": None, "current": None}

    class Client(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):
            if state["too_large"]:
                return None
            content = msg.get("content", {})
            size = len(str(content.get("text", ""))) + sum(len(str(v)) for v in content.get("data", {}).values())
            size += sum(len(str(t)) for t in content.get("traceback", []))
            state["bytes"] += size
            if state["bytes"] > job["max_output_bytes"]:
                state["too_large"] = True
                kill_kernel(self.km)
                return None
            return super().output(outs, msg, display_id, cell_index)

    def on_start(notebook):
        state["deadline"] = time.monotonic() + job["timeout"]
        with contextlib.suppress(Exception):
            (Path(job_dir) / "kernel.pid").write_text(str(client.km.provisioner.pid))

    def on_execute(cell, cell_index):
        state["current"] = cell_index

    def on_executed(cell, cell_index, execute_reply):
        replies[cell_index] = execute_reply.get("content", {}) if execute_reply else {}

    def remaining(cell) -> int:
        left = job["timeout"] if state["deadline"] is None else state["deadline"] - time.monotonic()
        return max(1, int(left + 0.999))

    client = Client(
        nb,
        timeout_func=remaining,
        startup_timeout=job["startup_timeout"],
        kernel_name="python3",
        allow_errors=True,
        shutdown_kernel="immediate",
        iopub_timeout=30,
        record_timing=False,
        resources={"metadata": {"path": str(work)}},
        on_notebook_start=on_start,
        on_cell_execute=on_execute,
        on_cell_executed=on_executed,
    )
    status, detail = "ok", ""
    try:
        client.execute()
    except CellTimeoutError:
        status, detail = "timeout", f"{job['timeout']:g}초 안에 끝나지 않았습니다"
    except DeadKernelError:
        status, detail = "kernel_died", "실행 중에 커널 프로세스가 끝났습니다 (os._exit, 메모리 부족 등)"
    except Exception as err:  # 커널 시작 실패 등
        status, detail = "grader_error", f"{type(err).__name__}: {str(err)[:MAX_MESSAGE_CHARS]}"
    if state["too_large"]:
        status, detail = "output_too_large", f"출력이 {job['max_output_bytes'] / 1024 / 1024:g} MB를 넘었습니다"
    if status != "ok" and state["current"] is not None and state["current"] not in replies:
        detail += f". 멈춘 곳: {job['cells'][state['current']]['title']}"

    cells, audit = [], None
    for index, cell in enumerate(nb.cells):
        reply = replies.get(index)
        entry = {"ran": reply is not None, "ok": bool(reply) and reply.get("status") == "ok"}
        if reply and reply.get("status") == "error":
            entry["error"] = f"{reply.get('ename', '')}: {reply.get('evalue', '')}"[:MAX_MESSAGE_CHARS]
            entry["ename"] = str(reply.get("ename", ""))[:100]
        role = job["cells"][index]["role"]
        if role == "check" and entry["ok"] and sentinel not in _stdout(cell):
            entry["ok"] = False
            entry["error"] = "점검 셀이 끝까지 실행되었는지 확인할 수 없습니다 (표준 출력이 바뀌었습니다)"
        if role == "audit" and reply is not None:
            audit = parse_audit(_stdout(cell), job["nonce"])
        cells.append(entry)
    result = {"status": status, "detail": detail, "cells": cells, "audit": audit}
    (Path(job_dir) / "result.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
