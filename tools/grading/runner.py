"""3단계, 실행: 채점하는 프로세스 안의 nbclient가 셀을 보내고, 커널 하나만 샌드박스(sandbox.py) 안에서 돕니다.

결과(셀마다 실행됨/통과/오류), 감사 보고, 출력 크기 세기, 시간 제한은 모두 이 프로세스의 메모리에만
있습니다. 커널이 보내는 것은 믿지 않는 입력으로 다룹니다: 메시지 하나의 크기(ZeroMQ MAXMSGSIZE)와 모든
메시지의 바이트 합(메타데이터 포함)에 상한이 있고, 넘으면 커널을 멈춥니다. 커널의 stderr는 이름 없는
임시 파일로 받아, 커널이 시작하지 못했을 때만 끝부분을 읽습니다.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time

import nbformat
import zmq
import zmq.asyncio
from jupyter_client import AsyncKernelManager
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from tools import nbutil
from tools.grading import kernel_side, sandbox, zygote
from tools.grading.model import MAX_MESSAGE_CHARS

MAX_REPORT_BYTES = 256 * 1024  # 감사 보고 파이프에서 읽는 최대 바이트
GRADER_EVENT = kernel_side.GRADER_EVENT
GRADER_ROLES = ("setup", "phase", "audit")  # 채점 도구의 셀: 학생의 시간 제한에 넣지 않습니다


class OutputTooLarge(Exception):
    pass


def grader_call(op: str, token: str, arg=None) -> str:
    """채점 도구의 셀 코드: 커널 쪽 감사 훅에 감사 이벤트로 할 일을 알립니다 (모듈을 부르지 않음)."""
    return f"__import__('sys').audit({GRADER_EVENT!r}, {op!r}, {token!r}, {arg!r})"


class Budget:
    """커널에서 받은 모든 메시지의 바이트 합 (모든 프레임: 헤더, 메타데이터, 내용)."""

    def __init__(self, cap: int, on_over):
        self.cap, self.used, self.over, self.on_over = cap, 0, False, on_over
        self.replies: dict[str, int] = {}  # 셀(요청 msg_id)마다 받은 execute_reply 수: 둘 이상이면 위조 (r13)
        self.bad = ""  # 읽을 수 없는 메시지 (r12)

    def add(self, size: int) -> None:
        self.used += size
        if self.used > self.cap and not self.over:
            self.over = True
            self.on_over()
        if self.over:
            raise OutputTooLarge


def _channel_class(budget: Budget):
    class CountingChannel(AsyncZMQSocketChannel):
        async def _recv(self, **kwargs):
            msg = await self.socket.recv_multipart(**kwargs)
            budget.add(sum(len(part) for part in msg))
            try:
                _, smsg = self.session.feed_identities(msg)
                out = self.session.deserialize(smsg)
                if out.get("msg_type") == "execute_reply":
                    parent = str(out.get("parent_header", {}).get("msg_id", ""))
                    budget.replies[parent] = budget.replies.get(parent, 0) + 1
            except Exception as err:  # 깊게 중첩된 JSON(RecursionError), 깨진 메시지: 커널을 멈추고 review
                budget.bad = budget.bad or type(err).__name__
                if not budget.over:
                    budget.over = True
                    budget.on_over()
                raise OutputTooLarge from None
            return out

    return CountingChannel


class GraderClient(AsyncKernelClient):
    def start_channels(self, shell=True, iopub=True, stdin=True, hb=True, control=True):
        super().start_channels(shell=shell, iopub=iopub, stdin=stdin, hb=False, control=control)


class SandboxedKernelManager(AsyncKernelManager):
    """커널을 `launch` 명령(bwrap + 파이썬 + 커널 쪽 코드)으로 띄우는 KernelManager."""

    def setup(
        self, launch: list[str], env: dict, stderr, pass_fds: tuple[int, ...], kernel_file, budget: Budget, inject=None
    ):
        self._grader = {"launch": launch, "env": env, "stderr": stderr, "fds": pass_fds, "file": kernel_file}
        self._grader["inject"] = inject  # zygote에서 갈라 낼 때: 샌드박스를 띄운 뒤 그 안에 커널을 만듭니다
        self._budget = budget

    def format_kernel_cmd(self, extra_arguments=None):
        return list(self._grader["launch"])

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        grader = self._grader
        if grader["file"] is not None:  # 샌드박스 안의 커널은 소켓을 /run/jupyter에서 봅니다
            info = dict(self.get_connection_info())
            info["key"] = info["key"].decode("ascii") if isinstance(info["key"], bytes) else info["key"]
            info["ip"] = f"{sandbox.SANDBOX_SOCKETS}/k"
            grader["file"].write_text(json.dumps(info), encoding="utf-8")
            os.chmod(grader["file"], 0o644)
        launch = {
            "env": dict(grader["env"]),
            "cwd": "/",
            "stdin": subprocess.DEVNULL,
            "stdout": grader["stderr"],
            "stderr": grader["stderr"],
            "pass_fds": grader["fds"],
        }
        await super()._async_launch_kernel(kernel_cmd, **launch)
        inject = grader["inject"]
        if inject:
            loop = asyncio.get_running_loop()
            target = await loop.run_in_executor(None, zygote.sandbox_pid, inject["info"])
            args = (target, inject["fds"], inject["env"], True, inject["seccomp"], inject["cgroup"])
            pid, pidfd = await loop.run_in_executor(None, inject["zygote"].spawn, *args)
            inject["process"] = zygote.InjectedProcess(self.provisioner.process, pid, pidfd)
            self.provisioner.process = inject["process"]

    def client(self, **kwargs):
        kwargs.setdefault("context", self.context)  # MAXMSGSIZE가 걸린 컨텍스트
        kc = GraderClient(
            **self.get_connection_info(session=True), connection_file=self.connection_file, parent=self, **kwargs
        )
        channel = _channel_class(self._budget)
        kc.shell_channel_class = kc.iopub_channel_class = kc.stdin_channel_class = channel
        kc.control_channel_class = channel
        return kc


class Reports:
    """커널 쪽 감사 훅과 감사 함수가 파이프로 보내는 줄을 모읍니다.

    숨은 점검을 보내기 시작한 뒤에 받은 줄은 종류만 남기고 내용(이름 등)은 버립니다: 그때부터 학생 코드가
    숨은 점검의 코드를 볼 수 있으므로, 그 내용이 피드백에 실려 나가지 않게 하기 위해서입니다.
    """

    def __init__(self, fd: int, nonce: str):
        self.fd, self.nonce = fd, nonce
        self.buffer = b""
        self.total = 0
        self.lines: list[tuple[str, str, bool]] = []  # (종류, 내용, 숨은 점검 뒤)
        self.ends: set[str] = set()
        self.tainted: set[str] = set()  # 점검 셀 끝에서 감사가 조작의 흔적을 본 표
        self.ready = False
        self.eof = False
        self.hidden = False

    def read(self) -> None:
        while not self.eof:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                self.eof = True
                return
            self.total += len(data)
            if self.total > MAX_REPORT_BYTES:
                self.lines.append(("flood", "", self.hidden))
                self.eof = True
                return
            self.buffer += data
            *complete, self.buffer = self.buffer.split(b"\n")
            for raw in complete:
                self._line(raw.decode("utf-8", "replace"))

    def _line(self, line: str) -> None:
        if line == f"READY {self.nonce}":
            self.ready = True
        elif line.startswith(f"END {self.nonce} "):
            token, _, mark = line[len(f"END {self.nonce} ") :].partition(" ")
            self.ends.add(token)
            if mark == "tainted":
                self.tainted.add(token)
        elif line.startswith("F "):
            category, _, detail = line[2:].partition("\t")
            self.lines.append((category, "" if self.hidden else detail, self.hidden))
        else:
            self.lines.append(("garbage", "", self.hidden))


def _sentinel_source(source: str, sentinel: str, token: str) -> str:
    return f"{source}\n{grader_call('verify', token)}\nprint({sentinel!r})"


ACK_LABELS = {"hidden_phase": "student", "audit": "end"}


def _kill(km) -> None:
    with contextlib.suppress(Exception):
        provisioner = km.provisioner
        if provisioner is not None and provisioner.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
                os.killpg(provisioner.process.pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                provisioner.process.kill()


async def run_job(
    cells: list[dict],
    *,
    timeout: float,
    max_output_bytes: int,
    isolation: str,
    limits: sandbox.Limits,
    config: dict,
    seed: int | None,
    startup_timeout: float = 60,
    zygote_process: zygote.Zygote | None = None,
) -> dict:
    """셀 목록을 새 커널에서 실행합니다. 반환: {status, detail, cells: [...], audit: 발견 목록 또는 None}."""
    layout = sandbox.new_layout()
    stopped_at = ""
    nonce = secrets.token_hex(16)
    sentinel = "점검 완료 " + secrets.token_hex(16)
    uid, uid_lock = sandbox.claim_uid() if isolation == sandbox.BWRAP and sandbox.is_root() else (None, None)
    cgroup = sandbox.memory_cgroup(limits.memory_bytes) if isolation == sandbox.BWRAP else None
    injected = zygote_process is not None and isolation == sandbox.BWRAP and uid is not None
    inject = None
    fds = _Fds()
    cfg_r, cfg_w = fds.pipe()
    rep_r, rep_w = fds.pipe()
    stderr = tempfile.TemporaryFile()
    loop = asyncio.get_running_loop()
    reports = Reports(rep_r, nonce)
    os.set_blocking(rep_r, False)
    km = None
    state = {"too_large": False, "current": None, "deadline": None, "locked": False, "closing": False, "cut": False}
    watchers: list = []
    tokens: dict[int, str] = {}
    budget = None
    try:
        if uid is not None:
            os.chown(layout.sock, uid, uid)
        kernel_config = dict(config)
        kernel_config.update(
            nonce=nonce,
            report_fd=kernel_side.REPORT_FD if injected else rep_w,
            uid=uid,
            limits=limits.rlimits(),
            nproc_relative=uid is None,
            home=sandbox.SANDBOX_HOME if isolation == sandbox.BWRAP else str(layout.home),
            work=sandbox.SANDBOX_WORK if isolation == sandbox.BWRAP else str(layout.work),
            connection_file=(
                f"{sandbox.SANDBOX_GRADER}/kernel.json" if isolation == sandbox.BWRAP else str(layout.connection_file)
            ),
            fontlists=[
                f"{sandbox.SANDBOX_GRADER if isolation == sandbox.BWRAP else layout.boot}/{p.name}"
                for p in layout.boot.glob("fontlist-*.json")
            ],
            library_files=sandbox.library_files(),
        )
        if isolation != sandbox.BWRAP:
            kernel_config["limits"]["nproc"] = None
        payload = json.dumps(kernel_config).encode("utf-8")
        if len(payload) > 60000:
            raise ValueError("커널 설정이 너무 큽니다")
        os.write(cfg_w, payload)
        fds.close(cfg_w)
        env = sandbox.kernel_env(isolation, layout)
        pass_fds = (cfg_r, rep_w)
        close_after = pass_fds  # 커널이 뜬 뒤 채점하는 쪽에서 닫는 것
        python = [sys.executable, "-I", "-B", "-c"]
        if isolation == sandbox.BWRAP:
            seccomp_fd = sandbox.seccomp_pipe()
            if seccomp_fd is not None:
                fds.open.add(seccomp_fd)
                pass_fds += (seccomp_fd,)
            launch = sandbox.bwrap_command(layout, env, limits, privileged=uid is not None, seccomp_fd=seccomp_fd)
            if injected:  # 같은 샌드박스에 잠자는 프로세스만 띄우고, 커널은 zygote가 그 안에 만듭니다
                info_r, info_w = fds.pipe()
                launch = launch[:1] + ["--info-fd", str(info_w)] + launch[1:] + [zygote.SLEEP, "infinity"]
                pass_fds = (info_w,) + pass_fds[2:]
                close_after = (cfg_r, rep_w, info_r, info_w)
                inject = {
                    "cgroup": cgroup,
                    "zygote": zygote_process,
                    "info": info_r,
                    "fds": (cfg_r, rep_w, stderr.fileno()),
                    "env": env,
                    "seccomp": sandbox.seccomp_program(),
                }
            else:
                launch += python + [sandbox.launch_code(sandbox.SANDBOX_GRADER), str(cfg_r)]
            kernel_file = layout.boot / "kernel.json"
            launch = sandbox.in_cgroup(launch, cgroup)
        else:
            launch = python + [sandbox.launch_code(str(layout.boot)), str(cfg_r)]
            kernel_file = None

        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, max_output_bytes + 1024 * 1024)
        context.setsockopt(zmq.LINGER, 0)

        def over():
            state["too_large"] = True
            _kill(km)

        budget = Budget(max_output_bytes, over)
        km = SandboxedKernelManager(
            kernel_name="python3", transport="ipc", ip=str(layout.sock / "k"), context=context, cache_ports=False
        )
        km.connection_file = str(layout.connection_file)
        km.setup(launch, env, stderr, pass_fds, kernel_file, budget, inject)
        loop.add_reader(rep_r, reports.read)

        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = dict(nbutil.KERNELSPEC)
        first_hidden = None
        for index, cell in enumerate(cells):
            source = cell["source"]
            if cell.get("call"):  # 채점 도구의 셀: 셀마다 새 표 (끝 표시 END nonce 표로 돌아와야 함)
                tokens[index] = secrets.token_hex(12)
                op, arg = cell["call"]
                source = grader_call(op, tokens[index], arg)
            if cell["role"] == "check":
                tokens[index] = secrets.token_hex(12)
                source = _sentinel_source(source, sentinel, tokens[index])
                if cell.get("part") == "hidden" and first_hidden is None:
                    first_hidden = index
            nb.cells.append(nbformat.v4.new_code_cell(source))
        replies: dict[int, dict] = {}
        stdout: dict[int, list[str]] = {}

        class Client(NotebookClient):
            async def async_start_new_kernel_client(self):
                kc = await super().async_start_new_kernel_client()
                for channel in (kc.shell_channel, kc.iopub_channel, kc.stdin_channel, kc.control_channel):
                    with contextlib.suppress(Exception):
                        monitor = channel.socket.get_monitor_socket(zmq.EVENT_DISCONNECTED)
                        watchers.append(asyncio.ensure_future(watch(monitor)))
                fds.close(*close_after)  # 커널이 떴으니 쓰는 쪽과 설정은 커널만 갖습니다
                sandbox.lock_sockets(layout, uid)
                state["locked"] = True
                return kc

            def output(self, outs, msg, display_id, cell_index):
                content = msg.get("content", {})
                if cells[cell_index]["role"] == "check" and msg.get("msg_type") == "stream":
                    if content.get("name") == "stdout" and isinstance(content.get("text"), str):
                        stdout.setdefault(cell_index, []).append(content["text"])
                return None  # 출력은 노트북에 쌓지 않습니다

        async def watch(monitor):
            """메시지 하나가 MAXMSGSIZE를 넘으면 ZeroMQ가 연결을 끊습니다: 커널이 살아 있는데 끊겼으면 멈춥니다."""
            with contextlib.suppress(Exception):
                await monitor.recv_multipart()
                await asyncio.sleep(0.3)
                if not state["closing"] and await km.is_alive():
                    state["cut"] = True
                    over()

        def on_start(notebook):
            state["deadline"] = time.monotonic() + timeout

        def on_execute(cell, cell_index):
            state["current"] = cell_index
            state["cell_start"] = time.monotonic()
            if first_hidden is not None and cell_index >= first_hidden and not reports.hidden:
                reports.read()  # 숨은 점검을 보내기 전에 받은 것은 그대로 두고
                reports.hidden = True  # 그 뒤로는 종류만

        def on_executed(cell, cell_index, execute_reply):
            replies[cell_index] = execute_reply.get("content", {}) if execute_reply else {}
            if cells[cell_index]["role"] in GRADER_ROLES and state["deadline"] is not None:
                state["deadline"] += time.monotonic() - state["cell_start"]  # 채점 도구의 셀은 시간 제한에 넣지 않음

        def remaining(cell) -> int:
            index = state["current"]
            if index is not None and cells[index]["role"] in GRADER_ROLES:
                return int(startup_timeout)
            left = timeout if state["deadline"] is None else state["deadline"] - time.monotonic()
            return max(1, int(left + 0.999))

        client = Client(
            nb,
            km=km,
            timeout_func=remaining,
            startup_timeout=int(startup_timeout),
            allow_errors=True,
            shutdown_kernel="immediate",
            iopub_timeout=4,
            record_timing=False,
            on_notebook_start=on_start,
            on_cell_execute=on_execute,
            on_cell_executed=on_executed,
        )
        status, detail, eof_early = "ok", "", False
        try:
            await asyncio.wait_for(client.async_execute(), timeout + startup_timeout + 15)
            reports.read()
            eof_early = reports.eof
        except (CellTimeoutError, TimeoutError):
            status, detail = "timeout", f"{timeout:g}초 안에 끝나지 않았습니다"
        except DeadKernelError:
            status, detail = "kernel_died", "실행 중에 커널 프로세스가 끝났습니다 (os._exit, 메모리 부족 등)"
        except OutputTooLarge:
            pass
        except Exception as err:  # 커널 시작 실패 등
            status, detail = "grader_error", f"{type(err).__name__}: {str(err)[:200]}"
            if not state["locked"]:
                detail += _stderr_tail(stderr)
            else:  # 커널이 뜬 뒤: 커널이 보낸 것 때문에 채점 도구가 멈춤 (조작으로 봅니다)
                status = "kernel_died"
                detail = f"채점 도구가 커널의 메시지를 처리하지 못했습니다 ({type(err).__name__})"
                reports.lines.append(("reply", type(err).__name__, False))
        state["closing"] = True
        if budget is not None and budget.bad:
            status, detail = "kernel_died", f"커널이 읽을 수 없는 메시지를 보냈습니다 ({budget.bad})"
            reports.lines.append(("reply", budget.bad, False))
            state["too_large"] = False
        if budget is not None and any(count > 1 for count in budget.replies.values()):
            reports.lines.append(("reply", "execute_reply", False))
        if state["too_large"]:
            status, detail = "output_too_large", f"출력이 {max_output_bytes / 1024 / 1024:g} MB를 넘었습니다"
            if state["cut"]:
                detail = "커널과의 연결이 끊겼습니다 (메시지 하나가 너무 크거나 커널 안에서 통신이 망가짐)"
        if status == "timeout" and state["deadline"] is None:
            detail = f"커널이 {startup_timeout:g}초 안에 시작하지 않았습니다" + _stderr_tail(stderr)
            status = "grader_error"
        if status != "ok" and state["current"] is not None and state["current"] not in replies:
            stopped_at = cells[state["current"]]["title"]
            detail += f". 멈춘 곳: {stopped_at}"
    finally:
        state["closing"] = True
        for task in watchers:
            task.cancel()
        if km is not None:
            _kill(km)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(km.shutdown_kernel(now=True), 5)
            with contextlib.suppress(Exception):
                km.context.destroy(linger=0)
        if inject and inject.get("process") is not None:
            inject["process"].close()
        with contextlib.suppress(Exception):
            loop.remove_reader(rep_r)
        fds.close(*list(fds.open - {rep_r}))
        reports.read()
        fds.close(rep_r)
        stderr.close()
        sandbox.remove_layout(layout)
        if uid is not None:
            sandbox.release_uid(uid, uid_lock)
        sandbox.remove_cgroup(cgroup)

    entries = []
    ends, unacked = set(), []
    for index, cell in enumerate(cells):
        reply = replies.get(index)
        entry = {"ran": reply is not None, "ok": bool(reply) and reply.get("status") == "ok"}
        acked = index in tokens and tokens[index] in reports.ends
        if cell.get("call") and acked:
            ends.add(ACK_LABELS.get(cell["call"][0], cell["call"][0]))
        elif cell.get("call") and entry["ok"]:
            unacked.append(cell["title"])
        if reply and reply.get("status") == "error":
            entry["error"] = _clean(f"{reply.get('ename', '')}: {reply.get('evalue', '')}"[:MAX_MESSAGE_CHARS])
            entry["ename"] = _clean(str(reply.get("ename", ""))[:100])
            entry["evalue"] = _clean(str(reply.get("evalue", ""))[:MAX_MESSAGE_CHARS])
        if cell["role"] == "check" and entry["ok"] and sentinel not in "".join(stdout.get(index, [])):
            entry["ok"] = False
            entry["error"] = "점검 셀이 끝까지 실행되었는지 확인할 수 없습니다 (표준 출력이 바뀌었습니다)"
        elif cell["role"] == "check" and entry["ok"] and not acked:  # 답장은 ok인데 감사 훅의 끝 표시가 없음
            entry["ok"] = False
            entry["error"] = "점검 셀이 끝까지 실행되었는지 확인할 수 없습니다 (감사의 끝 표시가 없습니다)"
            unacked.append(cell["title"])
        elif cell["role"] == "check" and entry["ok"] and tokens[index] in reports.tainted:
            entry["ok"] = False
            entry["error"] = "점검이 끝날 때 조작의 흔적이 있어 이 점검은 통과로 세지 않습니다 (교사 확인 필요)"
        entries.append(entry)
    return {
        "status": status,
        "detail": detail,
        "cells": entries,
        "reports": reports.lines,
        "ends": sorted(ends),
        "unacked": unacked,
        "ready": reports.ready,
        "report_eof_early": eof_early and status == "ok",
        "stopped_at": stopped_at,
        "timeout": timeout,
    }


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85]+")


def _clean(text: str) -> str:
    """커널에서 온 글자(오류 메시지)의 줄바꿈·탭은 빈칸 하나로 (피드백에 가짜 줄을 만들지 못하게: r06),
    다른 제어 문자(터미널 이스케이프, 방향 바꾸기)는 �로."""
    return _CONTROL.sub("\ufffd", _BREAKS.sub(" ", str(text)))


class _Fds:
    """이 작업의 파이프 fd들. 한 번만 닫습니다 (같은 프로세스의 다른 작업이 같은 번호를 다시 쓸 수 있으므로)."""

    def __init__(self):
        self.open: set[int] = set()

    def pipe(self) -> tuple[int, int]:
        r, w = os.pipe()
        self.open |= {r, w}
        return r, w

    def close(self, *fds: int) -> None:
        for fd in fds:
            if fd in self.open:
                self.open.discard(fd)
                with contextlib.suppress(OSError):
                    os.close(fd)


def _stderr_tail(stderr) -> str:
    """커널이 시작하지 못했을 때만: stderr의 끝부분 (크기 제한, 학생 코드가 돌기 전의 것)."""
    with contextlib.suppress(OSError):
        stderr.flush()
        size = stderr.seek(0, os.SEEK_END)
        stderr.seek(max(0, size - 2000))
        text = stderr.read().decode("utf-8", "replace").strip()
        return f": {text[-MAX_MESSAGE_CHARS:]}" if text else ""
    return ""
