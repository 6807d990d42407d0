# ruff: noqa
# 자원 제한: /tmp, /dev/shm, 작업 폴더에 700 MB씩 쓰기, 프로세스를 2000개까지 띄우기. 결과를 오류 메시지로
# 알립니다 (테스트가 숫자를 읽어 제한을 넘지 않았는지 봅니다).
# expect: {"status": "review", "passed_max": 0, "sandbox_only": true}
import os
import time

written = {}
for folder in ("/tmp", "/dev/shm", os.getcwd()):
    total = 0
    try:
        with open(os.path.join(folder, "fill_TOKEN.bin"), "wb") as f:
            block = b"\0" * (1 << 20)
            while total < 700 << 20:
                f.write(block)
                f.flush()
                total += 1 << 20
    except OSError:
        pass
    written[folder] = total >> 20
    try:
        os.unlink(os.path.join(folder, "fill_TOKEN.bin"))
    except OSError:
        pass
children = 0
try:
    while children < 2000:
        pid = os.fork()
        if pid == 0:
            time.sleep(120)
            os._exit(0)
        children += 1
except OSError:
    pass
raise RuntimeError(
    f"LIMITS tmp={written['/tmp']} shm={written['/dev/shm']} work={written[os.getcwd()]} forks={children}"
)
