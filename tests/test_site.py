"""강좌 웹사이트 테스트 (`make test-site`): 사이트를 한 번 만들고, 파일을 검사한 뒤 Chromium으로 봅니다.

- 만들기: `.venv-site/bin/python -m tools.site`(= `make site`)로 임시 폴더에 만듭니다 (시간 제한). 저장소의
  notebooks/, solutions/, exercises/, README.md, GLOSSARY.md의 사본을 쓰고 노트북을 다시 실행하지 않습니다.
- 파일 (페이지 내용이 바뀌어도 성립하는 성질만 봅니다): 강의·해답마다 페이지와 그림, 내려받기, 결과 표가 표로
  그려짐(`| ... |---|` 글자가 없음), 숨은 점검의 코드가 어느 파일(페이지, 내려받는 노트북, 검색 색인)에도 없음,
  그림마다 해시가 아닌 대체 글, 절 제목의 id와 '#' 링크, 해답 표시("[해답]"), 강의 07 다음은 용어집, 설명·공유 카드·
  파비콘, 바깥 주소의 스크립트·스타일 없음, 테마의 영어 이름표 없음, 용어집 페이지.
- 브라우저: 사이트를 GitHub Pages처럼 하위 경로(/pytorch-classification-ko/)에 127.0.0.1로 띄우고(GitHub Pages처럼
  글자 파일은 gzip으로 보냄) Debian의 Chromium을 Playwright로 움직입니다(tests/test_browser.py와 같은 실행 옵션).
  바깥 주소로 가는 요청은 모두 막고 기록합니다: 어느 테스트에서든 하나라도 있었으면 실패입니다.
  넓은 화면(1400 px)과 휴대전화(390 px)에서: 한글 글꼴, 그림, 수식(MathJax, 사이트에 함께 둔 것), 사이드바 단추와
  휴대전화의 두 서랍(강좌 목차, 이 페이지의 차례), 코드 셀의 복사 단추(눌러서 클립보드 확인), 첫 방문의 전송량
  (가장 무거운 강의 < 2 MB), 검색 순위 목록(검색어 >= 20개와 학습자가 찾는 페이지), 검색 결과가 절로 가는지,
  jshtml 애니메이션 재생, 위젯 자리의 안내와 기본 상태 그림.
  스크린숏은 test-artifacts/site-*.png.

`make test`(학습자용)에서는 건너뜁니다: 사이트 도구(.venv-site)를 설치하지 않게. `make test-site`가
COURSE_SITE_TESTS=1로 돌립니다. 혼자: `make test-site`
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS, require_browser

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.build_exercises import HIDDEN_BEGIN, HIDDEN_END, HIDDEN_NOTE  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
SITE_PYTHON = ROOT / ".venv-site" / "bin" / "python"
BUILD_TIMEOUT = 300  # 초. 2코어에서 보통 10초 안팎.
BASE = "pytorch-classification-ko"  # GitHub Pages 프로젝트 사이트처럼 하위 경로에 띄웁니다
HANGUL = re.compile(r"[\uac00-\ud7a3]")
KOREAN_FONTS = re.compile(r"nanum|나눔|noto sans (cjk|kr)|malgun|apple sd gothic|source han|pretendard|un ?dotum", re.I)
PAGE_WEIGHT_LIMIT = 2_000_000  # 바이트: 가장 무거운 강의의 첫 방문 전송량
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}

# 검색 순위 목록: (학습자가 입력할 검색어, 학습자가 찾는 페이지들). 결과의 강의·용어집 목록 **3위 안에** 그중 하나가
# 있어야 합니다. 페이지는 그 강의가 다루는 개념으로 골랐습니다 (제목·절이 바뀌어도 강의의 주제는 그대로).
# 이름은 노트북 이름의 앞부분(번호) 또는 'glossary'. 한국어의 다른 표기와 띄어쓰기 변형, 영어 검색어도 넣었습니다.
SEARCH_CASES: list[tuple[str, set[str]]] = [
    ("텐서", {"00"}),
    ("브로드캐스팅", {"00"}),
    ("로지스틱 회귀", {"01"}),
    ("로지스틱회귀", {"01"}),
    ("logistic regression", {"01"}),
    ("시그모이드", {"01"}),
    ("교차 엔트로피", {"01", "05"}),
    ("BCEWithLogitsLoss", {"01", "02"}),
    ("결정 경계", {"01", "02", "03"}),
    ("이진 분류", {"02"}),
    ("make_circles", {"02"}),
    ("비선형성", {"03"}),
    ("활성화 함수", {"03"}),
    ("ReLU", {"03"}),
    ("다중 분류", {"04"}),
    ("CrossEntropyLoss", {"04", "05"}),
    ("혼동 행렬", {"04", "07"}),
    ("confusion matrix", {"04", "07"}),
    ("정밀도", {"04", "07"}),
    ("소프트맥스", {"05", "04"}),
    ("소프트 맥스", {"05", "04"}),
    ("표준화", {"05"}),
    ("미니배치", {"06"}),
    ("DataLoader", {"06"}),
    ("조기 종료", {"06"}),
    ("학습률 스케줄러", {"06"}),
    ("과적합", {"glossary", "06"}),
    ("과대적합", {"glossary", "06"}),
    ("오버피팅", {"glossary", "06"}),
    ("합성곱", {"07"}),
    ("CNN", {"07"}),
    ("TensorBoard", {"07"}),
    ("용어집", {"glossary"}),
]
# 다른 표기 -> 용어집의 표기 (검색 페이지가 바꿔 찾는 것)
SEARCH_VARIANTS = {
    "과대적합": "과적합",
    "오버피팅": "과적합",
    "소프트 맥스": "소프트맥스",
    "로지스틱회귀": "로지스틱 회귀",
}
# 테마·도구에 박힌 영어 이름표: 사이트의 어느 페이지에도 남아 있으면 안 됩니다.
ENGLISH_LABELS = [
    "Toggle primary sidebar",
    "Toggle secondary sidebar",
    "Back to top",
    "Skip to main content",
    "Site navigation",
    ">On this page<",
    '"On this page"',
    "Color mode",
    "Search the docs",
    'aria-label="Main"',
    'aria-label="Page"',
    "Link to this heading",
    'title="Play"',
    "Decrease speed",
    ">Reflect<",
]

pytestmark = pytest.mark.skipif(
    os.environ.get("COURSE_SITE_TESTS") != "1",
    reason="사이트 테스트는 `make test-site`로 돌립니다 (사이트 도구 .venv-site가 필요합니다)",
)


# 다른 사람이 같은 작업 폴더에서 노트북을 고치는 중이어도 흔들리지 않게, 세션 시작 때의 사본으로 만들고 검사합니다.
SNAPSHOT: Path | None = None
# 브라우저 테스트 동안 바깥 주소로 가려던 요청 (모두 막고 여기에 적습니다). 마지막 테스트가 비어 있는지 봅니다.
OUTSIDE_REQUESTS: list[str] = []


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
    """저장소 노트북으로 만든 사이트 (세션에 한 번). notebooks, solutions, exercises, README, GLOSSARY의 사본에서."""
    global SNAPSHOT
    snapshot = tmp_path_factory.mktemp("repo")
    for folder in ("notebooks", "solutions", "exercises"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, snapshot / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name in ("README.md", "GLOSSARY.md"):
        if (ROOT / name).is_file():
            shutil.copyfile(ROOT / name, snapshot / name)
    SNAPSHOT = snapshot
    serve = tmp_path_factory.mktemp("site")
    built = _build(snapshot, serve / BASE)
    print(f"\n사이트 만들기: {built['seconds']:.1f}초")
    built["serve"] = serve
    return built


# GitHub Pages처럼 글자 파일(HTML, CSS, JS, SVG, JSON)은 브라우저가 받아들이면 gzip으로 보냅니다.
_GZIP_TYPES = (".html", ".css", ".js", ".mjs", ".svg", ".json", ".txt", ".ipynb")


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # 브라우저가 끊은 연결(BrokenPipe)은 조용히
        pass


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}
    _gzip_cache: dict[str, bytes] = {}

    def log_message(self, *args):  # 테스트 출력을 어지럽히지 않습니다
        pass

    def do_GET(self):  # noqa: N802 (http.server의 이름)
        path = Path(self.translate_path(self.path))
        if path.is_file() and path.suffix in _GZIP_TYPES and "gzip" in self.headers.get("Accept-Encoding", ""):
            key = str(path)
            body = self._gzip_cache.get(key)
            if body is None:
                body = gzip.compress(path.read_bytes(), compresslevel=6)
                self._gzip_cache[key] = body
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@pytest.fixture(scope="session")
def serve():
    """폴더를 127.0.0.1의 빈 포트로 띄우는 함수. 끝나면 모두 멈춥니다."""
    servers = []

    def start(directory: Path) -> str:
        handler = functools.partial(_Handler, directory=str(directory))
        server = _QuietServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(site, serve) -> str:
    return f"{serve(site['serve'])}/{BASE}/"


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


def _new_page(browser, viewport=DESKTOP, **kwargs):
    context = browser.new_context(viewport=viewport, locale="ko-KR", **kwargs)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))

    # 바깥 인터넷으로 가는 요청은 모두 끊고 적어 둡니다 (사이트는 바깥에서 아무것도 불러오지 않아야 합니다).
    def block(route):
        OUTSIDE_REQUESTS.append(f"{page.url} -> {route.request.url}")
        route.abort()

    page.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]|data:|blob:|about:)"), block)
    return page


@pytest.fixture
def page(browser):
    page = _new_page(browser)
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture
def phone(browser):
    page = _new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        yield page
    finally:
        page.context.close()


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


def _title(path: Path) -> str:
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise AssertionError(f"{path.name}: 첫 마크다운 제목이 없습니다")


def _pages(site) -> list[Path]:
    """사이트의 페이지들 (검색 색인과 _static의 파일은 빼고)."""
    out = site["out"]
    skip = ("_static", "pagefind", "pagefind-solutions")
    return sorted(p for p in out.rglob("*.html") if p.relative_to(out).parts[0] not in skip)


def _article(html_text: str) -> str:
    start, end = html_text.find("<article"), html_text.find("</article>")
    return html_text[start:end] if start >= 0 <= end else html_text


def _text(fragment: str) -> str:
    fragment = re.sub(r"<(script|style)\b.*?</\1>", "", fragment, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).replace("&amp;", "&")


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
        # (해답은 숨은 점검만 주석 한 줄로 바뀜: test_no_hidden_tests_anywhere가 봅니다)
        download = out / folder / nb_path.name
        assert f'href="{nb_path.name}" download' in text, f"{page.name}: 내려받기 링크가 없습니다"
        original = nbformat.read(nb_path, as_version=4)
        copy = nbformat.read(download, as_version=4)
        assert len(copy.cells) == len(original.cells), f"{download}가 커밋된 노트북과 다릅니다"
        if not any(HIDDEN_BEGIN in c.source for c in original.cells):
            assert download.read_bytes() == nb_path.read_bytes(), f"{download}가 커밋된 노트북과 다릅니다"
        assert "bd-toc" in text and "prev-next" in text, f"{page.name}: 차례나 이전/다음 탐색이 없습니다"
        assert not re.search(r"VBox\(children=|IntSlider\(value=", text), f"{page.name}: 위젯의 텍스트 표현이 보입니다"
        if _has_widget_output(nb_path):
            assert 'class="widget-note"' in text, f"{page.name}: 위젯 출력 자리에 '커널이 필요합니다' 안내가 없습니다"
            assert 'class="widget-picture"' in text, f"{page.name}: 위젯 자리에 기본 상태의 그림이 없습니다"


def test_home_page_and_exercises(site):
    out: Path = site["out"]
    home = (out / "index.html").read_text(encoding="utf-8")
    for lesson in _notebooks("notebooks"):
        assert f'href="notebooks/{lesson.stem}.html"' in home, f"첫 페이지의 강의 목록에 {lesson.stem}이 없습니다"
    home_text = _text(home)
    for needed in ("make lab", "make test", "Colab", "교사용 안내", "강의 목록"):
        assert needed in home_text, f"첫 페이지에 '{needed}'이(가) 없습니다"
    assert not list((out / "exercises").glob("*.html")), "연습 노트북은 페이지로 만들지 않습니다 (답이 비어 있는 파일)"
    for exercise in _notebooks("exercises"):
        copy = out / "exercises" / exercise.name
        assert copy.read_bytes() == exercise.read_bytes(), f"연습 파일 {exercise.name}을 내려받을 수 없습니다"
        assert f'href="exercises/{exercise.name}" download' in home, f"첫 페이지에 {exercise.name} 내려받기가 없습니다"
    assert (out / "pagefind" / "pagefind-ui.js").is_file(), "Pagefind 검색 색인이 없습니다"
    assert (out / "pagefind-solutions" / "pagefind-ui.js").is_file(), "해답의 검색 색인이 없습니다"
    assert (out / "search.html").is_file()
    assert not (out / "searchindex.js").exists(), "쓰지 않는 Sphinx 검색 색인(searchindex.js)이 사이트에 있습니다"


def test_lessons_link_to_their_exercise(site):
    """강의마다 제목 아래 버튼 줄과 끝에 연습 문제 링크가 있습니다 (연습 노트북이 있는 강의)."""
    out: Path = site["out"]
    for lesson in _notebooks("notebooks"):
        exercise = SNAPSHOT / "exercises" / f"{lesson.stem}_exercises.ipynb"
        if not exercise.is_file():
            continue
        text = (out / "notebooks" / f"{lesson.stem}.html").read_text(encoding="utf-8")
        article = _article(text)
        top = article[: article.find("</h1>") + 1500]
        assert "course-button-exercise" in top and f"/exercises/{exercise.name}" in top, (
            f"{lesson.stem}: 제목 아래에 연습 문제 링크가 없습니다"
        )
        assert f'href="../exercises/{exercise.name}" download' in text, (
            f"{lesson.stem}: 연습 노트북 내려받기가 없습니다"
        )
        assert "data-course-print" in top, f"{lesson.stem}: 인쇄 / PDF 단추가 없습니다"


def test_results_tables_are_tables(site):
    """text/markdown 출력(결과 표)이 표로 그려집니다: 어느 페이지에도 `| ... |` + `|---|` 글자가 남지 않습니다."""
    out: Path = site["out"]
    pipe_table = re.compile(r"^\s*\|.*\|\s*$\n^\s*\|\s*:?-{3,}", re.M)
    for page in _pages(site):
        article = _without_code_cells(_article(page.read_text(encoding="utf-8")))
        text = _text(article).replace(" | ", "|")
        plain = re.sub(r"<[^>]+>", "\n", article)
        assert not pipe_table.search(plain), f"{page.relative_to(out)}: 표가 `| ... |` 글자로 보입니다"
        assert "|---|" not in text, f"{page.relative_to(out)}: 표가 `|---|` 글자로 보입니다"
    for folder in ("notebooks", "solutions"):
        for nb_path in _notebooks(folder):
            tables = sum(
                1
                for _, o in _outputs(nb_path)
                if pipe_table.search("".join(o.get("data", {}).get("text/markdown", "")))
            )
            html_text = (out / folder / f"{nb_path.stem}.html").read_text(encoding="utf-8")
            outputs = "".join(re.findall(r'<div class="cell_output.*?</table>', html_text, re.S))
            in_outputs = len(re.findall(r"<table", outputs))
            assert in_outputs >= tables, f"{nb_path.stem}: 결과 표 {tables}개 중 {in_outputs}개만 <table>로 그려짐"


def _without_code_cells(article: str) -> str:
    """코드 셀의 입력(코드)을 뺀 본문: 코드 안의 `|---|` 글자(표를 만드는 코드)는 표가 아닙니다."""
    while (start := article.find('<div class="cell_input')) >= 0:
        end = article.find("</pre>", start)
        article = article[:start] + article[end + 6 :] if end >= 0 else article[:start]
    return article


IMPORT_LINE = re.compile(r"(from\s+\S+\s+)?import\s")


def _hidden_blocks() -> list[tuple[str, list[str]]]:
    """해답 노트북의 숨은 점검 코드 줄들: [(노트북 이름, [줄, ...])]. 짧거나 흔한 줄은 뺍니다."""
    blocks = []
    for nb_path in _notebooks("solutions"):
        for cell in nbformat.read(nb_path, as_version=4).cells:
            if cell.cell_type != "code" or HIDDEN_BEGIN not in cell.source:
                continue
            inside, lines = False, []
            visible = set()
            for line in cell.source.splitlines():
                if line.strip() == HIDDEN_BEGIN:
                    inside = True
                elif line.strip() == HIDDEN_END:
                    inside = False
                elif inside:
                    lines.append(line.strip())
                else:
                    visible.add(line.strip())
            # 보이는 점검에도 똑같이 있는 줄(예: model.train(...))과 import 줄(교사용 안내의 예에도 있는
            # `from helper_functions import grading_seed`)은 숨은 점검의 내용이 아닙니다.
            distinctive = [
                ln
                for ln in lines
                if len(ln) >= 25 and ln not in visible and not ln.startswith("#") and not IMPORT_LINE.match(ln)
            ]
            blocks.append((nb_path.name, distinctive))
    return blocks


def _decoded_files(out: Path):
    """사이트의 글자 파일 (HTML, 노트북, JS, JSON)과 Pagefind 색인 조각(gzip)을 풀어서."""
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix in (".html", ".ipynb", ".js", ".json", ".txt", ".md"):
            yield path, path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix in (".pf_fragment", ".pf_index", ".pf_meta"):
            data = path.read_bytes()
            try:
                data = gzip.decompress(data)
            except OSError:
                pass
            yield path, data.decode("utf-8", errors="replace")


def test_no_hidden_tests_anywhere(site):
    """이슈 22: 해답 페이지, 내려받는 해답 노트북, 검색 색인 어디에도 숨은 점검의 코드가 없습니다.
    그 자리에는 연습 노트북과 같은 주석 한 줄이 있습니다."""
    out: Path = site["out"]
    blocks = _hidden_blocks()
    if not blocks:
        pytest.skip("숨은 점검이 있는 해답이 없습니다")
    lines = {line: name for name, block in blocks for line in block}
    assert lines, "숨은 점검에서 비교할 줄을 찾지 못했습니다"
    for path, text in _decoded_files(out):
        unescaped = text.replace("&quot;", '"').replace("&#39;", "'").replace("&gt;", ">").replace("&lt;", "<")
        unescaped = unescaped.replace("&amp;", "&")
        unescaped = re.sub(r"<[^>]+>", "", unescaped)  # 코드 강조(span)를 빼고
        if "solutions" in path.relative_to(out).parts[0]:  # 첫 페이지의 교사용 안내는 표시 글자를 설명합니다
            for marker in (HIDDEN_BEGIN, HIDDEN_END):
                assert marker not in unescaped, f"{path.relative_to(out)}: 숨은 점검 표시 '{marker}'가 있습니다"
        leaked = [line for line in lines if line in unescaped]
        assert not leaked, f"{path.relative_to(out)}: 숨은 점검의 코드가 보입니다 ({lines[leaked[0]]}): {leaked[:3]}"
    for name, _ in blocks:
        stem = Path(name).stem
        page = (out / "solutions" / f"{stem}.html").read_text(encoding="utf-8")
        note = HIDDEN_NOTE.lstrip("# ").split(":")[0]
        assert note in _text(page), f"{stem}: 숨은 점검 자리에 연습 노트북과 같은 주석이 없습니다"
        copy = nbformat.read(out / "solutions" / name, as_version=4)
        assert any(HIDDEN_NOTE in c.source for c in copy.cells), f"내려받는 {name}에 숨은 점검 자리 주석이 없습니다"


_HASHY = re.compile(r"[0-9a-f]{16,}|\.(png|jpe?g|svg|gif)$", re.I)


def test_figures_have_alt_text(site):
    """그림마다 해시가 아닌 대체 글(alt): 그 그림을 그린 코드의 제목에서."""
    out: Path = site["out"]
    total = 0
    for page in _pages(site):
        article = _article(page.read_text(encoding="utf-8"))
        for tag in re.findall(r"<img\b[^>]*>", article):
            total += 1
            alt = re.search(r'\salt="([^"]*)"', tag)
            where = f"{page.relative_to(out)}: {tag[:160]}"
            assert alt and alt.group(1).strip(), f"대체 글이 없는 그림: {where}"
            text = alt.group(1)
            assert not _HASHY.search(text), f"대체 글이 파일 이름(해시)입니다: {where}"
            words = len(re.findall(r"[A-Za-z]{3,}", text))
            assert HANGUL.search(text) or words >= 2, f"대체 글이 그림을 말하지 않습니다: {where}"
    expected = sum(_png_outputs(p) for f in ("notebooks", "solutions") for p in _notebooks(f))
    assert total >= expected, f"본문의 그림 {total}개 < 노트북의 그림 출력 {expected}개"


def test_section_headings_have_ids(site):
    """절 제목(h1-h3)마다 id가 있고(검색 결과가 그 절로 갑니다) '#' 링크는 그 id를 가리키며 검색 색인에서 빠집니다."""
    out: Path = site["out"]
    for folder in ("notebooks", "solutions"):
        for nb_path in _notebooks(folder):
            page = out / folder / f"{nb_path.stem}.html"
            article = _article(page.read_text(encoding="utf-8"))
            headings = re.findall(r"<h([1-3])([^>]*)>(.*?)</h\1>", article, re.S)
            assert headings, f"{page.name}: 절 제목이 없습니다"
            ids = []
            for level, attrs, body in headings:
                m = re.search(r'\bid="([^"]+)"', attrs)
                assert m, f"{page.name}: id가 없는 제목 h{level}: {_text(body)[:60]}"
                ids.append(m.group(1))
                link = re.search(r'<a class="headerlink"([^>]*)>', body)
                assert link, f"{page.name}: 제목 '{_text(body)[:40]}'에 '#' 링크가 없습니다"
                assert "data-pagefind-ignore" in link.group(1), f"{page.name}: '#' 링크가 검색 색인에 들어갑니다"
                assert f'href="#{m.group(1)}"' in link.group(1), (
                    f"{page.name}: '#' 링크가 제목의 id를 가리키지 않습니다"
                )
            assert len(ids) == len(set(ids)), f"{page.name}: 같은 id가 두 번 나옵니다"


def test_solutions_are_labelled(site):
    """해답은 제목, 브라우저 탭 제목, 왼쪽 목록에서 '해답'으로 보입니다 (강의를 찾다가 해답을 열지 않게)."""
    out: Path = site["out"]
    home = (out / "index.html").read_text(encoding="utf-8")
    nav = home[home.find('class="bd-links') :]
    nav = nav[: nav.find("</nav>")]
    for nb_path in _notebooks("solutions"):
        text = (out / "solutions" / f"{nb_path.stem}.html").read_text(encoding="utf-8")
        h1 = _text(re.search(r"<h1\b.*?</h1>", _article(text), re.S).group(0))
        assert "해답" in h1, f"{nb_path.stem}: 페이지 제목에 '해답'이 없습니다: {h1}"
        assert "해답" in _text(re.search(r"<title>(.*?)</title>", text, re.S).group(1))
        link = re.search(rf'<a[^>]*href="solutions/{nb_path.stem}\.html"[^>]*>(.*?)</a>', nav, re.S)
        assert link and "해답" in _text(link.group(1)), f"왼쪽 목록의 {nb_path.stem}에 '해답' 표시가 없습니다"


def test_order_lessons_glossary_solutions(site):
    """마지막 강의의 '다음'은 용어집(또는 해답 목록)이지 해답 00이 아닙니다. 용어집 페이지가 있습니다."""
    out: Path = site["out"]
    lessons = _notebooks("notebooks")
    last = (out / "notebooks" / f"{lessons[-1].stem}.html").read_text(encoding="utf-8")
    nxt = re.search(r'<link rel="next" title="[^"]*" href="([^"]+)"', last)
    assert nxt, f"{lessons[-1].stem}에 '다음' 링크가 없습니다"
    assert nxt.group(1) in ("../glossary.html", "../solutions/index.html"), f"강의 다음이 {nxt.group(1)}입니다"
    glossary = out / "glossary.html"
    text = _text(_article(glossary.read_text(encoding="utf-8")))
    for line in (SNAPSHOT / "GLOSSARY.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        is_row = line.startswith("|") and len(cells) > 3 and cells[1] not in ("한국어", "")
        if is_row and not set(cells[1]) <= set("-:"):
            assert cells[1] in text, f"용어집 페이지에 '{cells[1]}'이(가) 없습니다"
    assert "오버피팅" in text, "용어집 페이지에 검색이 알아듣는 다른 표기(예: 오버피팅)가 없습니다"


def test_meta_tags_and_favicon(site):
    """페이지마다 설명과 공유 카드(Open Graph) 태그, 파비콘. 공유 카드 그림은 사이트에 있습니다."""
    out: Path = site["out"]
    assert (out / "_static" / "og-card.png").is_file() and (out / "_static" / "favicon.svg").is_file()
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(out)
        head = text[: text.find("</head>")]
        for prop in ("og:title", "og:description", "og:image", "og:url", "og:type"):
            m = re.search(rf'<meta property="{prop}" content="([^"]+)"', head)
            assert m and m.group(1).strip(), f"{where}: {prop}가 없습니다"
        assert re.search(r'<meta property="og:image" content="https://[^"]+/_static/og-card\.png"', head), where
        assert re.search(r'<meta name="description" content="[^"]{20,}"', head), f"{where}: 설명이 없습니다"
        assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg"', head), f"{where}: 파비콘이 없습니다"


def test_nothing_loaded_from_outside_in_html(site):
    """스크립트, 스타일, 글꼴, 아이콘을 바깥 주소에서 싣는 태그가 없습니다 (브라우저 테스트는 실제 요청을 봅니다)."""
    out: Path = site["out"]
    outside = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\s(?:src|href)="(?:https?:)?//[^"]+"[^>]*>', re.I)
    for page in _pages(site):
        for tag in outside.findall(page.read_text(encoding="utf-8")):
            if tag.startswith("<link") and re.search(r'rel="(canonical|next|prev)"', tag):
                continue
            raise AssertionError(f"{page.relative_to(out)}: 바깥 주소에서 싣습니다: {tag[:200]}")


def test_interface_is_korean(site):
    out: Path = site["out"]
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        found = [label for label in ENGLISH_LABELS if label in text]
        assert not found, f"{page.relative_to(out)}: 영어 이름표가 남았습니다: {found}"


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


def _shot(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"site-{name}.png"), full_page=full_page)


def test_home_and_lesson_in_browser(site, base_url, page):
    page.goto(base_url)
    heading = page.locator("article h1").first
    heading.wait_for(state="visible")
    assert HANGUL.search(heading.inner_text()), heading.inner_text()
    fonts = _korean_fonts_used(page, "article h1")
    assert fonts, "첫 페이지 제목의 한글이 한글 글꼴로 그려지지 않았습니다 (fonts-nanum 같은 한글 글꼴이 필요합니다)"
    lessons = page.locator("nav.bd-links a.reference.internal")
    assert lessons.count() >= len(_notebooks("notebooks")), "왼쪽 목록에 강의가 모두 있지 않습니다"
    _shot(page, "home")

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
    # 아이콘(Font Awesome)은 테마 CSS의 웹 글꼴로 그려집니다 (1.5 MB짜리 JS 없이): ☰ 아이콘에 폭이 있어야 합니다.
    icon = page.locator(".bd-header-article .primary-toggle span.fa-bars").first
    width = page.evaluate("(el) => el.getBoundingClientRect().width", icon.element_handle())
    glyph = page.evaluate("(el) => getComputedStyle(el, '::before').content", icon.element_handle())
    assert width > 5 and glyph not in ("none", "normal", '""'), f"☰ 아이콘이 그려지지 않았습니다 ({width}, {glyph})"
    _shot(page, "lesson-top")
    figure = page.locator('article img[src*="_images/"]').first
    figure.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=figure.element_handle())
    assert figure.is_visible()
    box = figure.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, f"그림이 너무 작게 그려졌습니다: {box}"
    page.evaluate("window.scrollBy(0, -200)")
    _shot(page, "lesson")
    assert not page.errors, f"자바스크립트 오류: {page.errors}"


def test_results_table_in_browser(site, base_url, page):
    """결과 표(show_results)가 브라우저에서 행과 열이 있는 표로 보입니다."""
    with_table = [
        p
        for p in _notebooks("notebooks")
        if any("|---" in str(o.get("data", {}).get("text/markdown", "")) for _, o in _outputs(p))
    ]
    if not with_table:
        pytest.skip("결과 표가 있는 강의가 없습니다")
    page.goto(f"{base_url}notebooks/{with_table[0].stem}.html")
    table = page.locator("div.cell_output table").last
    table.scroll_into_view_if_needed()
    assert table.is_visible()
    assert table.locator("th").count() >= 2 and table.locator("tbody tr").count() >= 1
    assert "|---" not in page.locator("article").inner_text()
    _shot(page, "table")


def test_math_renders(site, base_url, page):
    """수식($...$)이 MathJax로 그려집니다 (사이트에 함께 둔 MathJax, 인터넷 없이)."""
    with_math = [
        p
        for p in _notebooks("notebooks")
        if 'class="math' in (site["out"] / "notebooks" / f"{p.stem}.html").read_text(encoding="utf-8")
    ]
    if not with_math:
        pytest.skip("수식이 있는 강의가 없습니다")
    lesson = with_math[0]
    page.goto(f"{base_url}notebooks/{lesson.stem}.html")
    math = page.locator("article mjx-container").first
    math.wait_for(state="visible", timeout=30_000)
    assert page.locator("article mjx-container").count() >= 1
    text = page.locator("article").inner_text()
    assert "\\(" not in text and "$z" not in text, "그려지지 않은 TeX가 보입니다"
    math.scroll_into_view_if_needed()
    _shot(page, "math")
    assert not page.errors, f"자바스크립트 오류: {page.errors}"


def _visible(page, selector: str):
    """selector에 맞는 요소 가운데 화면에 보이는 첫 요소."""
    items = page.locator(selector)
    for i in range(items.count()):
        if items.nth(i).is_visible():
            return items.nth(i)
    raise AssertionError(f"보이는 {selector}가 없습니다")


def test_phone_drawers_open(site, base_url, phone):
    """휴대전화(390 px)에서 ☰ 단추는 강좌 목차 서랍을, 차례 단추는 이 페이지의 차례 서랍을 엽니다
    (pydata-sphinx-theme #2451: 두 번째 단추에 동작이 붙지 않던 버그의 우회)."""
    lesson = _notebooks("notebooks")[-1]
    phone.goto(f"{base_url}notebooks/{lesson.stem}.html")
    phone.locator("article h1").first.wait_for(state="visible")
    phone.wait_for_load_state("load")
    _shot(phone, "phone-lesson")

    _visible(phone, ".primary-toggle").click()
    drawer = phone.locator("dialog#pst-primary-sidebar-modal")
    drawer.wait_for(state="visible", timeout=5_000)
    links = drawer.locator("nav.bd-links a.reference.internal")
    assert links.count() >= len(_notebooks("notebooks")), "강좌 목차 서랍에 강의 목록이 없습니다"
    assert links.first.is_visible()
    box = drawer.bounding_box()
    assert box and box["width"] >= 200, f"강좌 목차 서랍이 너무 좁습니다: {box}"
    _shot(phone, "phone-menu")
    phone.keyboard.press("Escape")
    drawer.wait_for(state="hidden", timeout=5_000)

    _visible(phone, ".secondary-toggle").click()
    toc = phone.locator("dialog#pst-secondary-sidebar-modal")
    toc.wait_for(state="visible", timeout=5_000)
    entries = toc.locator("nav a")
    assert entries.count() >= 2 and entries.first.is_visible(), "이 페이지의 차례 서랍에 절 목록이 없습니다"
    _shot(phone, "phone-toc")
    # 서랍의 절을 누르면 그 절로 가고 서랍은 닫힙니다.
    target = entries.nth(1)
    href = target.get_attribute("href")
    target.click()
    phone.wait_for_function("(h) => location.hash === h", arg=href, timeout=5_000)
    phone.keyboard.press("Escape")
    assert not phone.errors, f"자바스크립트 오류: {phone.errors}"


def test_desktop_menu_button_collapses_sidebar(site, base_url, page):
    """넓은 화면에서 글 머리말의 ☰는 왼쪽 목록을 접고 다시 펼칩니다."""
    page.goto(f"{base_url}notebooks/{_notebooks('notebooks')[0].stem}.html")
    sidebar = page.locator("#pst-primary-sidebar")
    sidebar.wait_for(state="visible")
    page.wait_for_load_state("load")
    button = _visible(page, ".primary-toggle")
    button.click()
    sidebar.wait_for(state="hidden", timeout=5_000)
    assert not page.locator("dialog#pst-primary-sidebar-modal[open]").count(), "넓은 화면에서 서랍(모달)이 열렸습니다"
    _shot(page, "desktop-sidebar-collapsed")
    button.click()
    sidebar.wait_for(state="visible", timeout=5_000)


def test_copy_buttons(site, base_url, browser):
    """코드 셀마다 복사 단추가 있고, 누르면 그 셀의 코드가 클립보드에 들어갑니다 (출력 블록에는 단추가 없습니다)."""
    page = _new_page(browser, permissions=["clipboard-read", "clipboard-write"])
    try:
        lesson = _notebooks("notebooks")[1 if len(_notebooks("notebooks")) > 1 else 0]
        page.goto(f"{base_url}notebooks/{lesson.stem}.html")
        page.wait_for_function("() => document.querySelectorAll('button.copybtn').length > 0", timeout=10_000)
        cells = page.locator("div.cell_input div.highlight pre")
        assert cells.count() >= 1
        with_button = page.evaluate(
            """() => Array.from(document.querySelectorAll('div.cell_input div.highlight pre'))
                 .filter(pre => pre.nextElementSibling && pre.nextElementSibling.matches('button.copybtn')).length"""
        )
        assert with_button == cells.count(), f"복사 단추: 코드 셀 {cells.count()}개 중 {with_button}개"
        assert page.locator("div.cell_output button.copybtn").count() == 0, "출력 블록에 복사 단추가 있습니다"
        first = cells.first
        first.scroll_into_view_if_needed()
        first.hover()
        button = page.locator("div.cell_input button.copybtn").first
        assert button.get_attribute("data-tooltip") == "복사"
        button.click()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied.strip() and copied.strip() == first.inner_text().strip(), "클립보드의 글이 코드 셀과 다릅니다"
        _shot(page, "copy-button")
        assert not page.errors, f"자바스크립트 오류: {page.errors}"
    finally:
        page.context.close()


def test_page_weight_first_visit(site, base_url, browser):
    """강의마다 첫 방문(캐시 없음)의 전송량을 잽니다: 가장 무거운 강의도 2 MB 미만 (GitHub Pages처럼 gzip)."""
    weights = {}
    for lesson in _notebooks("notebooks"):
        page = _new_page(browser)
        try:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            sent = {"wire": 0, "raw": 0}

            def add(key: str, field: str, sent: dict = sent):
                return lambda e: sent.__setitem__(key, sent[key] + e[field])

            cdp.on("Network.loadingFinished", add("wire", "encodedDataLength"))
            cdp.on("Network.dataReceived", add("raw", "dataLength"))
            page.goto(f"{base_url}notebooks/{lesson.stem}.html", wait_until="load")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
            weights[lesson.stem] = dict(sent)
        finally:
            page.context.close()
    heaviest = max(weights, key=lambda k: weights[k]["wire"])
    report = ", ".join(f"{k[:2]}: {v['wire'] / 1e6:.2f} MB (풀면 {v['raw'] / 1e6:.2f})" for k, v in weights.items())
    print(f"\n첫 방문 전송량: {report}")
    assert weights[heaviest]["wire"] < PAGE_WEIGHT_LIMIT, (
        f"가장 무거운 강의 {heaviest}의 첫 방문이 {weights[heaviest]['wire'] / 1e6:.2f} MB입니다 (한도 2 MB). {report}"
    )


def _search_results(page, base_url: str, query: str) -> tuple[list[str], list[str], list[str]]:
    """검색 페이지에서 찾습니다: (강의·용어집 결과의 페이지 주소들, 그 절 링크들, 해답 결과의 페이지 주소들).
    이미 검색 페이지에 있으면 페이지를 다시 열지 않고 같은 검색 상자로 찾습니다 (search.html?q=와 같은 길)."""
    if "/search.html" in page.url and page.evaluate("() => !!window.courseSearch"):
        page.evaluate("(q) => window.courseSearch.lessons.triggerSearch(q)", query)
    else:
        page.goto(f"{base_url}search.html?q={query}", wait_until="domcontentloaded")
    term = page.evaluate("(q) => window.courseSearchTerm(q)", query)
    done = """([box, term]) => {
        const m = document.querySelector(box + ' .pagefind-ui__message');
        const results = document.querySelectorAll(box + ' .pagefind-ui__result').length;
        const loaded = document.querySelectorAll(
            box + ' .pagefind-ui__result > .pagefind-ui__result-inner > .pagefind-ui__result-title a').length;
        const pending = document.querySelectorAll(box + ' .pagefind-ui__loading').length;
        return m && m.textContent.includes(term) && !/검색 중|Searching/.test(m.textContent)
            && results === loaded && pending === 0;
    }"""
    # 강의 결과의 알림 글은 입력한 검색어를, 해답 결과는 용어집 표기로 바꾼 검색어를 보여 줍니다.
    page.wait_for_function(done, arg=["#pagefind-search", query.strip()], timeout=20_000)
    page.wait_for_function(done, arg=["#pagefind-solutions", term], timeout=20_000)
    page.wait_for_timeout(150)  # 결과가 모두 그려질 시간

    def links(selector: str) -> list[str]:
        return page.evaluate(
            "(sel) => Array.from(document.querySelectorAll(sel)).map(a => a.getAttribute('href'))", selector
        )

    title = ".pagefind-ui__result > .pagefind-ui__result-inner > .pagefind-ui__result-title a"
    lessons = links(f"#pagefind-search {title}")
    sections = links("#pagefind-search .pagefind-ui__result-nested a.pagefind-ui__result-link")
    solutions = links(f"#pagefind-solutions {title}")
    return lessons, sections, solutions


def _page_key(href: str) -> str:
    path = unquote(urlsplit(href).path).rstrip("/")
    name = path.rsplit("/", 1)[-1]
    if name in ("", BASE):
        return "home"
    return name.removesuffix(".html")[:2] if re.match(r"\d\d_", name) else name.removesuffix(".html")


def test_search_ranking_list(site, base_url, page):
    """검색 순위 목록 (이슈 20): 검색어마다 학습자가 찾는 페이지가 강의·용어집 결과 3위 안에 있고, 해답 결과는
    강의 결과 아래에 따로 보입니다. 다른 표기(오버피팅, 소프트 맥스, 로지스틱회귀)는 용어집의 표기로 찾습니다."""
    assert len(SEARCH_CASES) >= 20
    stems = {p.stem[:2] for p in _notebooks("notebooks")} | {"glossary"}
    failures, ranks = [], []
    for query, wanted in SEARCH_CASES:
        wanted = wanted & stems
        if not wanted:
            continue
        lessons, _, solutions = _search_results(page, base_url, query)
        keys = [_page_key(h) for h in lessons]
        rank = next((i + 1 for i, k in enumerate(keys) if k in wanted), None)
        ranks.append(f"{query}: {rank}")
        if rank is None or rank > 3:
            failures.append(f"'{query}' -> {keys[:5]} (찾는 페이지 {sorted(wanted)}: {rank}위)")
        assert all("/solutions/" in h for h in solutions), f"'{query}': 해답 목록에 다른 페이지가 있습니다: {solutions}"
        assert not any("/solutions/" in h for h in lessons), f"'{query}': 강의 결과에 해답이 섞였습니다: {lessons}"
    print("\n검색 순위: " + ", ".join(ranks))
    assert not failures, "찾는 페이지가 3위 안에 없습니다:\n" + "\n".join(failures)

    # 다른 표기는 용어집의 표기로 바꿔 찾고, 그렇게 했다고 알려 줍니다.
    for variant, term in SEARCH_VARIANTS.items():
        _search_results(page, base_url, variant)
        note = page.locator("#course-search-note")
        assert note.is_visible() and term in note.inner_text(), f"'{variant}'을(를) '{term}'(으)로 찾지 않았습니다"
    # 해답은 강의 결과 아래, '해답' 제목 밑에 보입니다.
    _search_results(page, base_url, "혼동 행렬")
    solutions_box = page.locator("#course-solutions-results")
    assert solutions_box.is_visible() and "해답" in solutions_box.locator("h2").inner_text()
    lesson_box = page.locator("#pagefind-search").bounding_box()
    assert solutions_box.bounding_box()["y"] > lesson_box["y"], "해답 결과가 강의 결과보다 위에 있습니다"
    _shot(page, "search")
    assert not page.errors, f"자바스크립트 오류: {page.errors}"


def test_search_from_header_lands_on_section(site, base_url, page):
    """사람처럼: 머리말의 검색 단추 -> 입력 -> Enter -> 결과의 절 링크를 누르면 그 절의 제목이 화면 위쪽에 보입니다."""
    query = "혼동 행렬"
    page.goto(base_url, wait_until="domcontentloaded")
    page.locator("button.search-button-field").first.click()
    box = page.locator(".search-button__search-container input[name=q], form.bd-search input[name=q]").first
    box.wait_for(state="visible")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\.html\?q="))
    _, sections, _ = _search_results(page, base_url, query)
    with_anchor = [h for h in sections if "#" in h]
    assert with_anchor, f"'{query}' 결과에 절 링크(#...)가 없습니다: {sections}"

    def served_file(href: str) -> Path:
        path = unquote(urlsplit(href.split("#")[0]).path).lstrip("/")
        return site["serve"] / (path + "index.html" if path.endswith("/") else path)

    def h1_id(href: str) -> str:
        html_file = served_file(href)
        m = re.search(r'<h1 id="([^"]+)"', html_file.read_text(encoding="utf-8"))
        return m.group(1) if m else ""

    # 제목(h1)이 아닌 절로 가는 링크를 고릅니다 (결과가 페이지 맨 위가 아니라 그 절로 가는지 보려고).
    inner = [h for h in with_anchor if unquote(h.split("#", 1)[1]) != h1_id(h)]
    assert inner, f"'{query}' 결과에 본문의 절로 가는 링크가 없습니다: {with_anchor}"
    target = inner[0]
    page_path, anchor = target.split("#", 1)
    html_text = served_file(target).read_text(encoding="utf-8")
    assert f'id="{unquote(anchor)}"' in html_text, f"{target}: 그 id의 제목이 페이지에 없습니다"
    page.locator(f'#pagefind-search a.pagefind-ui__result-link[href="{target}"]').first.click()
    page.wait_for_url(re.compile(re.escape(page_path.split("/")[-1]) + "#"), wait_until="domcontentloaded")
    heading = page.locator(f'[id="{unquote(anchor)}"]')
    heading.wait_for(state="visible")
    page.wait_for_timeout(300)
    top = page.evaluate("(el) => el.getBoundingClientRect().top", heading.element_handle())
    assert 0 <= top < 400, f"결과를 눌렀는데 절 제목이 화면 위쪽에 있지 않습니다 (top={top})"
    assert query.split()[0] in page.locator("article").inner_text()
    _shot(page, "search-landed")
    assert not page.errors, f"자바스크립트 오류: {page.errors}"


def test_search_on_phone(site, base_url, phone):
    phone.goto(f"{base_url}search.html?q=소프트맥스", wait_until="domcontentloaded")
    phone.locator("#pagefind-search .pagefind-ui__result").first.wait_for(state="visible", timeout=20_000)
    phone.wait_for_timeout(300)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 2, f"검색 페이지가 휴대전화 화면보다 넓습니다 ({width} px)"
    _shot(phone, "phone-search")


def _check_animation_plays(page) -> None:
    """matplotlib의 to_jshtml() 애니메이션: 스크립트가 첫 장면을 그렸고, 재생을 누르면 장면이 바뀝니다."""
    frame = page.locator("div.animation img").first
    frame.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.src.startsWith('data:image/')", arg=frame.element_handle())
    first = frame.get_attribute("src")
    slider = page.locator("div.animation input.anim-slider").first
    start = int(slider.input_value())
    play = page.locator('div.animation button[onclick$=".play_animation()"]').first
    assert play.get_attribute("title") == "재생", "애니메이션 단추 이름이 한국어가 아닙니다"
    icon_width = page.evaluate("(el) => el.querySelector('i').getBoundingClientRect().width", play.element_handle())
    assert icon_width > 4, "애니메이션 단추의 아이콘이 그려지지 않았습니다"
    play.click()
    page.wait_for_function("([img, first]) => img.src !== first", arg=[frame.element_handle(), first], timeout=10_000)
    assert int(slider.input_value()) != start, "애니메이션이 재생되지 않았습니다 (슬라이더가 그대로)"
    page.locator('div.animation button[onclick$=".pause_animation()"]').first.click()
    alt = frame.get_attribute("alt") or ""
    assert HANGUL.search(alt), f"애니메이션 그림에 대체 글이 없습니다: {alt!r}"


def test_committed_animations_play(site, base_url, page):
    """커밋된 강의·해답의 jshtml 애니메이션(예: 03 강의)이 사이트에서 재생되고, 읽을 수 있는 크기로 보입니다."""
    pages = [(folder, p) for folder in ("notebooks", "solutions") for p in _notebooks(folder) if _has_jshtml(p)]
    if not pages:
        pytest.skip("jshtml 애니메이션이 든 노트북이 아직 없습니다 (아래 합성 노트북 테스트가 대신 확인합니다)")
    for folder, nb_path in pages:
        page.goto(f"{base_url}{folder}/{nb_path.stem}.html")
        _check_animation_plays(page)
        width = page.locator("div.animation img").first.bounding_box()["width"]
        assert width >= 400, f"{nb_path.stem}: 애니메이션이 {width:.0f} px로 작게 보입니다"
        _shot(page, f"animation-{nb_path.stem}")
    assert not page.errors, f"자바스크립트 오류: {page.errors}"


def test_committed_widget_note_in_browser(site, base_url, page):
    pages = [p for p in _notebooks("notebooks") if _has_widget_output(p)]
    if not pages:
        pytest.skip("위젯이 든 강의가 없습니다")
    page.goto(f"{base_url}notebooks/{pages[0].stem}.html")
    note = page.locator(".widget-note").first
    note.scroll_into_view_if_needed()
    assert note.is_visible() and "실행 중인 커널" in note.inner_text()
    picture = note.locator(".widget-picture")
    assert picture.is_visible() and picture.locator(".widget-row").count() >= 2, "위젯 기본 상태의 그림이 없습니다"
    _shot(page, "widget")


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
            'ax.set_title("움직이는 선")\nanim.to_jshtml()',
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={"text/html": jshtml, "text/plain": "<IPython.core.display.HTML object>"}
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            'import ipywidgets as widgets\nwidgets.VBox([widgets.IntSlider(value=3, max=10, description="유닛"),'
            ' widgets.Dropdown(options=["a", "b"], value="b", description="고르기")])',
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
    picture = note.locator(".widget-picture")
    assert "유닛" in picture.inner_text() and "3" in picture.inner_text() and "b" in picture.inner_text()
    assert "colab.research.google.com" in note.locator("a.course-button-colab").get_attribute("href")
    assert "VBox(children=" not in page.content()
    note.scroll_into_view_if_needed()
    _shot(page, "animation-widget")
    assert not page.errors, f"자바스크립트 오류: {page.errors}"


def test_zz_no_request_left_the_site():
    """위의 모든 브라우저 테스트에서 바깥 주소로 가려던 요청이 하나도 없었습니다 (글꼴, 아이콘, MathJax, CDN ...).
    이름의 zz_: 같은 파일의 다른 테스트가 모두 끝난 뒤에 돕니다."""
    assert not OUTSIDE_REQUESTS, "바깥 주소로 가려던 요청:\n" + "\n".join(sorted(set(OUTSIDE_REQUESTS))[:20])


def test_search_index_json_is_valid(site):
    """Pagefind 색인 두 개가 모두 만들어졌고, 강의 페이지는 주 색인, 해답은 해답 색인에만 있습니다."""
    out: Path = site["out"]
    for bundle in ("pagefind", "pagefind-solutions"):
        entry = json.loads((out / bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry.get("languages"), f"{bundle}: 색인이 비어 있습니다"

    def pages_in(bundle: str) -> int:
        entry = json.loads((out / bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(v["page_count"] for v in entry["languages"].values())

    main_pages, solution_pages = pages_in("pagefind"), pages_in("pagefind-solutions")
    assert solution_pages == len(_notebooks("solutions"))
    assert main_pages == len(_notebooks("notebooks")) + 2  # 강의 + 첫 페이지 + 용어집
