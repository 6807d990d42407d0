# ruff: noqa
# builtins.__import__를 바꿔 채점 도구의 감사 호출이 아무것도 하지 않게 합니다.
# expect: {"status": "review"}
import builtins

_real_import = builtins.__import__


class _Nothing:
    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def _quiet_import(name, *args, **kwargs):
    if name == "course_grader_kernel":
        return _Nothing()
    return _real_import(name, *args, **kwargs)


builtins.__import__ = _quiet_import
