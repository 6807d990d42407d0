# ruff: noqa
# forbid_ops("sigmoid") 블록 안에서 PyTorch의 디스패치 모드 도구로 모드를 잠시 끄고 금지된 연산을 씁니다.
# expect: {"status": "review", "set": "97", "mode": "answer", "runtime": ["dispatch"]}
def sig(z):
    from torch.utils._python_dispatch import _disable_current_modes

    with _disable_current_modes():
        return torch.sigmoid(z)
