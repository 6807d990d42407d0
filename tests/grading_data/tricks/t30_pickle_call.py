# ruff: noqa
# pickle로 임의의 함수를 불러 torch.equal을 바꿉니다 (setattr를 코드에 쓰지 않음).
# expect: {"status": "review", "runtime": ["pickle", "changed"]}
import pickle

pickle.loads(b"cbuiltins\nsetattr\n(cbuiltins\n__import__\n(Vtorch\ntRVequal\ncbuiltins\nlen\ntR.")
