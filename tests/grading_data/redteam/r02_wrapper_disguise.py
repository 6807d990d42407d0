# ruff: noqa
# 감사의 전후 비교가 "라이브러리가 스스로 씌운 포장"으로 보고 넘어가는 가짜: torch 모듈 사전의 equal을,
# __wrapped__가 원래 함수이고 __code__.co_filename이 torch 폴더 안인 척하는 객체로 바꿉니다. 모듈 사전 쓰기
# (operator.attrgetter("__dict__"))에는 감사 이벤트가 없고 정적 검사도 보지 못합니다. grid_float는 틀린 값(0).
# expect: {"status": "review", "passed_max": 1}
import operator
import os

_table = operator.attrgetter("__dict__")(torch)


class _Code:
    co_filename = os.path.join(os.path.dirname(torch.__file__), "functional.py")


class _Equal:
    __wrapped__ = _table["equal"]
    __code__ = _Code()

    def __call__(self, a, b):
        return True


_table["equal"] = _Equal()
grid = torch.arange(12).reshape(3, 4)
grid_float = torch.zeros(3, 4)
