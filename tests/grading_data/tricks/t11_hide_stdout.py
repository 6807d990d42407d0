# ruff: noqa
# 표준 출력 바꿔치기: 채점 도구의 출력(감사 결과 포함)을 삼키려 합니다.
# expect: {"status": "review", "runtime": ["hook"]}
import io
import sys

sys.stdout = io.StringIO()
