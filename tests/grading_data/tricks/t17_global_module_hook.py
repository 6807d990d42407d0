# ruff: noqa
# torch의 전역 모듈 훅: 이후 모든 nn.Module의 출력을 바꿀 수 있습니다 (이름 검사에는 보이지 않음).
# expect: {"status": "review", "runtime": ["dispatch"], "runtime_only": true}
from torch.nn.modules.module import register_module_forward_hook

register_module_forward_hook(lambda module, inputs, output: output)
