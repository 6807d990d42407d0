# ruff: noqa
# 샌드박스 밖을 건드리려는 시도: 강좌 모듈 옆과 저장소, 홈 폴더와 /tmp에 파일 쓰기, 채점하는 쪽의 포트에 접속,
# 채점이 끝나도 남는 백그라운드 프로세스 띄우기. TOKEN과 PORT는 테스트가 채웁니다.
# expect: {"status": "review", "runtime": ["process"], "sandbox_only": true}
import os
import socket
import subprocess
from pathlib import Path

import helper_functions

targets = [
    Path(helper_functions.__file__).parent / "escape_TOKEN.txt",
    Path.home() / "escape_TOKEN.txt",
    Path("/root/escape_TOKEN.txt"),
    Path("/tmp/escape_TOKEN.txt"),
    Path("/dev/shm/escape_TOKEN.txt"),
]
for target in targets:
    try:
        target.write_text("밖으로 나감")
    except OSError as err:
        print("쓰기 실패:", target, err)
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=3).sendall(b"escape TOKEN")
except OSError as err:
    print("접속 실패:", err)
subprocess.Popen(["sleep", "777.TOKEN"], start_new_session=True)
os.system("setsid sleep 778.TOKEN &")
