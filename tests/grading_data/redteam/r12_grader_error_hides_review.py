# ruff: noqa
# review를 grader_error로 바꾸기: 조작(type.__setattr__로 Tensor.data_ptr과 is_contiguous 바꾸기, t13과 같음)을 한 뒤,
# 마지막 감사 셀이 시작되면 스레드가 커널의 세션으로 내용이 10만 겹 중첩된 JSON인 iopub 메시지를 보냅니다. 채점하는
# 쪽의 json.loads가 RecursionError를 내고 그 제출은 grader_error가 되는데, 점수는 그때까지 통과한 점검 수 그대로이고
# (grader_error는 0점이라는 README와 다름) 조작 근거는 review로 이어지지 않습니다.
# expect: {"status": "review"}
import time

type.__setattr__(torch.Tensor, "data_ptr", lambda self: 0)
type.__setattr__(torch.Tensor, "is_contiguous", lambda self, *args, **kwargs: True)
grid = torch.arange(12).reshape(3, 4)
grid_float = grid.float()
grid_t = grid_t_compact = grid_float.T
grid_t_stride = (1, 4)
flat = torch.tensor([0.0, 4.0, 8.0, 1.0, 5.0, 9.0, 2.0, 6.0, 10.0, 3.0, 7.0, 11.0])
_kernel = get_ipython().kernel


def _bomb():
    while not (In[-1].startswith("__import__") and "'end'" in In[-1]):
        time.sleep(0.01)
    deep = b"[" * 100000 + b"]" * 100000
    _kernel.session.send(_kernel.iopub_socket, "stream", deep, parent=_kernel.get_parent("shell"))


import threading

threading.Thread(target=_bomb, daemon=True).start()
