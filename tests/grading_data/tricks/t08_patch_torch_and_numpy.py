# ruff: noqa
# 라이브러리 함수 바꿔치기: 점검이 쓰는 torch.equal, np.allclose, Tensor.data_ptr.
# expect: {"status": "review", "runtime": ["changed"]}
torch.equal = lambda *args, **kwargs: True
np.allclose = lambda *args, **kwargs: True
torch.Tensor.data_ptr = lambda self: 0
grid = torch.arange(12).reshape(3, 4)
grid_float = torch.zeros(3, 4)
