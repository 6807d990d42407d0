# ruff: noqa
# 대입문 없이 type.__setattr__로 라이브러리 클래스의 메서드를 바꿉니다 (점검이 부르는 Tensor.data_ptr,
# Tensor.is_contiguous). 이름 검사만 하는 감사라면 `torch.Tensor.x = ...` 꼴이 아니라서 놓칩니다.
# expect: {"status": "review", "runtime": ["changed"]}
type.__setattr__(torch.Tensor, "data_ptr", lambda self: 0)
type.__setattr__(torch.Tensor, "is_contiguous", lambda self, *args, **kwargs: True)
grid = torch.arange(12).reshape(3, 4)
grid_float = grid.float()
grid_t = grid_t_compact = grid_float.T
grid_t_stride = (1, 4)
