"""모든 노트북(notebooks/, solutions/, exercises/)이 지켜야 할 규칙."""

import re

import nbformat
import pytest

from tools import colab, nbutil

ALL = nbutil.notebook_paths()
EXECUTED = nbutil.notebook_paths(*nbutil.EXECUTED_FOLDERS)
EXERCISES = nbutil.notebook_paths("exercises")
LESSONS = nbutil.notebook_paths("notebooks")


def _id(path):
    return f"{path.parent.name}/{path.name}"


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


# 설정 셀 밖에서 금지: 설치, 셸 다운로드, 네트워크 라이브러리.
FORBIDDEN = re.compile(
    r"^\s*[!%]\s*pip\b|^\s*!.*\b(wget|curl|git\s+clone)\b|\b(import|from)\s+(requests|urllib|httpx)\b"
    r"|\burlretrieve\b|\burlopen\b|https?://",
    re.MULTILINE,
)


def test_there_are_notebooks():
    assert LESSONS, "notebooks/에 강의 노트북이 없습니다"


@pytest.mark.parametrize("path", ALL, ids=_id)
def test_valid_ascii_name_and_nbformat(path):
    assert path.name.isascii() and re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name
    nbformat.validate(nbutil.read(path))


@pytest.mark.parametrize("path", ALL, ids=_id)
def test_colab_badge_and_setup_cell_are_canonical(path):
    assert colab.expected_cells(path, nbutil.read(path)) == [], "`make colab`으로 맞추세요"


@pytest.mark.parametrize("path", ALL, ids=_id)
def test_no_install_or_network_outside_setup_cell(path):
    for cell in _code(nbutil.read(path))[1:]:
        match = FORBIDDEN.search(cell.source)
        assert match is None, f"금지된 코드: {match.group(0)!r} in\n{cell.source[:300]}"


@pytest.mark.parametrize("path", ALL, ids=_id)
def test_volatile_metadata_stripped(path):
    nb = nbutil.read(path)
    cleaned = nbutil.clean_metadata(nbutil.read(path))
    if path.parent.name == "exercises":  # 빌드 도구가 넣는 채점용 메타데이터
        cleaned.metadata["course"] = nb.metadata.get("course")
    assert nbformat.writes(nb) == nbformat.writes(cleaned), "휘발성 메타데이터가 남아 있습니다: `make notebooks`"


@pytest.mark.parametrize("path", EXECUTED, ids=_id)
def test_executed_in_order_without_errors(path):
    code = _code(nbutil.read(path))
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), f"위에서 아래로 한 번에 실행되지 않았습니다: {counts}"
    for cell in code:
        for out in cell.outputs:
            assert out.output_type != "error", f"오류 출력: {out.get('ename')}: {out.get('evalue')}"
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            for warning in ("missing from font", "does not have a glyph"):
                assert warning not in text, f"글꼴 경고가 출력에 있습니다: {warning}"
            assert "Traceback" not in text


@pytest.mark.parametrize("path", EXECUTED, ids=_id)
def test_plots_are_rendered(path):
    nb = nbutil.read(path)
    uses_plots = any("plt." in c.source or "plot_" in c.source for c in _code(nb))
    images = [o for c in _code(nb) for o in c.outputs if "image/png" in o.get("data", {})]
    assert images or not uses_plots, "그림을 그리는 코드가 있는데 그림 출력이 없습니다"


@pytest.mark.parametrize("path", EXERCISES, ids=_id)
def test_exercises_have_no_outputs(path):
    for cell in _code(nbutil.read(path)):
        assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", LESSONS, ids=_id)
def test_lesson_structure(path):
    nb = nbutil.read(path)
    title = nb.cells[0].source.splitlines()
    assert len(title) > 1 and title[1].startswith("# "), "제목 셀: 배지 다음 줄에 '# 제목'"
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert re.search(r"^## 1\. ", markdown, re.MULTILINE), "번호 붙은 절(## 1. ...)이 없습니다"
    assert "## 정리" in markdown, "정리(summary) 절이 없습니다"
    exercise = f"exercises/{path.stem}_exercises.ipynb"
    assert exercise in markdown, f"연습 노트북 {exercise}을 가리키는 말이 없습니다"
    assert (nbutil.ROOT / exercise).exists(), f"{exercise}이 없습니다"


def _number(path) -> int:
    return int(path.name[:2])


# 강의 03부터는 후보를 비교합니다: 검증 데이터로 고르고, 테스트 데이터는 마지막에 한 번만.
CHOOSING = [p for p in nbutil.notebook_paths(*nbutil.EXECUTED_FOLDERS) if _number(p) >= 3]
VAL_NAME = re.compile(r"\b(X_val|y_val|val_data|val_loader|val_ds|val_dataset)\b")
FIT_ON_TEST = re.compile(r"eval_split\s*=\s*[\"']test[\"']")


@pytest.mark.parametrize("path", CHOOSING, ids=_id)
def test_lessons_from_03_choose_on_validation_data(path):
    nb = nbutil.read(path)
    code = "\n".join(c.source for c in _code(nb))
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "검증" in markdown, "강의 03부터는 검증 데이터(validation data)를 설명하고 써야 합니다"
    assert VAL_NAME.search(code), "검증 데이터(X_val, val_loader 등)를 만들어 쓰는 코드가 없습니다"
    match = FIT_ON_TEST.search(code)
    assert match is None, (
        "fit(..., eval_split='test'): 에포크마다 테스트 데이터를 보면 그것으로 고르게 됩니다. 검증 데이터를 쓰세요"
    )


def test_progress_bar_widget_is_dropped_when_state_is_stripped():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("fit(..., progress=True)")
    bar = {"text/plain": "훈련:   0%|          | 0/15 [00:00<?, ?epoch/s]", nbutil.WIDGET_VIEW: {"model_id": "x"}}
    playground = {"text/plain": "interactive(children=(IntSlider(value=3),))", nbutil.WIDGET_VIEW: {"model_id": "y"}}
    cell.outputs = [
        nbformat.v4.new_output("display_data", bar),
        nbformat.v4.new_output("stream", text="훈련 끝: 15 에포크\n"),
        nbformat.v4.new_output("display_data", playground),
    ]
    nb.cells = [cell]
    outputs = nbutil.clean_metadata(nb).cells[0].outputs
    assert [o.output_type for o in outputs] == ["stream", "display_data"]
    assert outputs[1].data == {"text/plain": playground["text/plain"]}


LINK = re.compile(r"\]\((\.\./[^)#\s]+|[A-Za-z0-9_./-]+\.(?:ipynb|md|py))(?:#[^)]*)?\)")


@pytest.mark.parametrize("path", ALL, ids=_id)
def test_relative_links_point_to_existing_files(path):
    nb = nbutil.read(path)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    broken = [m for m in LINK.findall(markdown) if "://" not in m and not (path.parent / m).resolve().exists()]
    assert not broken, f"없는 파일을 가리키는 링크: {broken}"


# --- 훈련된 숫자를 정확히 붙잡는 assert (issue 17) ---------------------------------------
# 훈련된 정확도·손실·에포크는 다른 CPU, 스레드 수, torch 빌드, GPU에서 끝자리가(때로는 이미지 한두 장만큼) 달라집니다.
# 그런 숫자를 `==`로 붙잡는 assert는 학습자의 기계에서 강의를 멈춥니다. 주장은 여유 있는 부등식으로 확인합니다
# ("적어도 N장 앞선다", "손실이 ln 3 아래", "정확도가 [a, b] 안").
METRIC_WORDS = ("acc", "loss", "epoch", "best", "correct", "wrong", "mistake", "error", "score", "f1")
SPLIT_WORDS = ("val", "test")  # 'val_preds', 'history["val"]'처럼 분할 이름만 있는 것
NOT_TRAINED = {"value", "values", "valid", "validate", "eval", "interval", "testing"}  # 다른 뜻의 낱말
# 분할 이름이 있어도 데이터(X_val, y_test), 개수(n_test_class_0), 로더·데이터셋(test_loader)을 가리키는 이름의 부분.
DATA_PARTS = {"x", "y", "n", "loader", "dataset", "ds", "data", "set", "split", "size", "idx", "index", "indices",
              "mask", "csv", "path", "paths", "np", "std", "raw"}
# 구성상 정확한 값: 데이터 개수, 모양, dtype. 이것들을 거친 값은 훈련된 숫자가 아닙니다.
EXACT_CALLS = {"len", "numel", "nelement", "size", "dim", "bincount", "count_nonzero", "unique"}
EXACT_ATTRS = {"shape", "ndim", "dtype", "device", "size"}
CLOSE_CALLS = {"isclose", "approx", "assert_equal", "assert_almost_equal", "assert_allclose", "assertEqual"}
# 이 글자가 assert 줄에 있으면 건너뜁니다: 다른 기계에서도 달라질 수 없는 까닭을 함께 적습니다.
# 예: `assert score == 96.0  # [정확: 손으로 적은 점수표]`
EXACT_MARK = "[정확:"


def _parts(text: str) -> list[str]:
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+|_", text) if w]


def _identifier_is_trained(text: str) -> bool:
    """이름·속성·문자열 키 하나가 훈련된 값을 가리키는가 (val_acc, best_epoch, history["val"], val_preds)."""
    parts = _parts(text)
    if any(w.startswith(METRIC_WORDS) and w not in NOT_TRAINED for w in parts):
        return True
    split = any(w.startswith(SPLIT_WORDS) and w not in NOT_TRAINED for w in parts)
    return split and not DATA_PARTS.intersection(parts)


def _words(node) -> set[str]:
    """식에 나오는 이름·속성·문자열 키."""
    import ast

    found: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            found.add(sub.attr)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found.add(sub.value)
    return found


def _mentions_trained(node) -> bool:
    return any(_identifier_is_trained(text) for text in _words(node))


def _is_exact_by_construction(node) -> bool:
    """len(...), x.shape[0], x.numel() 같은 데이터 개수·모양을 거친 식인가."""
    import ast

    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            name = sub.func.attr if isinstance(sub.func, ast.Attribute) else getattr(sub.func, "id", "")
            if name in EXACT_CALLS:
                return True
        if isinstance(sub, ast.Attribute) and sub.attr in EXACT_ATTRS:
            return True
    return False


def _is_number(node) -> bool:
    import ast

    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int | float) and not isinstance(node.value, bool)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):  # `in (97.5, 98.0)`
        return bool(node.elts) and all(_is_number(e) for e in node.elts)
    return False


def _is_round(node) -> bool:
    import ast

    return isinstance(node, ast.Call) and getattr(node.func, "id", "") == "round"


def pinned_trained_numbers(source: str) -> list[str]:
    """셀 소스에서 훈련된 숫자를 정확히 붙잡는 assert를 찾아 그 줄들을 돌려줍니다.

    잡는 것 (`assert` 문 안, `and`/`or`/`not`으로 묶여 있어도):
    - `==`, `in`: 한쪽이 숫자 상수(또는 숫자 상수의 튜플·목록)이고 다른 쪽이 훈련된 값을 가리키는 식. 훈련된 값이란
      이름·속성·문자열 키의 낱말(snake_case, camelCase를 나눠)이 acc, loss, epoch, best, correct, wrong, mistake,
      error, score, f1로 시작하거나, val/test가 있되 데이터·개수·로더를 뜻하는 낱말(x, y, n, loader, dataset, ...)은
      없는 것. 예: `assert best_epoch == 15`, `assert history["val_acc"][-1] == 99.44`, `assert n_wrong in (1, 2)`,
      `assert history["val"][-1] == 0.5`.
    - `round(x, k) == 숫자`: x가 무엇이든 (반올림한 숫자를 붙잡는 것은 끝자리를 붙잡는 것입니다).
    - `math.isclose`, `np.isclose`, `pytest.approx`, `np.testing.assert_(almost_)equal/assert_allclose`,
      `assertEqual`에 훈련된 값과 숫자 상수를 함께 넘긴 호출 (assert 밖에서도).
    잡지 않는 것:
    - 구성상 정확한 값: `len(...)`, `.shape`, `.ndim`, `.dtype`, `.numel()`, `.size()`, `bincount`, `unique`,
      `count_nonzero`를 거친 식 (예: `len(y_val) == 360`, `X_val.shape[0] == 360`), 데이터·개수 이름
      (`y_test.sum() == 100`, `n_test_class_0 == 100`, `test_loader.dataset.passes == 0`).
    - 숫자 상수가 없는 비교(`torch.allclose(a, b)`), 부등식(`<`, `>=`).
    - 줄에 `[정확: 까닭]`이 적힌 assert: 손으로 적은 데이터처럼 다른 기계에서도 달라질 수 없는 값 (예:
      `assert score == 96.0  # [정확: 손으로 적은 점수표]`). 훈련된 숫자에 붙이면 안 됩니다: 리뷰에서 봅니다.
    볼 수 없는 것 (이 검사가 놓치는 것):
    - 숫자가 상수가 아니라 이름으로 올 때: `expected = 99.44` 다음 `assert val_acc == expected`.
    - 훈련과 관계없어 보이는 이름: `assert m == 7`, `assert result[2] == 0.25`, `assert preds.sum() == 97`.
    - 데이터 낱말이 섞인 이름의 훈련된 값: `assert n_val_errors == 2`는 잡지만(error) `assert n_val == 2`는 못 잡습니다.
    - `if ...: raise AssertionError(...)`, helper 함수 안의 assert, 문자열 비교(`f"{acc:.1f}" == "99.4"`).
    - 부등식으로 쓴 사실상의 고정: `assert 99.43 < val_acc < 99.45`, `abs(acc - 99.44) < 1e-6`.
    - 숫자를 낱말로 알아볼 수 없는 다른 언어의 키: `naive["재현율"] == 0`은 못 잡습니다 ("F1 점수"는 잡습니다).
    """
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return []
    lines = source.splitlines()
    found: list[int] = []

    def check_compare(node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands[:-1], operands[1:], strict=True):
            if not isinstance(op, ast.Eq | ast.In):
                continue
            for value, other in ((left, right), (right, left)):
                if not _is_number(other):
                    continue
                if _is_round(value) or (_mentions_trained(value) and not _is_exact_by_construction(value)):
                    found.append(node.lineno)
                    return

    def marked(node) -> bool:
        end = getattr(node, "end_lineno", node.lineno)
        return any(EXACT_MARK in line for line in lines[node.lineno - 1 : end])

    for node in ast.walk(tree):
        if isinstance(node, ast.Assert | ast.Call) and marked(node):
            continue
        if isinstance(node, ast.Assert):
            for sub in ast.walk(node.test):
                if isinstance(sub, ast.Compare):
                    check_compare(sub)
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = list(node.args)
            if name in CLOSE_CALLS and any(_is_number(a) for a in args):
                rest = [a for a in args if not _is_number(a)]
                if any(_mentions_trained(a) and not _is_exact_by_construction(a) for a in rest) or (
                    name == "approx" and args
                ):
                    found.append(node.lineno)
    # pytest.approx(99.44)는 `acc == approx(...)`의 오른쪽이라 위의 Compare에서 숫자로 안 보이므로 호출로 잡습니다.
    return [lines[n - 1].strip() if 0 < n <= len(lines) else f"(줄 {n})" for n in sorted(set(found))]


MUST_FLAG = [
    "assert best_epoch == 15",
    "assert round(val_acc, 1) == 99.4, '검증 정확도'",
    "assert round(gap) == 7  # 7장 차이",
    'assert history["val_loss"][-1] == 0.0312',
    "assert results['CNN']['test_acc'] == 98.61",
    "assert n_wrong in (1, 2)",
    "assert 99.44 == model_acc",
    "assert acc_fn(y_val, preds) == 100.0",
    "assert best['epoch'] == 12 and best_val_acc > 97",
    "assert not (train_loss == 0.5)",
    "assert math.isclose(val_acc, 99.44)",
    "assert val_acc == pytest.approx(99.44)",
    "assert correct == -3",
    "assert len(y_val) == 360\nassert valAcc == 99.5",
    "assert sorted(y_val[wrong].tolist()) == [2, 9]",
    'assert history["val"][-1] == 0.5',
    "assert (val_preds[wrong] == 1).all()",
    "assert np.testing.assert_allclose(test_loss, 0.123) is None",
    "assert score == 96.0  # [정확하다고 믿음]",
]
MUST_NOT_FLAG = [
    "assert len(y_val) == 360",
    "assert X_val.shape == (360, 64)",
    "assert X_test.shape[0] == 200",
    "assert y_train.dtype == torch.long",
    "assert logits.ndim == 2",
    "assert torch.allclose(manual_grad, w.grad, atol=1e-6)",
    "assert val_acc >= 97.0, f'검증 정확도 {val_acc:.2f}'",
    "assert 0.0 <= test_loss < math.log(3)",
    "assert cnn_correct - mlp_correct >= 3",
    "assert np.bincount(y_test).tolist() == [20, 20, 20]",
    "assert values == 3 and interval == 2",
    "assert len(history['val_acc']) == 15  # 에포크 수는 정한 값",
    "%timeit x = 1\nassert best_epoch > 5",
    "x = val_acc == 99.0  # assert가 아님",
    "assert y_train.sum() == 400 and y_test.sum() == 100",
    "assert y_test[:5].tolist() == [1.0, 0.0, 0.0, 0.0, 1.0]",
    "assert n_test_class_0 == 100 and test_loader.dataset.passes == 0",
    "assert score == 96.0  # [정확: 손으로 적은 점수표]",
    "assert (\n    best_epoch == 15  # [정확: 에포크 한도가 15이고 조기 종료를 끔]\n)",
]


@pytest.mark.parametrize("source", MUST_FLAG)
def test_pinned_number_detector_flags(source):
    assert pinned_trained_numbers(source), source


@pytest.mark.parametrize("source", MUST_NOT_FLAG)
def test_pinned_number_detector_leaves_exact_values_alone(source):
    assert pinned_trained_numbers(source) == [], source


@pytest.mark.parametrize("path", EXECUTED, ids=_id)
def test_no_assert_pins_a_trained_number(path):
    """강의·해답의 assert는 훈련된 정확도·손실·에포크를 `==`로 붙잡지 않습니다 (issue 17: 주장을, 숫자가 아니라).

    다른 기계에서는 그 숫자가 달라 강의가 멈춥니다. 여유 있는 부등식으로 주장을 확인하세요.
    무엇을 보고 무엇을 못 보는지는 `pinned_trained_numbers`의 설명에 있습니다.
    """
    flagged = []
    for index, cell in enumerate(nbutil.read(path).cells):
        if cell.cell_type == "code":
            flagged += [f"셀 {index}: {line}" for line in pinned_trained_numbers(cell.source)]
    assert not flagged, "훈련된 숫자를 정확히 붙잡는 assert (여유 있는 부등식으로 바꾸세요):\n" + "\n".join(flagged)
