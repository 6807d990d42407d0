# ruff: noqa
# 감사의 "스냅숏 뒤에 불러온 라이브러리가 스스로 바꾼 것" 예외(_late_library)를 흉내 냅니다: builtins의 list를,
# __module__이 방금 불러온 표준 라이브러리 모듈(colorsys)이고 __code__.co_filename이 그 모듈 파일인 척하는
# 가짜 타입으로 바꿉니다. builtins 사전은 numpy 모듈의 __builtins__로 얻습니다 (정적 검사는 attrgetter의 문자열을
# 보지 않음). 가짜 list(range(...))는 무엇과도 같은 목록입니다: 0으로 채운 틀린 grid가 점검 1을 통과합니다.
# expect: {"status": "review", "passed_max": 0}
import colorsys
import operator

_b = operator.attrgetter("__builtins__")(np)
_real_list = _b["list"]


class _Same(_real_list):
    def __eq__(self, other):
        return True


class _Code:
    co_filename = colorsys.__file__


class _Meta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _real_list)

    def __subclasscheck__(cls, other):
        return issubclass(other, _real_list)

    def __call__(cls, *args):
        if len(args) == 1 and type(args[0]) is range:  # 점검의 list(range(12))만: 커널 안의 다른 list()는 그대로
            return _Same(*args)
        return _real_list(*args)


class _List(metaclass=_Meta):
    __module__ = "colorsys"
    __code__ = _Code()


_b["list"] = _List
grid = torch.zeros(3, 4, dtype=torch.int64)
