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
