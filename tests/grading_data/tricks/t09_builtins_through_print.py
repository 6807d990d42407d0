# ruff: noqa
# builtins 모듈을 import 없이 print.__self__로 얻어 isinstance를 바꿉니다. (커널의 통신도 망가져
# 남은 셀은 실행되지 않습니다: 그만큼 점수를 잃고, 정적 검사가 찾습니다.)
# expect: {"status": "review"}
_b = print.__self__
_b.isinstance = lambda obj, cls: True
