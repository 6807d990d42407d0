"""강좌 웹사이트: 커밋된(실행된) 노트북과 README로 정적 사이트를 만듭니다. 노트북은 다시 실행하지 않습니다.

    make site                                    # .venv-site를 준비하고 _site/에 만듭니다
    .venv-site/bin/python -m tools.site          # 같은 것 (환경이 이미 있을 때)
    .venv-site/bin/python -m tools.site --root DIR --out OUT   # 다른 폴더의 노트북으로 (테스트용)

생성기: Sphinx + MyST-NB(nb_execution_mode="off") + sphinx-book-theme + sphinx-copybutton, 검색: Pagefind.
설정은 site/conf.py, 틀·CSS·JS는 site/_templates, site/_static, 테마의 한국어 번역은 site/locale에 있습니다.

하는 일:
1. 임시 원본 폴더(build/site/src)를 새로 만들고 notebooks/*.ipynb, solutions/*.ipynb(이름순, 목록을 적어 두지 않음)를
   복사합니다. 복사본에서만:
   - 제목 셀의 Colab 배지를 버튼 줄(Colab, 내려받기, 연습 문제, 인쇄)로 바꾸고, 해답 제목에 "[해답]"을 붙입니다.
   - 해답의 숨은 점검(### BEGIN HIDDEN TESTS ~ ### END HIDDEN TESTS)은 연습 노트북처럼 주석 한 줄로 바꿉니다
     (페이지에도, 사이트에서 내려받는 해답 노트북에도 숨은 점검의 코드는 없습니다).
   - 그림마다 대체 글(alt)을 그 그림을 그린 코드의 제목(set_title, suptitle, title=...)에서 만듭니다.
   - jshtml 애니메이션: 바깥 CDN의 Font Awesome을 빼고(단추 모양은 course.css), 단추 이름을 한국어로 바꿉니다.
   - 위젯(ipywidgets) 출력은 "실행 중인 커널이 필요합니다" 안내, 위젯 기본값의 정적 그림, Colab 버튼으로 바꿉니다.
   - 강의 끝에 연습 문제 링크를 붙입니다.
2. README.md로 첫 페이지(index.md), GLOSSARY.md로 용어집 페이지(glossary.md), 해답 안내 페이지(solutions/index.md)를
   만듭니다. 차례: 강의 -> 용어집 -> 해답 (강의 07의 "다음"은 용어집입니다).
3. sphinx-build로 HTML을 만들고, 손봅니다: 절 제목에 id(검색 결과가 그 절로 갑니다), 제목 옆 '#' 링크는 검색 색인에서
   빼기, 그림의 alt와 loading="lazy", 테마가 번역하지 않는 영어 이름표. 그다음 Pagefind로 검색 색인을 만듭니다.
원래 노트북·연습 파일은 그대로(해답은 숨은 점검만 빼고) 내려받을 수 있게 사이트에 함께 복사합니다.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import time
from base64 import b64decode
from pathlib import Path

import nbformat

from tools import colab, nbutil
from tools.build_exercises import HIDDEN_BEGIN, HIDDEN_END, strip_hidden

ROOT = nbutil.ROOT
CONF_DIR = ROOT / "site"
DEFAULT_OUT = ROOT / "_site"
DEFAULT_WORK = ROOT / "build" / "site"

SECTIONS = (("notebooks", "강의"), ("solutions", "해답"))
SOLUTION_LABEL = "[해답]"
GLOSSARY_DOC = "glossary"
SOLUTIONS_INDEX_DOC = "solutions/index"
PAGEFIND_MAIN_GLOB = "{index.html,glossary.html,notebooks/*.html}"
# ipywidgets의 text/plain 표현 (위젯 상태는 커밋하지 않으므로 이것만 남습니다).
WIDGET_REPR = re.compile(
    r"^(?:interactive|VBox|HBox|Box|GridBox|GridspecLayout|AppLayout|TwoByTwoLayout|Tab|Accordion|Stack|Output|"
    r"Int\w*Slider|Float\w*Slider|SelectionSlider|SelectionRangeSlider|Dropdown|Button|ToggleButton|ToggleButtons|"
    r"Checkbox|RadioButtons|Select|SelectMultiple|Text|Textarea|IntText|FloatText|BoundedIntText|BoundedFloatText|"
    r"Label|HTML|HTMLMath|Image|Play|IntProgress|FloatProgress|ColorPicker|DatePicker|Combobox|Password|Valid)\("
)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif")

# 검색: 학습자가 쓰는 다른 표기 -> 용어집의 표기. 검색 페이지(search.html)가 검색어를 바꿔 찾고, 용어집 페이지의
# 메모 칸에 "다른 표기"로 보입니다. 띄어쓰기만 다른 것(로지스틱회귀, 소프트 맥스)은 따로 적지 않아도 됩니다:
# 검색 페이지가 용어집의 모든 용어와 띄어쓰기를 빼고 비교합니다.
VARIANTS: dict[str, list[str]] = {
    "과적합": ["과대적합", "오버피팅", "오버 피팅", "overfit"],
    "과소적합": ["언더피팅", "underfit"],
    "은닉층": ["히든 레이어", "숨은 층", "숨겨진 층"],
    "임계값": ["문턱값", "임계치", "역치"],
    "교차 엔트로피": ["크로스 엔트로피", "크로스엔트로피", "cross entropy"],
    "합성곱": ["컨볼루션", "콘볼루션", "컨볼루션 연산"],
    "합성곱 신경망": ["컨볼루션 신경망", "컨볼루션 뉴럴 네트워크", "합성곱 뉴럴 네트워크"],
    "활성화 함수": ["활성 함수", "액티베이션 함수"],
    "에포크": ["에폭", "에퐄", "이포크"],
    "옵티마이저": ["최적화기", "옵티마이져", "최적화 알고리즘"],
    "훈련": ["학습시키기", "트레이닝"],
    "검증 데이터": ["밸리데이션 데이터", "검증 세트", "검증셋"],
    "테스트 데이터": ["테스트 세트", "테스트셋", "시험 데이터"],
    "혼동 행렬": ["오차 행렬", "컨퓨전 매트릭스", "혼돈 행렬"],
    "정밀도": ["프리시전"],
    "재현율": ["리콜", "민감도"],
    "기울기": ["그래디언트", "그라디언트", "경사"],
    "역전파": ["백프로파게이션", "오차 역전파"],
    "경사 하강법": ["경사하강", "그래디언트 디센트"],
    "조기 종료": ["얼리 스토핑", "조기 중단", "조기종료"],
    "미니배치": ["미니 배치", "minibatch"],
    "로짓": ["로짓값", "logits"],
    "데이터 누수": ["데이터 유출", "리키지"],
    "표준화": ["정규화", "스탠다드 스케일링"],
}


def colab_url(folder: str, name: str) -> str:
    """tools.colab의 배지에서 Colab 주소만 꺼냅니다 (주소 규칙은 한 곳에만 둡니다)."""
    match = re.search(r"\]\((https://[^)\s]+)\)\s*$", colab.badge_line(folder, name))
    if not match:
        raise ValueError(f"Colab 배지에서 주소를 찾지 못했습니다: {folder}/{name}")
    return match.group(1)


def repo_file_url(relpath: str) -> str:
    settings = nbutil.course_settings()
    return f"{settings['repository'].rstrip('/')}/blob/{settings['branch']}/{relpath}"


def title_of(nb: nbformat.NotebookNode, fallback: str) -> str:
    """첫 마크다운 셀의 첫 '# ' 제목."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def plain_text(markdown: str) -> str:
    """마크다운 한 문단을 설명(meta description)용 글로: 링크·강조·코드 표시와 수식 기호를 뺍니다."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`$]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def description_of(nb: nbformat.NotebookNode) -> str:
    """제목 셀에서 제목 다음 첫 문단 (160자 안팎으로 자릅니다)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        paragraphs = re.split(r"\n\s*\n", cell.source)
        for para in paragraphs:
            stripped = para.strip()
            if not stripped or stripped.startswith(("#", "[![", "<", "|", "```")) or re.match(r"^\d+\.\s", stripped):
                continue
            text = plain_text(stripped)
            if len(text) <= 160:
                return text
            cut = text[:157]
            return (cut[: cut.rfind(" ")] if " " in cut[80:] else cut).rstrip(" ,.(") + "…"
        break
    return ""


def buttons_html(links: list[tuple[str, str, str, bool]]) -> str:
    """버튼 줄. links: (글, 주소, 종류(css), 내려받기 여부). 주소가 ''이면 인쇄 단추 (course.js가 window.print)."""
    parts = []
    for text, href, kind, download in links:
        if not href:
            button = f'<button type="button" class="course-button course-button-{kind}" data-course-print>'
            parts.append(f"{button}{text}</button>")
            continue
        extra = ' target="_blank" rel="noopener"' if href.startswith("http") else ""
        extra += " download" if download else ""
        parts.append(f'<a class="course-button course-button-{kind}" href="{html.escape(href)}"{extra}>{text}</a>')
    return '<p class="course-buttons" data-pagefind-ignore>' + " ".join(parts) + "</p>"


# --- 위젯 -------------------------------------------------------------------------------------------


def _literal(node: ast.AST):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def widget_controls(source: str) -> list[dict]:
    """셀 코드에서 `widgets.X(...)`로 만든 입력 위젯의 기본값을 읽습니다: [{kind, description, value, ...}]."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    controls = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if not (isinstance(node.func.value, ast.Name) and node.func.value.id in ("widgets", "ipywidgets", "w")):
            continue
        kind = node.func.attr
        kwargs = {kw.arg: _literal(kw.value) for kw in node.keywords if kw.arg}
        if kind in ("VBox", "HBox", "Output", "Layout", "interactive_output", "Box") or not kwargs.get("description"):
            continue
        controls.append({"kind": kind, "line": node.lineno, "col": node.col_offset, **kwargs})
    return sorted(controls, key=lambda c: (c["line"], c["col"]))


def widget_picture(controls: list[dict]) -> str:
    """위젯 기본 상태의 정적 그림 (HTML, 움직이지 않음)."""
    rows = []
    for c in controls:
        label = html.escape(str(c.get("description", "")))
        value = c.get("value")
        kind = c["kind"]
        if kind == "Button":
            rows.append(f'<div class="widget-row"><span></span><span class="widget-fake-button">{label}</span></div>')
            continue
        if "Slider" in kind and isinstance(value, (int, float)) and not isinstance(value, bool):
            options = c.get("options")
            if isinstance(options, (list, tuple)) and value in options:
                lo, hi, pos = 0, len(options) - 1, options.index(value)
            else:
                lo, hi, pos = c.get("min", 0), c.get("max", 100), value
            fraction = 0.5 if hi == lo else max(0.0, min(1.0, (pos - lo) / (hi - lo)))
            bar = f'<span class="widget-fake-slider"><span style="width:{fraction * 100:.0f}%"></span></span>'
            shown = html.escape(str(value))
            rows.append(f'<div class="widget-row"><span>{label}</span>{bar}<code>{shown}</code></div>')
        else:
            shown = html.escape("✓" if value is True else ("" if value is None else str(value)))
            field = f'<span class="widget-fake-field">{shown}</span>'
            rows.append(f'<div class="widget-row"><span>{label}</span>{field}</div>')
    return (
        '<figure class="widget-picture" role="img" aria-label="위젯의 기본 상태">'
        + "".join(rows)
        + "<figcaption>위젯의 기본 상태 (그림: 웹페이지에서는 움직이지 않습니다)</figcaption></figure>"
    )


def widget_note(colab: str, source: str = "") -> dict:
    controls = widget_controls(source)
    picture = widget_picture(controls) if controls else ""
    note = (
        '<div class="widget-note" data-pagefind-ignore><p>이 자리의 위젯(ipywidgets)은 '
        "<b>실행 중인 커널</b>이 있어야 움직입니다. 웹페이지에서는 기본 상태만 그림으로 보이니, "
        "노트북을 Colab이나 JupyterLab(<code>make lab</code>)에서 실행해 "
        f'보세요.</p>{picture}<p><a class="course-button course-button-colab" href="{html.escape(colab)}" '
        'target="_blank" rel="noopener">Colab에서 열기</a></p></div>'
    )
    return nbformat.v4.new_output(
        "display_data",
        data={
            "text/html": note,
            "text/plain": "위젯: 실행 중인 커널이 필요합니다 (Colab이나 JupyterLab에서 실행하세요).",
        },
    )


def is_widget_output(cell: nbformat.NotebookNode, out: nbformat.NotebookNode) -> bool:
    if out.get("output_type") not in ("display_data", "execute_result"):
        return False
    data = out.get("data", {})
    if WIDGET_MIME in data:
        return True
    text = data.get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    uses_widgets = "widgets" in cell.source or "interact" in cell.source
    return set(data) == {"text/plain"} and uses_widgets and bool(WIDGET_REPR.match(text))


# --- 그림의 대체 글, 애니메이션 ----------------------------------------------------------------------

_TITLE_FUNCS = {"set_title", "suptitle", "title"}


def _string_of(node: ast.AST) -> str | None:
    """문자열 상수나 f-문자열을 글로 (f-문자열의 {값}은 '…')."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            else:
                parts.append("…")
        return "".join(parts)
    return None


def figure_titles(source: str) -> list[str]:
    """셀 코드가 그림에 붙이는 제목들 (ax.set_title, plt.title, fig.suptitle, 함수의 title= 인자), 코드 순서대로."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [m.group(2) for m in re.finditer(r"(set_title|suptitle|title)\s*[(=]\s*f?\"([^\"]+)\"", source)]
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        candidates = []
        if name in _TITLE_FUNCS and node.args:
            candidates.append(node.args[0])
        candidates += [kw.value for kw in node.keywords if kw.arg == "title"]
        for arg in candidates:
            text = _string_of(arg)
            if text and text.strip(" …"):
                found.append((node.lineno, node.col_offset, re.sub(r"\s+", " ", text).strip()))
    titles: list[str] = []
    for _, _, text in sorted(found):
        if text not in titles:
            titles.append(text)
    return titles


def figure_alt(source: str, section: str, index: int, count: int) -> str:
    titles = figure_titles(source)
    text = " / ".join(titles[:4]) if titles else f"{section or '이 절'}의 그림"
    if titles and text.count("…") >= 2 and section:  # 제목이 거의 값으로만 되어 있으면 절 이름을 앞에
        text = f"{section}: {text}"
    if count > 1:
        text += f" ({index}/{count})"
    return "그림: " + text


ANIMATION_LABELS = {
    "Decrease speed": "느리게",
    "First frame": "첫 장면",
    "Previous frame": "이전 장면",
    "Play backwards": "거꾸로 재생",
    "Pause": "멈춤",
    "Play": "재생",
    "Next frame": "다음 장면",
    "Last frame": "마지막 장면",
    "Increase speed": "빠르게",
    "Repetition mode": "반복 방식",
}
ANIMATION_STATES = {"Once": "한 번", "Loop": "반복", "Reflect": "왕복"}
_FA_LINK = re.compile(r"<link[^>]*href=\"https?://[^\"]*font-awesome[^\"]*\"[^>]*>", re.IGNORECASE)


def localize_animation(text: str, alt: str) -> str:
    """matplotlib to_jshtml()의 HTML: CDN 글꼴 링크를 빼고, 단추·선택지 이름을 한국어로, 그림에 alt를 붙입니다."""
    text = _FA_LINK.sub("", text)
    for english, korean in ANIMATION_LABELS.items():
        text = text.replace(f'title="{english}" aria-label="{english}"', f'title="{korean}" aria-label="{korean}"')
    for english, korean in ANIMATION_STATES.items():
        text = re.sub(rf"(<label for=\"_anim_radio\d_[0-9a-f]+\">){english}(</label>)", rf"\g<1>{korean}\2", text)
    return re.sub(r'<img id="(_anim_img[0-9a-f]+)">', rf'<img id="\1" alt="{html.escape(alt)}">', text)


# --- 노트북 한 권 -------------------------------------------------------------------------------------


def _has_hidden(text: str) -> bool:
    return HIDDEN_BEGIN in text or HIDDEN_END in text


def hide_hidden_tests(nb: nbformat.NotebookNode, where: str) -> int:
    """숨은 점검을 연습 노트북과 같은 주석 한 줄로 바꿉니다. 바꾼 셀 수."""
    changed = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and _has_hidden(cell.source):
            cell.source = strip_hidden(cell.source, f"{where} 셀 {index}")
            changed += 1
    return changed


def public_copy(src: Path, dest: Path) -> None:
    """내려받기용 사본. 숨은 점검이 없으면 바이트 그대로, 있으면 그 부분만 주석 한 줄로 바꿉니다."""
    raw = src.read_bytes()
    if not _has_hidden(raw.decode("utf-8")):
        dest.write_bytes(raw)
        return
    data = json.loads(raw)
    for index, cell in enumerate(data["cells"]):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and _has_hidden(source):
            stripped = strip_hidden(source, f"{src.name} 셀 {index}")
            cell["source"] = stripped.splitlines(keepends=True) if isinstance(cell["source"], list) else stripped
    dest.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def stage_notebook(src: Path, folder: str, root: Path, work: Path, alts: dict[str, str]) -> dict:
    """노트북 하나를 사이트용으로 복사하고 페이지 정보(dict)를 돌려줍니다. alts에 그림 해시 -> 대체 글을 더합니다."""
    nb = nbutil.read(src)
    name = src.name
    stem = src.stem
    kind = "solution" if folder == "solutions" else "lesson"
    title = title_of(nb, stem)
    if kind == "solution" and not title.startswith(SOLUTION_LABEL):
        title = f"{SOLUTION_LABEL} {title}"
    info = {
        "folder": folder,
        "name": name,
        "stem": stem,
        "docname": f"{folder}/{stem}",
        "kind": kind,
        "title": title,
        "description": description_of(nb),
        "colab": colab_url(folder, name),
    }

    lesson_stem = stem.removesuffix("_solutions")
    exercise = root / "exercises" / f"{lesson_stem}_exercises.ipynb"
    solution = root / "solutions" / f"{lesson_stem}_solutions.ipynb"
    links = [("Colab에서 열기", info["colab"], "colab", False), ("노트북 내려받기 (.ipynb)", name, "download", True)]
    if folder == "notebooks" and exercise.is_file():
        links.append(("연습 문제 (Colab)", colab_url("exercises", exercise.name), "exercise", False))
    if folder == "solutions" and (root / "notebooks" / f"{lesson_stem}.ipynb").is_file():
        links.append(("강의 보기", f"../notebooks/{lesson_stem}.html", "link", False))
    links.append(("인쇄 / PDF로 저장", "", "print", False))

    first = nb.cells[0] if nb.cells and nb.cells[0].cell_type == "markdown" else None
    if first is not None:
        lines = [line for line in first.source.splitlines() if not line.startswith(f"[![{colab.BADGE_ALT}]")]
        heading = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
        if heading is not None:
            lines[heading] = f"# {title}"
        insert_at = 0 if heading is None else heading + 1
        lines[insert_at:insert_at] = ["", buttons_html(links), ""]
        first.source = "\n".join(lines).strip("\n")
    else:
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"# {title}\n\n{buttons_html(links)}"))

    hide_hidden_tests(nb, name)
    section = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = relink(cell.source, root, folder)
            headings = [line.lstrip("#").strip() for line in cell.source.splitlines() if re.match(r"^#{1,3} ", line)]
            section = headings[-1] if headings else section
        if cell.cell_type != "code":
            continue
        outputs = []
        images = [out for out in cell.outputs if any(m in out.get("data", {}) for m in IMAGE_MIMES)]
        for out in cell.outputs:
            if is_widget_output(cell, out):
                outputs.append(widget_note(info["colab"], cell.source))
                continue
            data = out.get("data", {})
            for mime in IMAGE_MIMES:
                if mime in data:
                    payload = data[mime]
                    payload = "".join(payload) if isinstance(payload, list) else payload
                    digest = hashlib.sha256(b64decode(payload)).hexdigest()
                    alts[digest] = figure_alt(cell.source, section, images.index(out) + 1, len(images))
            page_html = data.get("text/html")
            if page_html is not None and "anim-controls" in "".join(page_html):
                alt = "애니메이션: " + figure_alt(cell.source, section, 1, 1).removeprefix("그림: ")
                data["text/html"] = localize_animation("".join(page_html), alt)
            outputs.append(out)
        cell.outputs = outputs

    if folder == "notebooks" and exercise.is_file():
        rows = [
            "## 연습 문제와 해답",
            "",
            "이 강의를 마쳤다면 같은 번호의 연습 노트북을 풀어 보세요. `# [점검]` 셀이 답을 바로 확인해 줍니다.",
            "",
            buttons_html(
                [
                    ("연습 노트북 내려받기", f"../exercises/{exercise.name}", "download", True),
                    ("연습 문제를 Colab에서 열기", colab_url("exercises", exercise.name), "colab", False),
                ]
                + ([("해답 보기", f"../solutions/{solution.stem}.html", "link", False)] if solution.is_file() else [])
            ),
        ]
        nb.cells.append(nbformat.v4.new_markdown_cell("\n".join(rows)))

    nb.metadata.pop("widgets", None)
    nb.metadata.setdefault("kernelspec", dict(nbutil.KERNELSPEC))
    nb.metadata.setdefault("language_info", {"name": "python", "pygments_lexer": "ipython3"})
    dest = work / folder / name
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    # 원본을 내려받기용으로 (사이트의 같은 폴더에 놓입니다). 해답은 숨은 점검만 뺍니다.
    files = work / "_files" / folder
    files.mkdir(parents=True, exist_ok=True)
    public_copy(src, files / name)
    return info


LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)\)")


def relink(text: str, root: Path, base: str) -> str:
    """마크다운의 상대 링크를 사이트에 맞게 바꿉니다. base: 이 글이 있는 폴더(저장소 루트 기준, 예: 'notebooks').

    강의·해답 노트북 -> 그대로 (MyST가 사이트 페이지 링크로 바꿉니다), 연습 노트북 -> 내려받기 링크(사이트에
    원본이 함께 있습니다), GLOSSARY.md -> 용어집 페이지, 그 밖의 저장소 파일(README.md, helper_functions.py ...)
    -> GitHub 주소.
    """

    def one(match: re.Match) -> str:
        label, target = match.group(1), match.group(2)
        if re.match(r"^([a-z]+:|#|/)", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        resolved = (root / base / path).resolve()
        try:
            rel = resolved.relative_to(root.resolve()).as_posix()
        except ValueError:
            return match.group(0)
        if re.fullmatch(r"(notebooks|solutions)/[^/]+\.ipynb", rel) and resolved.is_file():
            return match.group(0)
        if re.fullmatch(r"exercises/[^/]+\.ipynb", rel):
            label_html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(label, quote=False))
            return f'<a href="{html.escape(target)}" download>{label_html}</a>'
        if rel == "GLOSSARY.md":
            up = "../" * (len(Path(base).parts) if base else 0)
            return f"[{label}]({up}{GLOSSARY_DOC}.md{'#' + anchor if anchor else ''})"
        return f"[{label}]({repo_file_url(rel)}{'#' + anchor if anchor else ''})"

    return LINK.sub(one, text)


def lesson_table(root: Path, lessons: list[dict]) -> str:
    rows = ["| # | 강의 | 연습 문제 | 해답 |", "|---|---|---|---|"]
    for info in lessons:
        stem = info["stem"]
        exercise = root / "exercises" / f"{stem}_exercises.ipynb"
        solution = root / "solutions" / f"{stem}_solutions.ipynb"
        lesson = f"[{info['title']}](notebooks/{info['name']})"
        ex = (
            f'<a href="exercises/{exercise.name}" download>내려받기</a> · '
            f'<a href="{html.escape(colab_url("exercises", exercise.name))}">Colab</a>'
            if exercise.is_file()
            else "-"
        )
        sol = (
            f'[해답 보기](solutions/{solution.name}) · <a href="{html.escape(colab_url("solutions", solution.name))}">'
            "Colab</a>"
            if solution.is_file()
            else "-"
        )
        rows.append(f"| {stem[:2]} | {lesson} | {ex} | {sol} |")
    return "\n".join(rows)


def _split_sections(text: str) -> list[tuple[str, str]]:
    """'## ' 제목으로 나눕니다: [(제목, 본문)] (첫 조각의 제목은 '')."""
    parts: list[tuple[str, str]] = []
    title, buf, fence = "", [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith("## "):
            parts.append((title, "\n".join(buf)))
            title, buf = line[3:].strip(), []
        buf.append(line)
    parts.append((title, "\n".join(buf)))
    return parts


def home_page(root: Path, lessons: list[dict], solutions: list[dict], glossary: bool) -> str:
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else "# 강좌\n"
    # 강의 표: 노트북 목록에서 새로 만듭니다 (README 표가 늦게 고쳐져도 사이트는 맞습니다).
    start, end = text.find(colab.README_BEGIN), text.find(colab.README_END)
    table = lesson_table(root, lessons)
    if start >= 0 and end >= 0:
        text = text[:start] + table + text[end + len(colab.README_END) :]
    else:
        text += "\n\n## 강의 목록\n\n" + table + "\n"
    # 개발자용 안내는 사이트에서 뺍니다 (저장소의 README에 있습니다).
    text = "\n".join(body for title, body in _split_sections(text) if not title.startswith("개발자"))
    readme_url = repo_file_url("README.md")
    text += f"\n\n개발자용 안내(테스트, 노트북 다시 실행 등)는 [저장소의 README]({readme_url})에 있습니다.\n"

    text = relink(text, root, "")
    toctrees = []
    if lessons:
        entries = "\n".join(info["docname"] for info in lessons)
        toctrees.append(f"```{{toctree}}\n:caption: 강의\n:hidden:\n\n{entries}\n```")
    if glossary:
        toctrees.append(f"```{{toctree}}\n:caption: 참고\n:hidden:\n\n{GLOSSARY_DOC}\n```")
    if solutions:
        entries = "\n".join([SOLUTIONS_INDEX_DOC] + [info["docname"] for info in solutions])
        toctrees.append(f"```{{toctree}}\n:caption: 해답\n:hidden:\n\n{entries}\n```")
    return text.rstrip() + "\n\n" + "\n\n".join(toctrees) + "\n"


def glossary_page(root: Path) -> str | None:
    """GLOSSARY.md -> 용어집 페이지. 표의 메모 칸에 검색이 알아듣는 다른 표기(VARIANTS)를 덧붙입니다."""
    path = root / "GLOSSARY.md"
    if not path.is_file():
        return None
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) >= 5 and not set(cells[1].strip()) <= set("-: "):
            term = cells[1].strip()
            if term in VARIANTS:
                note = cells[3].strip()
                extra = "다른 표기: " + ", ".join(VARIANTS[term])
                cells[3] = f" {note + '. ' if note else ''}{extra} "
                line = "|".join(cells)
        out.append(line)
    return relink("\n".join(out), root, "") + "\n"


def solutions_index(solutions: list[dict]) -> str:
    rows = [
        "# 해답",
        "",
        "연습 문제의 해답 노트북입니다. **먼저 연습 노트북을 스스로 풀어 보세요.** 연습 노트북의 `# [점검]` 셀이",
        "답을 바로 확인해 주므로, 해답은 막혔을 때나 다 푼 뒤 비교할 때 보는 것이 가장 도움이 됩니다.",
        "",
        "채점할 때만 쓰는 숨은 점검(hidden tests)의 코드는 이 사이트에 싣지 않습니다. 그 자리에는 연습 노트북과 같은",
        "주석 한 줄이 있습니다.",
        "",
    ]
    rows += [f"- [{info['title']}]({info['stem']}.ipynb)" for info in solutions]
    return "\n".join(rows) + "\n"


def stage(root: Path, work: Path) -> tuple[dict, dict[str, str]]:
    work.mkdir(parents=True)
    found: dict = {}
    alts: dict[str, str] = {}
    for folder, _ in SECTIONS:
        found[folder] = [stage_notebook(p, folder, root, work, alts) for p in sorted((root / folder).glob("*.ipynb"))]
    exercises = sorted((root / "exercises").glob("*.ipynb"))
    if exercises:
        (work / "_files" / "exercises").mkdir(parents=True, exist_ok=True)
        for p in exercises:
            shutil.copyfile(p, work / "_files" / "exercises" / p.name)
    glossary = glossary_page(root)
    if glossary is not None:
        (work / f"{GLOSSARY_DOC}.md").write_text(glossary, encoding="utf-8")
        found["pages"] = [
            {
                "docname": GLOSSARY_DOC,
                "kind": "glossary",
                "title": "용어집",
                "description": "강좌에서 쓰는 용어와 영어 원어, 검색이 알아듣는 다른 표기.",
            }
        ]
    if found["solutions"]:
        (work / "solutions" / "index.md").write_text(solutions_index(found["solutions"]), encoding="utf-8")
        found.setdefault("pages", []).append(
            {"docname": SOLUTIONS_INDEX_DOC, "kind": "solutions-index", "title": "해답", "description": ""}
        )
    (work / "index.md").write_text(
        home_page(root, found["notebooks"], found["solutions"], glossary is not None), encoding="utf-8"
    )
    found["variants"] = VARIANTS
    found["terms"] = glossary_terms(root)
    (work / "_pages.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    locale = CONF_DIR / "locale"
    if locale.is_dir():
        shutil.copytree(locale, work / "locale", ignore=shutil.ignore_patterns("*.mo"))
    return found, alts


def glossary_terms(root: Path) -> list[str]:
    """용어집 표의 한국어 용어들 (검색 페이지가 띄어쓰기를 무시하고 맞춰 봅니다)."""
    path = root / "GLOSSARY.md"
    if not path.is_file():
        return []
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) >= 4:
            term = cells[1].strip()
            if term and term != "한국어" and not set(term) <= set("-: "):
                terms.append(term)
    return terms


# --- 만든 HTML 손보기 -------------------------------------------------------------------------------

_SECTION_HEADING = re.compile(
    r'<section(?P<attrs>[^>]*?) id="(?P<sid>[^"]+)"(?P<rest>[^>]*)>\s*(?P<spans>(?:<span id="[^"]+"></span>)*)'
    r"<h(?P<level>[1-6])>"
)
# 테마의 틀에 영어로 박혀 있어 번역(site/locale)으로 바뀌지 않는 이름표.
UI_LABELS = {
    'aria-label="Main"': 'aria-label="강좌 목차"',
    '<nav aria-label="Page">': '<nav aria-label="이 페이지의 차례">',
    'title="Link to this heading"': 'title="이 절로 가는 링크"',
}


def _heading_ids(text: str) -> str:
    """<section id=X><span id=Y></span><hN> -> 제목에 id를 둡니다 (Pagefind는 id가 있는 제목으로 절을 나눕니다).

    MyST가 만든 읽을 수 있는 id(Y, 예: '3-로짓---확률---레이블')가 있으면 그것을, 없으면 절의 id를 제목으로 옮깁니다.
    """

    def one(m: re.Match) -> str:
        spans = re.findall(r'<span id="([^"]+)"></span>', m.group("spans"))
        section = f"<section{m.group('attrs')}{m.group('rest')}>"
        if spans:
            heading_id = spans[-1]
            section = f'<section{m.group("attrs")} id="{m.group("sid")}"{m.group("rest")}>'
            kept = "".join(f'<span id="{s}"></span>' for s in spans[:-1])
        else:
            heading_id, kept = m.group("sid"), ""
        return f'{section}\n{kept}<h{m.group("level")} id="{heading_id}">'

    return _SECTION_HEADING.sub(one, text)


def _fix_headerlinks(text: str) -> str:
    """제목 옆 '#' 링크: 제목의 id를 가리키고, 검색 색인에서는 빠집니다 (결과 제목 끝에 '#'이 붙지 않게)."""

    def one(m: re.Match) -> str:
        level, heading_id, body = m.group(1), m.group(2), m.group(3)
        body = re.sub(
            r'<a class="headerlink" href="#[^"]*"',
            f'<a class="headerlink" data-pagefind-ignore href="#{heading_id}"',
            body,
        )
        return f'<h{level} id="{heading_id}">{body}</h{level}>'

    return re.sub(r'<h([1-6]) id="([^"]+)">(.*?)</h\1>', one, text, flags=re.S)


def _image_attrs(text: str, alts: dict[str, str]) -> str:
    def one(m: re.Match) -> str:
        tag, digest = m.group(0), m.group(2)
        alt = alts.get(digest)
        if alt is not None:
            tag = re.sub(r'\salt="[^"]*"', "", tag)
            tag = tag.replace("<img ", f'<img alt="{html.escape(alt)}" ', 1)
        if "loading=" not in tag:
            tag = tag.replace("<img ", '<img loading="lazy" decoding="async" ', 1)
        return tag

    return re.sub(r'<img [^>]*src="([^"]*_images/)([0-9a-f]{64})\.\w+"[^>]*>', one, text)


def finish_html(html_dir: Path, alts: dict[str, str]) -> None:
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _fix_headerlinks(_heading_ids(text))
        new = _image_attrs(new, alts)
        for english, korean in UI_LABELS.items():
            new = new.replace(english, korean)
        if new != text:
            page.write_text(new, encoding="utf-8")


def build(
    root: Path = ROOT, out: Path = DEFAULT_OUT, work: Path = DEFAULT_WORK, quiet: bool = True, search: bool = True
) -> dict:
    """사이트를 만들고 요약(dict)을 돌려줍니다. work 아래에 src/(원본), html/, doctrees/, jupyter_execute/(MyST-NB의
    그림 파일: sphinx 출력 폴더의 부모에 생깁니다)를 만들고, 끝나면 html/을 out으로 옮깁니다."""
    started = time.monotonic()
    root, out, work = root.resolve(), out.resolve(), work.resolve()
    if work.exists():
        shutil.rmtree(work)
    src, html_dir = work / "src", work / "html"
    found, alts = stage(root, src)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(CONF_DIR), "-d", str(work / "doctrees")]
    cmd += ["-W", "--keep-going", "-j", "auto"] + (["-q"] if quiet else [])
    subprocess.run([*cmd, str(src), str(html_dir)], check=True)
    # 원본 노트북과 연습 파일: 페이지 옆에 그대로 둡니다 (notebooks/X.html 옆에 notebooks/X.ipynb).
    shutil.copytree(src / "_files", html_dir, dirs_exist_ok=True)
    for leftover in (".buildinfo", ".doctrees", "searchindex.js"):
        path = html_dir / leftover
        if path.is_file():
            path.unlink()
    for source_map in (html_dir / "_static").rglob("*.map"):  # 테마의 소스 맵 (개발자 도구용, 3 MB 남짓)
        source_map.unlink()
    finish_html(html_dir, alts)
    if search:
        # 검색 색인 둘: 강의·용어집·첫 페이지(pagefind/)와 해답(pagefind-solutions/). 검색 페이지는 해답 결과를
        # 강의 결과 아래에 따로 보여 줍니다. 검색 페이지, 색인 페이지, 해답 목록은 색인하지 않습니다.
        pagefind = [sys.executable, "-m", "pagefind", "--site", str(html_dir), "--silent" if quiet else "--verbose"]
        subprocess.run([*pagefind, "--glob", PAGEFIND_MAIN_GLOB], check=True)
        solutions = ["--glob", "solutions/*_solutions.html", "--output-subdir", "pagefind-solutions"]
        subprocess.run([*pagefind, *solutions], check=True)
    (html_dir / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: _static/ 같은 폴더를 그대로
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(html_dir), str(out))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "out": str(out),
        "pages": {folder: [i["stem"] for i in found[folder]] for folder, _ in SECTIONS},
        "seconds": round(time.monotonic() - started, 1),
        "bytes": size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="notebooks/, solutions/, exercises/, README.md가 있는 폴더"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="사이트를 만들 폴더 (지우고 새로 만듭니다)")
    parser.add_argument("--work", type=Path, default=None, help="작업 폴더 (기본: build/site, 지우고 새로 만듭니다)")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--no-search", action="store_true", help="검색 색인(Pagefind)을 만들지 않습니다 (테스트용)")
    args = parser.parse_args(argv)
    work = args.work or (DEFAULT_WORK if args.root.resolve() == ROOT else args.out.resolve().parent / "site-work")
    summary = build(args.root, args.out, work, quiet=not args.verbose, search=not args.no_search)
    print(
        f"사이트: {summary['out']}/index.html — 강의 {len(summary['pages']['notebooks'])}개, "
        f"해답 {len(summary['pages']['solutions'])}개, {summary['bytes'] / 1e6:.1f} MB, {summary['seconds']}초"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
