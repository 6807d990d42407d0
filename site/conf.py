"""강좌 웹사이트의 Sphinx 설정 (`make site`가 tools/site.py를 거쳐 씁니다).

원본 폴더는 tools/site.py가 만드는 임시 폴더(build/site/src)이고, 이 파일과 _templates, _static은
`sphinx-build -c site`로 여기서 읽습니다. 노트북은 실행하지 않습니다 (nb_execution_mode = "off").
"""

import importlib.util
import shutil
import tomllib
from pathlib import Path

_course = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
_settings = _course["tool"]["course"]

project = "PyTorch로 배우는 분류"
author = "pytorch-kr-course"
copyright = "pytorch-kr-course, MIT License"  # noqa: A001
language = "ko"

extensions = ["myst_nb"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["course.css"]
exclude_patterns = ["_files", "_pages.json", "**/.ipynb_checkpoints"]

# 노트북: 커밋된 출력을 그대로 보여 줍니다 (다시 실행하지 않음).
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
# 강좌 전용 출력(application/vnd.course.results+json)은 함께 들어 있는 text/markdown으로 보여 줍니다.
suppress_warnings = ["mystnb.unknown_mime_type"]

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
    "use_download_button": False,  # 원본 노트북 내려받기 버튼은 페이지 제목 아래에 있습니다
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "toc_title": "이 페이지의 차례",
    "show_prev_next": True,
    "navigation_with_keys": False,
    "footer_content_items": ["copyright.html"],
}

# 수식: MathJax 3.2.2를 사이트에 함께 둡니다 (CDN에 닿지 않아도 보이게). 파일은 PyPI의 sphinx-mathjax-offline
# 패키지에서 꺼내되, 그 확장 자체는 쓰지 않습니다 (MathJax 전체 24 MB를 복사하므로). 없으면 Sphinx 기본(CDN).
_MATHJAX_FILES = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2")
_spec = importlib.util.find_spec("sphinx-mathjax-offline")
_mathjax = Path(next(iter(_spec.submodule_search_locations))) / "static" / "mathjax" if _spec else None
if _mathjax and (_mathjax / "tex-chtml.js").is_file():
    mathjax_path = "mathjax/tex-chtml.js"
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


def setup(app):
    app.connect("build-finished", _copy_mathjax)
