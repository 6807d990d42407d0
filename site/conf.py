"""강좌 웹사이트의 Sphinx 설정 (`make site`가 tools/site.py를 거쳐 씁니다).

원본 폴더는 tools/site.py가 만드는 임시 폴더(build/site/src)이고, 이 파일과 _templates, _static, locale은
`sphinx-build -c site`로 여기서 읽습니다. 노트북은 실행하지 않습니다 (nb_execution_mode = "off").
바깥 주소에서 아무것도 불러오지 않습니다: MathJax는 사이트에 함께 두고, Font Awesome의 1.5 MB짜리 JS는 빼고
(아이콘은 테마 CSS의 웹 글꼴로 그려집니다), Sphinx 자체 검색(searchindex.js)도 싣지 않습니다 (검색은 Pagefind).
"""

import importlib.util
import json
import shutil
import tomllib
from pathlib import Path

_here = Path(__file__).resolve().parent
_course = tomllib.loads((_here.parent / "pyproject.toml").read_text(encoding="utf-8"))
_settings = _course["tool"]["course"]
_owner, _repo = _settings["repository"].rstrip("/").removesuffix(".git").split("/")[-2:]

project = "PyTorch로 배우는 분류"
author = "pytorch-kr-course"
copyright = "pytorch-kr-course, MIT License"  # noqa: A001
language = "ko"
# 공유 카드(Open Graph)와 canonical 주소: GitHub Pages의 프로젝트 사이트 주소.
html_baseurl = f"https://{_owner.lower()}.github.io/{_repo}/"
SITE_DESCRIPTION = (
    "PyTorch로 분류 문제를 처음부터 배우는 한국어 강좌: 강의 노트북, 연습 문제와 자가 점검, 해답. "
    "Colab이나 내 컴퓨터의 JupyterLab에서 바로 실행할 수 있습니다."
)

extensions = ["myst_nb", "sphinx_copybutton"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_js_files = ["course.js"]
html_favicon = "_static/favicon.svg"
exclude_patterns = ["_files", "_pages.json", "locale", "**/.ipynb_checkpoints"]

# 테마(pydata-sphinx-theme)에는 한국어 번역이 없습니다: site/locale/ko/LC_MESSAGES/sphinx.po가 채웁니다.
# tools/site.py가 원본 폴더의 locale/로 복사하고, Sphinx가 .mo로 컴파일합니다 (gettext_auto_build).
locale_dirs = ["locale"]

# 노트북: 커밋된 출력을 그대로 보여 줍니다 (다시 실행하지 않음).
nb_execution_mode = "off"
nb_merge_streams = True
# text/markdown 출력(강좌의 결과 표 show_results)을 MyST로 그립니다.
# 기본값 CommonMark에는 표가 없어 `| ... |`가 글자 그대로 보였습니다.
nb_render_markdown_format = "myst"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
# 강좌 전용 출력(application/vnd.course.results+json)은 함께 들어 있는 text/markdown으로 보여 줍니다.
suppress_warnings = ["mystnb.unknown_mime_type"]

# 복사 단추: 코드 셀과 코드 블록에만 (출력 블록은 빼고). 파일은 sphinx-copybutton이 사이트에 함께 둡니다.
copybutton_selector = "div:not(.output) > div.highlight > pre"
copybutton_exclude = ".linenos, .gp, .go"

html_theme = "sphinx_book_theme"
html_title = project
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_search_language = "en"  # Sphinx 자체 검색은 쓰지 않습니다 (한국어 검색은 Pagefind)
html_theme_options = {
    "repository_url": _settings["repository"],
    "repository_branch": _settings["branch"],
    "use_repository_button": True,
    "use_download_button": False,  # 원본 노트북 내려받기·인쇄 버튼은 페이지 제목 아래에 있습니다
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "toc_title": "이 페이지의 차례",
    "search_bar_text": "강좌 검색...",
    "show_prev_next": True,
    "navigation_with_keys": False,
    "footer_content_items": ["copyright.html"],
}

# 수식: MathJax 3.2.2를 사이트에 함께 둡니다 (CDN에 닿지 않아도 보이게). 파일은 PyPI의 sphinx-mathjax-offline
# 패키지에서 꺼내되, 그 확장 자체는 쓰지 않습니다 (MathJax 전체 24 MB를 복사하므로). 묶음 파일 tex-chtml.js
# (1.2 MB, 메뉴·접근성 모듈 포함) 대신 필요한 조각만 불러옵니다: startup + core + TeX 입력 + CHTML 출력 (~0.6 MB).
_MATHJAX_FILES = (
    "startup.js",
    "core.js",
    "input/tex-base.js",
    "input/tex/extensions",
    "output/chtml.js",
    "output/chtml/fonts",
)
_spec = importlib.util.find_spec("sphinx-mathjax-offline")
_mathjax = Path(next(iter(_spec.submodule_search_locations))) / "static" / "mathjax" if _spec else None
if _mathjax and all((_mathjax / rel).exists() for rel in _MATHJAX_FILES):
    mathjax_path = "mathjax/startup.js"
    mathjax3_config = {
        "loader": {
            "load": ["input/tex-base", "[tex]/ams", "[tex]/newcommand", "[tex]/noundefined", "output/chtml"],
        },
        "tex": {"packages": {"[+]": ["ams", "newcommand", "noundefined"]}},
    }
else:
    _mathjax = None


def _copy_mathjax(app, exc):
    if exc is not None or _mathjax is None:
        return
    for rel in _MATHJAX_FILES:
        src, dest = _mathjax / rel, Path(app.outdir) / "_static" / "mathjax" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest, dirs_exist_ok=True)
        else:
            shutil.copyfile(src, dest)


# 페이지마다의 설명(공유 카드, 검색 엔진): tools/site.py가 노트북 첫 문단에서 뽑아 _pages.json에 적습니다.
def _page_info(app) -> dict:
    cached = getattr(app, "_course_pages", None)
    if cached is None:
        path = Path(app.srcdir) / "_pages.json"
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        cached = {item["docname"]: item for key in ("notebooks", "solutions", "pages") for item in data.get(key, [])}
        app._course_pages = cached
    return cached


def _page_context(app, pagename, templatename, context, doctree):
    pages = _page_info(app)
    info = pages.get(pagename, {})
    context["course_description"] = info.get("description") or SITE_DESCRIPTION
    context["course_kind"] = info.get("kind", "")
    context["course_og_image"] = html_baseurl + "_static/og-card.png"
    context["course_page_url"] = html_baseurl + ("" if pagename == "index" else pagename + ".html")
    if pagename == "search":
        data = getattr(app, "_course_search", None)
        if data is None:
            path = Path(app.srcdir) / "_pages.json"
            raw = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
            data = {"variants": raw.get("variants", {}), "terms": raw.get("terms", [])}
            app._course_search = data
        context["course_search"] = data


def setup(app):
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _copy_mathjax)
