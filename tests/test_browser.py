"""브라우저 테스트: 진짜 JupyterLab을 띄우고 Chromium으로 노트북을 열어 'Run All Cells'를 실행합니다.

학습자가 하는 일을 그대로 합니다: 저장소의 `jupyter lab`(`make lab`과 같은 것)을 127.0.0.1의 빈 포트에
임시 설정으로 띄우고, Debian의 Chromium을 Playwright로 움직여 노트북을 열고, 메뉴에서
출력 지우기(`notebook:clear-all-cell-outputs`)와 모두 실행(`notebook:run-all-cells`)을 누른 뒤,
커널이 쉴 때까지 기다려 화면(DOM)에 그려진 새 출력을 검사합니다. 스크린숏은 `test-artifacts/`에 남깁니다.

저장소 파일은 건드리지 않습니다: 노트북을 임시 폴더에 복사해 그 폴더를 서버의 루트로 씁니다
(`helper_functions`는 .venv에 설치되어 있어 어디서든 불러집니다). 끝나면 원본이 바이트 단위로 같은지 봅니다.

Chromium(/usr/bin/chromium)이 없으면 설치 방법을 알려 주며 건너뜁니다. CI(`CI=true`)에서는 실패입니다.
혼자 돌리기: `.venv/bin/python -m pytest tests/test_browser.py -n 0`
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS, require_browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
LESSON = "notebooks/02_binary_classification.ipynb"
EXERCISE = "exercises/00_environment_and_tensors_exercises.ipynb"
# 연습 노트북에서 허용하는 오류: 빈 답(NotImplementedError, 그 결과 정의되지 않은 이름)과 점검 실패.
ALLOWED_EXERCISE_ERRORS = {"AssertionError", "NameError", "NotImplementedError"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")

SERVER_START_TIMEOUT = 120  # 초. 2코어에서 노트북 테스트와 함께 돌아도 넉넉하게.
NOTEBOOK_OPEN_TIMEOUT = 120
RUN_ALL_TIMEOUT = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


class Lab:
    """실행 중인 JupyterLab 서버 하나."""

    def __init__(self, base: Path):
        self.base = base
        self.root = base / "root"  # 서버의 루트: 노트북 복사본
        self.log_path = base / "jupyter-lab.log"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-6000:]

    def start(self) -> None:
        for folder in ("notebooks", "exercises"):
            if (ROOT / folder).is_dir():
                shutil.copytree(ROOT / folder, self.root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        dirs = {name: self.base / name for name in ("config", "data", "runtime", "settings", "workspaces", "ipython")}
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        _write_json(
            dirs["config"] / "jupyter_server_config.json",
            {
                "ServerApp": {
                    "ip": "127.0.0.1",
                    "port": self.port,
                    "port_retries": 0,
                    "open_browser": False,
                    "root_dir": str(self.root),
                    "allow_root": True,  # CI는 root로 돕니다
                },
                "IdentityProvider": {"token": ""},
                "PasswordIdentityProvider": {"hashed_password": "", "password_required": False},
                "LabApp": {
                    "news_url": None,  # 소식(announcements) 가져오기 끔
                    "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
                    "extension_manager": "readonly",  # PyPI에 묻지 않음
                    "expose_app_in_browser": True,  # window.jupyterapp: 명령 기록과 커널 상태 읽기
                },
                "LanguageServerManager": {"autodetect": False},
            },
        )
        settings = dirs["settings"] / "@jupyterlab"
        _write_json(
            settings / "apputils-extension" / "notification.jupyterlab-settings",
            {"fetchNews": "false", "checkForUpdates": False},
        )
        _write_json(settings / "docmanager-extension" / "plugin.jupyterlab-settings", {"autosave": False})
        # 모든 셀을 DOM에 붙여 둡니다 (화면 밖 셀도 출력을 검사할 수 있게).
        _write_json(settings / "notebook-extension" / "tracker.jupyterlab-settings", {"windowingMode": "none"})

        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "MPLBACKEND"))}
        env.update(
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            JUPYTER_DATA_DIR=str(dirs["data"]),
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
            JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
            IPYTHONDIR=str(dirs["ipython"]),
            PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
            PYTHONUNBUFFERED="1",
        )
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyter", "lab"],
                cwd=self.root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # 프로세스 그룹째 멈출 수 있게
            )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab이 곧바로 끝났습니다 (코드 {self.proc.returncode}):\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"jupyter lab이 {SERVER_START_TIMEOUT}초 안에 응답하지 않았습니다:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:  # 커널부터 정상 종료 (커널은 서버와 다른 세션에서 돕니다)
            with urllib.request.urlopen(f"{self.url}/api/kernels", timeout=5) as response:
                kernels = json.load(response)
            for kernel in kernels:
                request = urllib.request.Request(f"{self.url}/api/kernels/{kernel['id']}", method="DELETE")
                urllib.request.urlopen(request, timeout=10).close()
        except OSError:
            pass
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require_browser()
    server = Lab(tmp_path_factory.mktemp("jupyterlab"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


# 브라우저 안에서: 열린 노트북 패널을 경로로 찾습니다.
FIND_PANEL = """
(path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  return Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path && w.content) || null;
}
"""

NOTEBOOK_READY = f"""
(path) => {{
  const panel = ({FIND_PANEL})(path);
  if (!panel || !panel.context.isReady || !panel.sessionContext.isReady) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle' && panel.content.widgets.length > 0;
}}
"""

# 실행이 끝났는가: 메뉴가 부른 notebook:run-all-cells 명령이 끝났고, 이 페이지가 커널에 보낸 실행 요청마다
# 답(execute_reply)과 'idle' 상태를 받았고, 커널이 쉼. (JupyterLab의 run-all promise는 raises-exception 셀의
# 첫 오류에서 먼저 끝나고 남은 셀의 [*] 표시도 지우지만, 커널은 남은 셀을 계속 실행합니다. 그래서 메시지를 셉니다.)
RUN_FINISHED = f"""
(path) => {{
  const panel = ({FIND_PANEL})(path);
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel) return 'kernel gone';
  if (['dead', 'autorestarting'].includes(kernel.status)) return 'kernel ' + kernel.status;
  const run = window.__runAll, sent = window.__sent;
  if (!run || run.state === 'pending' || kernel.status !== 'idle') return false;
  if (sent.size === 0 || window.__noReply.size > 0 || window.__notIdle.size > 0) return false;
  return run.state;
}}
"""

# 기다리다 시간이 다 되었을 때 보여 줄 상태.
DESCRIBE = f"""
(path) => {{
  const app = window.jupyterapp;
  if (!app) return 'window.jupyterapp 없음 (페이지가 아직 뜨지 않음)';
  const panel = ({FIND_PANEL})(path);
  const dialogs = Array.from(document.querySelectorAll('.jp-Dialog')).map(d => d.innerText);
  if (!panel) return JSON.stringify({{panel: null, dialogs,
    open: Array.from(app.shell.widgets('main')).map(w => w.title.label)}});
  const session = panel.sessionContext;
  const kernel = session.session && session.session.kernel;
  return JSON.stringify({{contextReady: panel.context.isReady, sessionReady: session.isReady,
    kernel: session.kernelDisplayName, status: kernel ? kernel.status : null,
    connection: kernel ? kernel.connectionStatus : null, runAll: window.__runAll || null, dialogs,
    sent: window.__sent ? window.__sent.size : null, noReply: window.__noReply ? window.__noReply.size : null,
    notIdle: window.__notIdle ? window.__notIdle.size : null,
    prompts: panel.content.widgets.filter(c => c.model.type === 'code')
      .map(c => c.node.querySelector('.jp-InputPrompt')?.textContent || '')}});
}}
"""

# 셀마다: 모델(실행 번호, 태그, 오류 이름)과 DOM(그려진 오류 텍스트, 그림, 출력 텍스트).
COLLECT = f"""
(path) => {{
  const panel = ({FIND_PANEL})(path);
  return panel.content.widgets.map((cell, index) => {{
    const model = cell.model;
    const info = {{index, type: model.type, source: model.sharedModel.getSource(),
                  tags: model.getMetadata('tags') || [], count: null, errors: [],
                  stderr: [], images: 0, outputText: '', renderedText: cell.node.innerText || ''}};
    if (model.type !== 'code') return info;
    info.count = model.executionCount;
    for (let i = 0; i < model.outputs.length; i++) {{
      const out = model.outputs.get(i).toJSON();
      if (out.output_type === 'error') info.errors.push({{ename: out.ename, evalue: out.evalue}});
    }}
    const area = cell.node.querySelector('.jp-OutputArea');
    if (area) {{
      info.outputText = area.innerText;
      info.stderr = Array.from(area.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')).map(n => n.innerText);
      info.images = Array.from(area.querySelectorAll('.jp-OutputArea-output img'))
        .filter(img => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0).length;
    }}
    return info;
  }});
}}
"""

SCROLL_TO_CELL = f"""
([path, index]) => ({FIND_PANEL})(path).content.widgets[index].node.scrollIntoView({{block: 'start'}})
"""

SHUTDOWN_KERNEL = f"""
async (path) => {{ await ({FIND_PANEL})(path).sessionContext.shutdown(); }}
"""

# 실행된 명령을 기록하고, run-all 명령의 promise와 노트북 커널에 오가는 실행 요청·답·상태 메시지를 지켜봅니다.
RECORD = f"""
(path) => {{
  const kernel = ({FIND_PANEL})(path).sessionContext.session.kernel;
  window.__sent = new Set(); window.__noReply = new Set(); window.__notIdle = new Set();
  kernel.anyMessage.connect((_, {{msg, direction}}) => {{
    const parent = msg.parent_header && msg.parent_header.msg_id;
    if (direction === 'send' && msg.header.msg_type === 'execute_request') {{
      for (const set of [window.__sent, window.__noReply, window.__notIdle]) set.add(msg.header.msg_id);
    }} else if (direction === 'recv' && msg.header.msg_type === 'execute_reply') {{
      window.__noReply.delete(parent);
    }} else if (direction === 'recv' && msg.header.msg_type === 'status' && msg.content.execution_state === 'idle') {{
      window.__notIdle.delete(parent);
    }}
  }});
  window.__executedCommands = [];
  window.jupyterapp.commands.commandExecuted.connect((_, args) => {{
    window.__executedCommands.push(args.id);
    if (args.id === 'notebook:run-all-cells') {{
      window.__runAll = {{state: 'pending'}};
      Promise.resolve(args.result).then(
        () => {{ window.__runAll = {{state: 'done'}}; }},
        (error) => {{ window.__runAll = {{state: 'failed: ' + error}}; }});
    }}
  }});
}}
"""


def _wait(page, lab: Lab, script: str, relpath: str, seconds: float, what: str):
    """script가 참을 돌려줄 때까지 기다립니다. 시간이 다 되면 브라우저와 서버의 상태를 보여 주며 실패합니다."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        return page.wait_for_function(script, arg=relpath, timeout=seconds * 1000, polling=250).json_value()
    except PlaywrightTimeout:
        state = page.evaluate(DESCRIBE, relpath)
        pytest.fail(f"{seconds}초 안에 {what} 않았습니다.\n브라우저: {state}\n서버 로그:\n{lab.log()}", pytrace=False)


def _menu(page, menu: str, item: str) -> None:
    """JupyterLab 주 메뉴에서 항목을 누릅니다 (사람이 하듯)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{menu}$")).click()
    entry = page.locator(
        ".lm-Menu-content .lm-Menu-item:visible",
        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{item}$")),
    )
    entry.first.click()


def _traceback_like(text: str) -> bool:
    return "Traceback" in text or bool(re.search(r"^\w+(Error|Exception)\b", text, re.MULTILINE))


@pytest.mark.parametrize(("relpath", "kind"), [(LESSON, "lesson"), (EXERCISE, "exercise")], ids=["lesson", "exercise"])
def test_run_all_cells_in_jupyterlab(lab, browser, relpath, kind):
    source = ROOT / relpath
    assert source.is_file(), f"{relpath}가 없습니다: 브라우저 테스트가 여는 노트북입니다"
    original = source.read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / f"browser-{source.stem}.png"

    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="ko-KR")
    page = context.new_page()
    console_errors: list[str] = []
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    try:
        # ?reset: 앞 테스트가 연 노트북을 작업 공간(workspace)에서 되살리지 않습니다.
        page.goto(f"{lab.url}/lab/tree/{relpath}?reset", timeout=NOTEBOOK_OPEN_TIMEOUT * 1000)
        _wait(page, lab, NOTEBOOK_READY, relpath, NOTEBOOK_OPEN_TIMEOUT, "노트북이 열리고 커널이 준비되지")
        page.evaluate(RECORD, relpath)

        # 커밋된 옛 출력을 지운 뒤 모두 실행: 아래 검사는 이번 실행의 출력만 봅니다.
        _menu(page, "Edit", "Clear Outputs of All Cells")
        cells = page.evaluate(COLLECT, relpath)
        assert all(c["count"] is None and not c["outputText"].strip() for c in cells if c["type"] == "code"), (
            "출력 지우기 뒤에도 옛 출력이나 실행 번호가 남아 있습니다"
        )
        started = time.monotonic()
        _menu(page, "Run", "Run All Cells")
        finished = _wait(page, lab, RUN_FINISHED, relpath, RUN_ALL_TIMEOUT, "모든 셀 실행(Run All Cells)이 끝나지")
        assert finished == "done", f"모든 셀 실행이 제대로 끝나지 않았습니다: {finished}"
        page.wait_for_timeout(500)  # 마지막 답이 모델과 화면에 반영되고 그림이 디코딩될 시간
        run_seconds = time.monotonic() - started
        commands = page.evaluate("() => window.__executedCommands")
        assert "notebook:clear-all-cell-outputs" in commands, commands
        assert "notebook:run-all-cells" in commands, commands

        cells = page.evaluate(COLLECT, relpath)
        code = [c for c in cells if c["type"] == "code" and c["source"].strip()]
        # 스크린숏에 보일 셀: 강의는 마지막 그림(끝까지 실행된 증거), 연습은 첫 오류(빈 답의 점검 실패).
        shown = [c for c in code if c["images"]][-1:] if kind == "lesson" else [c for c in code if c["errors"]][:1]
        if shown:
            page.evaluate(SCROLL_TO_CELL, [relpath, shown[0]["index"]])
            page.wait_for_timeout(500)
        page.screenshot(path=str(screenshot))
        page.evaluate(SHUTDOWN_KERNEL, relpath)  # 다른 테스트를 위해 CPU를 돌려줍니다
    finally:
        context.close()

    summary = "\n".join(
        f"[{c['count']}] {c['tags']} {c['source'][:60]!r} errors={c['errors']}" for c in code if c["errors"]
    )
    assert [c["count"] for c in code] == list(range(1, len(code) + 1)), (
        f"모든 코드 셀이 한 번씩 차례로 실행되지 않았습니다 ({run_seconds:.0f}초):\n"
        + "\n".join(f"[{c['count']}] {c['source'][:60]!r} {c['errors']}" for c in code)
    )
    assert any(HANGUL.search(c["outputText"]) for c in code), "새 출력에 한글이 없습니다"
    assert any(HANGUL.search(c["renderedText"]) for c in cells if c["type"] == "markdown"), "본문에 한글이 없습니다"

    if kind == "lesson":
        assert not any(c["errors"] for c in code), f"강의 노트북에 오류 출력:\n{summary}"
        rendered_tracebacks = [t for c in code for t in c["stderr"] if _traceback_like(t)]
        assert not rendered_tracebacks, "화면에 오류가 그려졌습니다:\n" + "\n---\n".join(rendered_tracebacks)
        assert sum(c["images"] for c in code) >= 1, "그려진 그림(img)이 하나도 없습니다"
    else:
        checks = [c for c in code if "check" in c["tags"]]
        assert checks, "연습 노트북에 점검 셀(check 태그)이 없습니다"
        for c in code:
            allowed = ALLOWED_EXERCISE_ERRORS if {"check", "solution"} & set(c["tags"]) else set()
            unexpected = [e for e in c["errors"] if e["ename"] not in allowed]
            assert not unexpected, f"예상하지 못한 오류 (셀 [{c['count']}], 태그 {c['tags']}): {unexpected}"
            for e in c["errors"]:  # 오류는 화면에도 그려져야 합니다
                assert any(e["ename"] in t for t in c["stderr"]), f"화면에 오류가 보이지 않습니다: {e}"
        assert all(c["errors"] for c in checks), "빈 답인데 통과한 점검 셀이 있습니다:\n" + "\n".join(
            c["source"][:80] for c in checks if not c["errors"]
        )

    assert not console_errors, f"페이지의 자바스크립트 오류: {console_errors}"
    assert source.read_bytes() == original, f"{relpath}가 바뀌었습니다: 테스트는 저장소 파일을 건드리면 안 됩니다"
    assert screenshot.stat().st_size > 0
