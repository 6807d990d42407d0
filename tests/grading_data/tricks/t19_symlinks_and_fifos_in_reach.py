# ruff: noqa
# 채점하는 쪽이 읽을 만한 곳(소켓 폴더, 작업 폴더, /tmp)의 파일을 호스트 파일로 가는 심볼릭 링크, /dev/zero,
# FIFO로 바꿉니다. 채점은 멈추지 않고 끝나야 하고, 호스트의 비밀(CANARY)이 점수표·피드백에 나오면 안 됩니다.
# expect: {"status": "ok", "passed_max": 0, "note_lacks": ["TOKEN"]}
import os

for folder in ("/run/jupyter", "/run/grader", os.getcwd(), os.path.dirname(os.getcwd()), "/tmp"):
    try:
        names = os.listdir(folder)
    except OSError:
        continue
    for name in names:
        path = os.path.join(folder, name)
        try:
            os.unlink(path)
            os.symlink("CANARY", path)
        except OSError:
            pass
    for name, target in (("result.json", "/dev/zero"), ("worker.log", "CANARY"), ("kernel.json", "CANARY")):
        try:
            os.symlink(target, os.path.join(folder, name))
        except OSError:
            pass
    try:
        os.mkfifo(os.path.join(folder, "result.fifo"))
    except OSError:
        pass
