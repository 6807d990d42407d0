# ruff: noqa
# 메시지 하나를 아주 크게: 채점하는 쪽이 통째로 받아 메모리에 올리면 안 됩니다 (ZeroMQ MAXMSGSIZE).
# expect: {"status": "output_too_large"}
import sys

sys.stdout.write("x" * 30_000_000)
sys.stdout.flush()
