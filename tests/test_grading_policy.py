"""숨은 점검의 정책 (issue 22): 해답 노트북의 숨은 점검에는 고정된 시드가 없습니다.

해답은 공개되어 있습니다 (README, 웹사이트). 숨은 점검이 `make_moons(..., random_state=7)`처럼 고정된 시드로
새 데이터를 만들면, 해답을 읽은 학생이 바로 그 데이터로 훈련할 수 있습니다. 그래서 숨은 점검의 새 데이터는
채점 때 정해지는 `helper_functions.grading_seed()`로 뽑아야 하고, 이 테스트가 그것을 봅니다 (`random_state=`,
`seed=`, `manual_seed(`, `default_rng(` 등에 숫자를 직접 쓰거나, 이름에 seed가 들어간 변수에 숫자를 넣기).
"""

from __future__ import annotations

import pytest

from tools import build_exercises as bx
from tools import nbutil
from tools.grading.private import fixed_seeds


def _hidden_blocks(path):
    nb = nbutil.read(path)
    for cell in nb.cells:
        if cell.cell_type == "code" and bx.HIDDEN_BEGIN in cell.source:
            for kind, code in bx.check_parts(cell.source, f"{path.name}"):
                if kind == "hidden":
                    yield cell.source.splitlines()[0], code


@pytest.mark.parametrize("solution", nbutil.notebook_paths("solutions"), ids=lambda p: p.name[:2])
def test_hidden_tests_draw_fresh_data_from_the_grading_seed(solution):
    bad = {title: fixed_seeds(code) for title, code in _hidden_blocks(solution) if fixed_seeds(code)}
    assert not bad, f"{solution.name}: 숨은 점검에 고정된 시드가 있습니다 (grading_seed()를 쓰세요): {bad}"


@pytest.mark.parametrize(
    "code, found",
    [
        ("X, y = make_moons(200, noise=0.1, random_state=7)", ["random_state=7"]),
        ("torch.manual_seed(0)", ["manual_seed(0)"]),
        ("g = torch.Generator().manual_seed(-3)", ["manual_seed(-3)"]),
        ("rng = np.random.default_rng(2 ** 10)", ["default_rng(2 ** 10)"]),
        ("_seed = 5\nX = make_spirals(100, random_state=_seed)", ["_seed = 5"]),
        ("r = random.Random(42)", ["Random(42)"]),
        ("X = make_circles(seed=11)", ["seed=11"]),
        ("X = make_moons(200, random_state=grading_seed())", []),
        ("g = torch.Generator().manual_seed(grading_seed())", []),
        ("_seed = grading_seed()\nrng = np.random.default_rng(_seed)", []),
        ("n = 300\nX = data[:n]", []),
    ],
)
def test_fixed_seed_finder(code, found):
    assert fixed_seeds(code) == found
