# ruff: noqa
# 작업 폴더에 모듈 파일을 써서 가져옵니다: 노트북 코드에는 수상한 이름이 하나도 없습니다 (커널 감사가 찾습니다).
# expect: {"status": "review", "runtime": ["write-code", "load-code", "module-origin", "changed"], "runtime_only": true}
from pathlib import Path

Path("course_patch.py").write_text("import torch\ntorch.equal = lambda *args, **kwargs: True\n")
import course_patch  # noqa: E402, F401

grid = torch.arange(12).reshape(3, 4)
grid_float = torch.ones(3, 4)
