"""교사의 비공개 점검 (--hidden 폴더): 저장소에 넣지 않는 숨은 점검.

해답 노트북의 숨은 점검은 공개되어 있습니다 (해답은 누구나 봅니다). 시험처럼 기준까지 감추고 싶으면 교사만 가진
폴더에 점검을 더 둡니다. 연습마다 파이썬 파일 하나(`01_logistic_regression.py` 또는 `01.py`, `01_중간고사.py`처럼
두 자리 번호로 시작)를 두고, 그 안에서 `# [점검] 문제 3`처럼 연습의 점검 셀 첫 줄과 똑같은 줄로 시작하는
부분마다 그 점검에 붙일 코드를 씁니다:

    # [점검] 문제 3
    from helper_functions import grading_seed
    rng = np.random.default_rng(grading_seed())
    ...
    assert accuracy > 90, "새 데이터에서의 정확도"

    # [점검] 문제 4
    ...

각 부분은 그 점검의 숨은 점검(해답의 숨은 점검 다음 번호)이 되어, 학생 코드가 모두 끝난 뒤 채점 시드로
실행됩니다. 피드백에는 "숨은 점검 N: 통과/실패"만 나오고 코드나 메시지는 나오지 않습니다. 없는 연습이나 없는
점검 제목, 문법 오류가 있으면 채점을 시작하지 않고 멈춥니다 (오타로 점검이 빠지지 않게).
"""

from __future__ import annotations

import ast
from pathlib import Path

from tools.build_exercises import CHECK_MARKER


class PrivateTestError(ValueError):
    pass


SEED_CALLS = {"manual_seed", "seed", "default_rng", "RandomState", "Random", "PCG64", "MT19937", "Generator"}
SEED_KEYWORDS = {"random_state", "seed", "generator", "rng"}


def _literal(node) -> bool:
    """고정된 숫자 (예: 7, -3, 2 ** 10): 이름이나 함수 호출(grading_seed())은 아님."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
    if isinstance(node, ast.UnaryOp):
        return _literal(node.operand)
    if isinstance(node, ast.BinOp):
        return _literal(node.left) and _literal(node.right)
    return False


def fixed_seeds(code: str) -> list[str]:
    """숨은 점검 코드에서 고정된 시드를 찾습니다: `random_state=7`, `manual_seed(0)`, `seed=3`,
    `default_rng(42)`, `_seed = 5` 같은 것. 숨은 점검의 새 데이터는 `grading_seed()`로 뽑아야 합니다
    (고정된 시드면 공개된 해답을 읽은 학생이 그 데이터를 미리 만들 수 있습니다)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in SEED_CALLS and node.args and _literal(node.args[0]):
                found.append(f"{name}({ast.unparse(node.args[0])})")
            for keyword in node.keywords:
                if keyword.arg in SEED_KEYWORDS and _literal(keyword.value):
                    found.append(f"{keyword.arg}={ast.unparse(keyword.value)}")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None and _literal(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and "seed" in target.id.lower():
                    found.append(f"{target.id} = {ast.unparse(node.value)}")
    return found


def _set_for(path: Path, known: list[str]) -> str:
    stem = path.stem
    if stem in known:
        return stem
    by_number = [s for s in known if stem[:2].isdigit() and s[:2] == stem[:2]]
    if len(by_number) == 1:
        return by_number[0]
    raise PrivateTestError(
        f"비공개 점검 파일 {path.name}이(가) 어느 연습인지 모릅니다 (연습 이름이나 두 자리 번호로 시작)"
    )


def parse(text: str, where: str) -> dict[str, list[str]]:
    """파일 하나 -> {점검 제목: [코드, ...]}."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    lines: list[str] = []

    def close():
        if current is None:
            if any(line.strip() and not line.strip().startswith("#") for line in lines):
                raise PrivateTestError(f"{where}: 첫 '{CHECK_MARKER} ...' 줄 앞에 코드가 있습니다")
            return
        code = "\n".join(lines).strip("\n")
        if not code.strip():
            raise PrivateTestError(f"{where}: '{current}' 아래에 코드가 없습니다")
        try:
            ast.parse(code)
            seeds = fixed_seeds(code)
        except SyntaxError as err:
            raise PrivateTestError(
                f"{where}: '{current}'의 코드에 문법 오류가 있습니다 ({err.msg}, {err.lineno}번째 줄)"
            ) from None
        if seeds:
            raise PrivateTestError(
                f"{where}: '{current}'에 고정된 시드가 있습니다 ({', '.join(seeds)}): "
                "새 데이터는 helper_functions.grading_seed()로 뽑으세요"
            )
        sections.setdefault(current, []).append(code)

    for line in text.splitlines():
        if line.startswith(CHECK_MARKER):
            close()
            current = line.lstrip("# ").strip()
            lines = []
        else:
            lines.append(line)
    close()
    if not sections:
        raise PrivateTestError(f"{where}: '{CHECK_MARKER} 문제 N' 줄로 시작하는 점검이 없습니다")
    return sections


def load(folder: Path, known: list[str]) -> dict[str, dict[str, list[str]]]:
    """폴더의 비공개 점검 -> {연습 이름: {점검 제목: [코드, ...]}}. 잘못되면 PrivateTestError."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PrivateTestError(f"비공개 점검 폴더가 없습니다: {folder}")
    out: dict[str, dict[str, list[str]]] = {}
    files = sorted(folder.rglob("*.py"))
    if not files:
        raise PrivateTestError(f"비공개 점검 폴더에 .py 파일이 없습니다: {folder}")
    for path in files:
        name = _set_for(path, known)
        for check_title, codes in parse(path.read_text(encoding="utf-8"), path.name).items():
            out.setdefault(name, {}).setdefault(check_title, []).extend(codes)
    return out
