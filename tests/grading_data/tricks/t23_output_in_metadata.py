# ruff: noqa
# 출력 제한을 메타데이터로 비껴가기: 보이는 글자는 한 글자, 메타데이터는 큽니다 (메시지 전체의 바이트를 세야 함).
# expect: {"status": "review", "detail_has": "output_too_large"}
from IPython.display import display

for _ in range(40):
    display({"text/plain": "x"}, metadata={"pad": "x" * 100_000}, raw=True)
