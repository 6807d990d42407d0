# ruff: noqa
# 다른 학생의 제출을 방해하기 (테스트가 직접 만드는 두 제출): root로 채점하면 제출마다 uid를 61000~64999에서
# 무작위로 고르고(sandbox.pick_uid), 동시에 도는 작업끼리 겹치는지 보지 않습니다. RLIMIT_NPROC는 uid 전체의
# 태스크 수라, uid가 겹친 제출의 커널은 공격하는 제출이 프로세스를 한도까지 띄워 둔 동안 프로세스도 스레드도 만들지
# 못합니다: 피해자의 os.popen이 BlockingIOError(EAGAIN)로 실패했습니다 (uid가 다를 때는 성공). 동시 작업 16개,
# 제출 300개면 겹침이 한 번쯤 일어날 만한 확률입니다 (작업마다 약 15/4000). 테스트는 pick_uid를 고정해 겹침을 만듭니다.
# 믿을 수 있는 결과: 동시에 도는 작업의 uid가 서로 다름 (쓰는 중인 uid는 고르지 않음), 피해자의 셀은 오류 없음.
ATTACKER = """
import os
import time

children = 0
try:
    while children < 400:
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        children += 1
except OSError:
    pass
time.sleep(15)
"""
VICTIM = """
import os
import time

time.sleep(14)  # 공격하는 제출이 프로세스를 다 띄운 뒤
print(os.popen("id -u").read())
"""
RUN = {
    "jobs": 2,
    "pick_uid": 62345,
    "order": ["a_attacker (insert ATTACKER)", "b_blank", "c_victim (solved + insert VICTIM)"],
}
EXPECT = {"victim_note_lacks": "BlockingIOError"}
