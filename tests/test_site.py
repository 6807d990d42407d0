"""강좌 웹사이트 테스트 (`make test-site`): 사이트를 한 번 만들고, 파일을 검사한 뒤 Chromium으로 봅니다.

- 만들기: `.venv-site/bin/python -m tools.site`(= `make site`)로 임시 폴더에 만듭니다 (시간 제한). 저장소의
  notebooks/, solutions/를 그대로 쓰고 다시 실행하지 않습니다.
- 파일: 강의·해답마다 페이지가 있고 노트북의 그림이 모두 들어 있는지, 원본 노트북·연습 파일을 내려받을 수
  있는지, 첫 페이지에 강의 목록·시작 명령·교사용 안내가 있는지.
- 브라우저: 사이트를 GitHub Pages처럼 하위 경로(/pytorch-classification-ko/)에 127.0.0.1로 띄우고 Debian의
  Chromium을 Playwright로 움직입니다(tests/test_browser.py와 같은 실행 옵션). 첫 페이지와 강의에서 한글(실제로
  그려진 한글 글꼴)과 그림을 보고, 한국어로 검색해 그 말을 가르치는 강의가 결과에 나오는지, 결과를 눌러
  강의로 가는지 봅니다. jshtml 애니메이션과 위젯 안내는 테스트 안에서 만든 작은 노트북으로 봅니다.
  스크린숏은 test-artifacts/site-*.png.

`make test`(학습자용)에서는 건너뜁니다: 사이트 도구(.venv-site)를 설치하지 않게. `make test-site`가
COURSE_SITE_TESTS=1로 돌립니다. 혼자: `make test-site`
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import nbformat
import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS, require_browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SITE_PYTHON = ROOT / ".venv-site" / "bin" / "python"
BUILD_TIMEOUT = 300  # 초. 2코어에서 보통 10초 안팎.
BASE = "pytorch-classification-ko"  # GitHub Pages 프로젝트 사이트처럼 하위 경로에 띄웁니다
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# 학습자가 입력할 낱말. 글에서는 조사가 붙어 나옵니다 ("로짓을", "경계가").
SEARCH_TERMS = ["로짓", "결정 경계", "소프트맥스", "과적합"]
KOREAN_FONTS = re.compile(r"nanum|나눔|noto sans (cjk|kr)|malgun|apple sd gothic|source han|pretendard|un ?dotum", re.I)


pytestmark = pytest.mark.skipif(
    os.environ.get("COURSE_SITE_TESTS") != "1",
    reason="사이트 테스트는 `make test-site`로 돌립니다 (사이트 도구 .venv-site가 필요합니다)",
)


# 다른 사람이 같은 작업 폴더에서 노트북을 고치는 중이어도 흔들리지 않게, 세션 시작 때의 사본으로 만들고 검사합니다.
SNAPSHOT: Path | None = None


def _notebooks(folder: str) -> list[Path]:
    assert SNAPSHOT is not None, "site 픽스처가 먼저 사본을 만들어야 합니다"
    return sorted((SNAPSHOT / folder).glob("*.ipynb"))


def _build(root: Path, out: Path, search: bool = True) -> dict:
    if not SITE_PYTHON.exists():
        subprocess.run(["make", "--no-print-directory", "site-setup"], cwd=ROOT, check=True, timeout=600)
    started = time.monotonic()
    result = subprocess.run(
        [str(SITE_PYTHON), "-m", "tools.site", "--root", str(root), "--out", str(out), "--work", str(out.parent / "w")]
        + (["--no-search"] if not search else []),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, f"사이트 만들기 실패:\n{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
    return {"out": out, "seconds": seconds, "log": result.stdout + result.stderr}


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> dict:
    """저장소 노트북으로 만든 사이트 (세션에 한 번). notebooks, solutions, exercises, README의 사본에서."""
    global SNAPSHOT
    snapshot = tmp_path_factory.mktemp("repo")
    for folder in ("notebooks", "solutions", "exercises"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, snapshot / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copyfile(ROOT / "README.md", snapshot / "README.md")
    SNAPSHOT = snapshot
    serve = tmp_path_factory.mktemp("site")
    built = _build(snapshot, serve / BASE)
    print(f"\n사이트 만들기: {built['seconds']:.1f}초")
    built["serve"] = serve
    return built


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # 테스트 출력을 어지럽히지 않습니다
        pass


@pytest.fixture(scope="session")
def serve():
    """폴더를 127.0.0.1의 빈 포트로 띄우는 함수. 끝나면 모두 멈춥니다."""
    servers = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    # 바깥 인터넷은 없습니다: CDN(MathJax 등)과 Colab 배지 요청은 곧바로 끊어 기다리지 않게 합니다.
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    try:
        yield page
    finally:
        context.close()


def _png_outputs(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if any(m in out.get("data", {}) for m in ("image/png", "image/jpeg", "image/svg+xml"))
    )


def _outputs(path: Path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                yield cell, out


def _has_widget_output(path: Path) -> bool:
    return any(
        "ipywidgets" in cell.source and re.match(r"(VBox|HBox|interactive|IntSlider|FloatSlider|Dropdown)\(", text)
        for cell, out in _outputs(path)
        for text in [str(out.get("data", {}).get("text/plain", ""))]
    )


def _has_jshtml(path: Path) -> bool:
    return any("anim-controls" in str(out.get("data", {}).get("text/html", "")) for _, out in _outputs(path))


def _check_animation_plays(page) -> None:
    """matplotlib의 to_jshtml() 애니메이션: 스크립트가 첫 장면을 그렸고, Play를 누르면 장면이 바뀝니다."""
    frame = page.locator("div.animation img").first
    frame.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.src.startsWith('data:image/')", arg=frame.element_handle())
    first = frame.get_attribute("src")
    slider = page.locator("div.animation input.anim-slider").first
    start = int(slider.input_value())
    page.locator('div.animation button[title="Play"]').first.click()
    page.wait_for_function("([img, first]) => img.src !== first", arg=[frame.element_handle(), first], timeout=10_000)
    assert int(slider.input_value()) != start, "애니메이션이 재생되지 않았습니다 (슬라이더가 그대로)"
    page.locator('div.animation button[title="Pause"]').first.click()


def _title(path: Path) -> str:
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise AssertionError(f"{path.name}: 첫 마크다운 제목이 없습니다")


# --- 파일 검사 ---------------------------------------------------------------------------------


def test_build_is_fast(site):
    assert site["seconds"] < 120, f"사이트 만들기가 느립니다: {site['seconds']:.0f}초"


@pytest.mark.parametrize("folder", ["notebooks", "solutions"])
def test_every_notebook_has_a_page_with_its_figures(site, folder):
    out: Path = site["out"]
    notebooks = _notebooks(folder)
    assert notebooks, f"{folder}/에 노트북이 없습니다"
    for nb_path in notebooks:
        page = out / folder / f"{nb_path.stem}.html"
        assert page.is_file(), f"{nb_path.name}의 페이지가 없습니다: {page}"
        text = page.read_text(encoding="utf-8")
        assert _title(nb_path) in text.replace("&amp;", "&"), f"{page.name}: 노트북 제목이 페이지에 없습니다"
        images = re.findall(r'<img[^>]+src="\.\./(_images/[^"]+)"', text)
        expected = _png_outputs(nb_path)
        assert len(images) >= expected, f"{page.name}: 그림 {len(images)}개, 노트북의 그림 출력은 {expected}개"
        missing = [src for src in images if not (out / src).is_file()]
        assert not missing, f"{page.name}: 그림 파일이 없습니다: {missing}"
        assert "data-pagefind-body" in text, f"{page.name}: 검색 색인 대상 표시가 없습니다"
        assert 'class="course-button course-button-colab"' in text and "colab.research.google.com/github/" in text
        # 내려받기: 커밋된 노트북 그대로, 페이지 옆에
        download = out / folder / nb_path.name
        assert f'href="{nb_path.name}" download' in text, f"{page.name}: 내려받기 링크가 없습니다"
        assert download.read_bytes() == nb_path.read_bytes(), f"{download}가 커밋된 노트북과 다릅니다"
        assert "bd-toc" in text and "prev-next" in text, f"{page.name}: 차례나 이전/다음 탐색이 없습니다"
        assert not re.search(r"VBox\(children=|IntSlider\(value=", text), f"{page.name}: 위젯의 텍스트 표현이 보입니다"
        if _has_widget_output(nb_path):
            assert 'class="widget-note"' in text, f"{page.name}: 위젯 출력 자리에 '커널이 필요합니다' 안내가 없습니다"


def test_home_page_and_exercises(site):
    out: Path = site["out"]
    home = (out / "index.html").read_text(encoding="utf-8")
    for lesson in _notebooks("notebooks"):
        assert f'href="notebooks/{lesson.stem}.html"' in home, f"첫 페이지의 강의 목록에 {lesson.stem}이 없습니다"
    home_text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", home))
    for needed in ("make lab", "make test", "Colab", "교사용 안내", "강의 목록"):
        assert needed in home_text, f"첫 페이지에 '{needed}'이(가) 없습니다"
    assert not list((out / "exercises").glob("*.html")), "연습 노트북은 페이지로 만들지 않습니다 (답이 비어 있는 파일)"
    for exercise in _notebooks("exercises"):
        copy = out / "exercises" / exercise.name
        assert copy.read_bytes() == exercise.read_bytes(), f"연습 파일 {exercise.name}을 내려받을 수 없습니다"
        assert f'href="exercises/{exercise.name}" download' in home, f"첫 페이지에 {exercise.name} 내려받기가 없습니다"
    assert (out / "pagefind" / "pagefind-ui.js").is_file(), "Pagefind 검색 색인이 없습니다"
    assert (out / "search.html").is_file()


# --- 브라우저 ----------------------------------------------------------------------------------


def _korean_fonts_used(page, selector: str) -> list[str]:
    """selector의 첫 요소를 그리는 데 실제로 쓰인 글꼴 (Chromium DevTools의 CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [
        f"{f['familyName']} ({f['glyphCount']})"
        for f in fonts
        if f["glyphCount"] and KOREAN_FONTS.search(f["familyName"])
    ]


def _lesson_teaching(term: str) -> Path | None:
    """그 말을 가르치는 강의: 강의 노트북 가운데 마크다운에 그 말이 가장 많이 나오는 것."""
    counts = {}
    for path in _notebooks("notebooks"):
        nb = nbformat.read(path, as_version=4)
        counts[path] = sum(c.source.count(term) for c in nb.cells if c.cell_type == "markdown")
    best = max(counts, key=counts.get, default=None)
    return best if best is not None and counts[best] > 0 else None


def test_home_and_lesson_in_browser(site, serve, page):
    url = f"{serve(site['serve'])}/{BASE}/"
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(url)
    heading = page.locator("article h1").first
    heading.wait_for(state="visible")
    assert HANGUL.search(heading.inner_text()), heading.inner_text()
    fonts = _korean_fonts_used(page, "article h1")
    assert fonts, "첫 페이지 제목의 한글이 한글 글꼴로 그려지지 않았습니다 (fonts-nanum 같은 한글 글꼴이 필요합니다)"
    lessons = page.locator("nav.bd-links a.reference.internal")
    assert lessons.count() >= len(_notebooks("notebooks")), "왼쪽 목록에 강의가 모두 있지 않습니다"
    page.screenshot(path=str(ARTIFACTS / "site-home.png"))

    # 강의: 첫 페이지의 목록에서 그림이 있는 강의를 눌러 들어갑니다.
    lesson = next(p for p in _notebooks("notebooks") if _png_outputs(p))
    page.locator(f'article a[href="notebooks/{lesson.stem}.html"]').first.click()
    page.wait_for_url(re.compile(rf"/notebooks/{lesson.stem}\.html"))
    assert _title(lesson) in page.locator("article h1").first.inner_text()
    assert _korean_fonts_used(page, "article p"), "강의 본문의 한글이 한글 글꼴로 그려지지 않았습니다"
    assert page.locator(".bd-toc nav a").count() >= 2, "오른쪽 차례(이 페이지의 차례)가 없습니다"
    assert page.locator(".prev-next-area a").count() >= 1, "이전/다음 링크가 없습니다"
    colab = page.locator("a.course-button-colab").first
    assert colab.is_visible() and f"/notebooks/{lesson.name}" in colab.get_attribute("href")
    download = page.locator("a.course-button-download").first
    assert download.is_visible() and download.get_attribute("href") == lesson.name
    page.screenshot(path=str(ARTIFACTS / "site-lesson-top.png"))
    figure = page.locator('article img[src*="_images/"]').first
    figure.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=figure.element_handle())
    assert figure.is_visible()
    box = figure.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, f"그림이 너무 작게 그려졌습니다: {box}"
    page.evaluate("window.scrollBy(0, -200)")
    page.screenshot(path=str(ARTIFACTS / "site-lesson.png"))
    assert not page.errors, f"자바스크립트 오류: {page.errors}"


def test_math_renders(site, serve, page):
    """수식($...$)이 MathJax로 그려집니다 (사이트에 함께 둔 MathJax, 인터넷 없이)."""
    with_math = [
        p
        for p in _notebooks("notebooks")
        if 'class="math' in (site["out"] / "notebooks" / f"{p.stem}.html").read_text(encoding="utf-8")
    ]
    if not with_math:
        pytest.skip("수식이 있는 강의가 없습니다")
    lesson = with_math[0]
    page.goto(f"{serve(site['serve'])}/{BASE}/notebooks/{lesson.stem}.html")
    math = page.locator("article mjx-container").first
    math.wait_for(state="visible", timeout=30_000)
    assert page.locator("article mjx-container").count() >= 1
    text = page.locator("article").inner_text()
    assert "\\(" not in text and "$z" not in text, "그려지지 않은 TeX가 보입니다"
    math.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "site-math.png"))
    assert not page.errors, f"자바스크립트 오류: {page.errors}"


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_korean_search_finds_the_lesson(site, serve, page, term):
    lesson = _lesson_teaching(term)
    if lesson is None:
        pytest.skip(f"'{term}'을(를) 가르치는 강의가 아직 없습니다 (어느 강의 노트북에도 이 말이 없음)")
    base = f"{serve(site['serve'])}/{BASE}/"
    if term == SEARCH_TERMS[0]:
        # 사람처럼: 첫 페이지의 검색 단추를 누르고, 입력하고, Enter (머리말 검색 상자 -> search.html?q=...).
        page.goto(base, wait_until="domcontentloaded")
        page.locator("button.search-button-field").first.click()
        box = page.locator(".search-button__search-container input[name=q], form.bd-search input[name=q]").first
        box.wait_for(state="visible")
        box.fill(term)
        box.press("Enter")
        page.wait_for_url(re.compile(r"/search\.html\?q="))
    else:
        page.goto(f"{base}search.html?q={term}", wait_until="domcontentloaded")
    results = page.locator(".pagefind-ui__result")
    results.first.wait_for(state="visible", timeout=20_000)
    page.wait_for_timeout(300)  # 결과가 모두 그려질 시간
    links = page.locator(".pagefind-ui__result-link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    wanted = f"/{BASE}/notebooks/{lesson.stem}.html"
    assert any(h.split("#")[0].split("?")[0] == wanted for h in hrefs), (
        f"'{term}' 검색 결과에 이 말을 가르치는 강의({lesson.stem})가 없습니다: {hrefs}"
    )

    # 전체 결과: 이 말이 나오는 강의 페이지는 모두 찾아야 합니다 (Pagefind JS API).
    found = page.evaluate(
        """async ([bundle, term]) => {
             const pagefind = await import(bundle);
             const search = await pagefind.search(term);
             const data = await Promise.all(search.results.map(r => r.data()));
             return data.map(d => d.url);
           }""",
        [f"/{BASE}/pagefind/pagefind.js", term],
    )
    mentions = [
        p.stem
        for p in _notebooks("notebooks")
        if any(term in c.source for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown")
    ]
    missing = [stem for stem in mentions if not any(f"notebooks/{stem}.html" in u for u in found)]
    assert not missing, f"'{term}'이(가) 나오는 강의를 찾지 못했습니다: {missing} (찾은 것: {found})"

    if term != SEARCH_TERMS[0]:
        return
    page.screenshot(path=str(ARTIFACTS / "site-search.png"))
    # 결과를 눌러 강의로 갑니다 (첫 낱말에서만: 시간을 아끼려고).
    page.locator(".pagefind-ui__result-link", has_text=re.compile(re.escape(_title(lesson)[:10]))).first.click()
    page.wait_for_url(re.compile(rf"/notebooks/{lesson.stem}\.html"), wait_until="domcontentloaded")
    assert _title(lesson) in page.locator("article h1").first.inner_text()
    assert term.split()[0] in page.locator("article").inner_text()
    assert not page.errors, f"자바스크립트 오류: {page.errors}"


def test_committed_animations_play(site, serve, page):
    """커밋된 강의·해답의 jshtml 애니메이션(예: 03 강의)이 사이트에서 재생됩니다."""
    pages = [(folder, p) for folder in ("notebooks", "solutions") for p in _notebooks(folder) if _has_jshtml(p)]
    if not pages:
        pytest.skip("jshtml 애니메이션이 든 노트북이 아직 없습니다 (아래 합성 노트북 테스트가 대신 확인합니다)")
    base = serve(site["serve"])
    for folder, nb_path in pages:
        page.goto(f"{base}/{BASE}/{folder}/{nb_path.stem}.html")
        _check_animation_plays(page)
        page.screenshot(path=str(ARTIFACTS / f"site-animation-{nb_path.stem}.png"))
    assert not page.errors, f"자바스크립트 오류: {page.errors}"


# --- jshtml 애니메이션과 위젯: 테스트 안에서 만든 작은 노트북 ----------------------------------------


def _synthetic_root(base: Path) -> Path:
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=(3, 2), dpi=60)
    (line,) = ax.plot([0, 1], [0, 0])
    ax.set_ylim(-1, 5)

    def update(i):
        line.set_ydata([0, i])
        return (line,)

    jshtml = FuncAnimation(fig, update, frames=5, interval=50).to_jshtml(fps=20)
    plt.close(fig)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99. 애니메이션과 위젯 시험\n\n결정 경계가 훈련 중에 움직이는 모습을 봅니다."),
        nbformat.v4.new_code_cell(
            "anim.to_jshtml()",
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={"text/html": jshtml, "text/plain": "<IPython.core.display.HTML object>"}
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "import ipywidgets as widgets\nwidgets.VBox([widgets.IntSlider(value=3)])",
            outputs=[
                nbformat.v4.new_output(
                    "execute_result",
                    data={"text/plain": "VBox(children=(IntSlider(value=3),))"},
                    execution_count=1,
                )
            ],
        ),
    ]
    root = base / "repo"
    (root / "notebooks").mkdir(parents=True)
    nbformat.write(nb, root / "notebooks" / "99_animation.ipynb")
    return root


def test_jshtml_plays_and_widgets_show_a_note(tmp_path, serve, page):
    root = _synthetic_root(tmp_path)
    _build(root, tmp_path / "serve" / BASE, search=False)
    page.goto(f"{serve(tmp_path / 'serve')}/{BASE}/notebooks/99_animation.html")
    _check_animation_plays(page)
    note = page.locator(".widget-note").first
    assert note.is_visible(), "위젯 출력 자리에 안내가 없습니다"
    assert "실행 중인 커널" in note.inner_text()
    assert "colab.research.google.com" in note.locator("a.course-button-colab").get_attribute("href")
    assert "VBox(children=" not in page.content()
    note.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "site-animation-widget.png"))
    assert not page.errors, f"자바스크립트 오류: {page.errors}"
