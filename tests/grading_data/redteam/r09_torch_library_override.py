# ruff: noqa
# PyTorch 디스패처에서 바꿔치기: torch.library로 aten::equal의 CPU 커널을 "늘 같다"로 덮어씁니다. 파이썬 쪽의
# torch 모듈·클래스·함수는 하나도 바뀌지 않고(스냅숏 비교에 안 보임), 디스패치 모드 스택도 그대로이며, 정적 검사가
# 보는 이름(밑줄, 훅 속성)도 없습니다. grid_float는 틀린 값(0)입니다.
# expect: {"status": "review", "passed_max": 1}
_lib = torch.library.Library("aten", "IMPL")
_lib.impl("equal", lambda a, b: True, "CPU")
grid = torch.arange(12).reshape(3, 4)
grid_float = torch.zeros(3, 4)
