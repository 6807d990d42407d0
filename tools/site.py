"""강좌 웹사이트: 커밋된(실행된) 노트북과 README로 정적 사이트를 만듭니다. 노트북은 다시 실행하지 않습니다.

    make site                                    # .venv-site를 준비하고 _site/에 만듭니다
    .venv-site/bin/python -m tools.site          # 같은 것 (환경이 이미 있을 때)
    .venv-site/bin/python -m tools.site --root DIR --out OUT   # 다른 폴더의 노트북으로 (테스트용)

생성기: Sphinx + MyST-NB(nb_execution_mode="off") + sphinx-book-theme, 검색: Pagefind.
설정은 site/conf.py, 틀과 CSS는 site/_templates, site/_static에 있습니다.

하는 일:
1. 임시 원본 폴더(build/site/src)를 새로 만들고 notebooks/*.ipynb, solutions/*.ipynb(이름순, 목록을 적어 두지 않음)를
   복사합니다. 복사본에서만: 제목 셀의 Colab 배지를 Colab·내려받기 버튼으로 바꾸고, 위젯(ipywidgets) 출력은
   "실행 중인 커널이 필요합니다" 안내와 Colab 버튼으로 바꾸고, 강의 끝에 연습 문제 링크를 붙입니다.
2. README.md로 첫 페이지(index.md)를 만듭니다: 강의 표는 노트북에서 새로 만들고(연습은 내려받기·Colab 링크),
   저장소 파일 링크는 GitHub 주소로 바꿉니다. 개발자용 안내는 뺍니다.
3. sphinx-build로 HTML을 만들고, Pagefind로 검색 색인을 만듭니다(한국어 조사가 붙은 말도 앞부분으로 찾습니다).
원래 노트북·연습 파일은 그대로 내려받을 수 있게 사이트에 함께 복사합니다.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from tools import colab, nbutil

ROOT = nbutil.ROOT
CONF_DIR = ROOT / "site"
DEFAULT_OUT = ROOT / "_site"
DEFAULT_WORK = ROOT / "build" / "site"

SECTIONS = (("notebooks", "강의"), ("solutions", "해답"))
# ipywidgets의 text/plain 표현 (위젯 상태는 커밋하지 않으므로 이것만 남습니다).
WIDGET_REPR = re.compile(
    r"^(?:interactive|VBox|HBox|Box|GridBox|GridspecLayout|AppLayout|TwoByTwoLayout|Tab|Accordion|Stack|Output|"
    r"Int\w*Slider|Float\w*Slider|SelectionSlider|SelectionRangeSlider|Dropdown|Button|ToggleButton|ToggleButtons|"
    r"Checkbox|RadioButtons|Select|SelectMultiple|Text|Textarea|IntText|FloatText|BoundedIntText|BoundedFloatText|"
    r"Label|HTML|HTMLMath|Image|Play|IntProgress|FloatProgress|ColorPicker|DatePicker|Combobox|Password|Valid)\("
)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


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


def buttons_html(links: list[tuple[str, str, str, bool]]) -> str:
    """버튼 줄. links: (글, 주소, 종류(css), 내려받기 여부)."""
    parts = []
    for text, href, kind, download in links:
        extra = ' target="_blank" rel="noopener"' if href.startswith("http") else ""
        extra += " download" if download else ""
        parts.append(f'<a class="course-button course-button-{kind}" href="{html.escape(href)}"{extra}>{text}</a>')
    return '<p class="course-buttons" data-pagefind-ignore>' + " ".join(parts) + "</p>"


def widget_note(colab: str) -> dict:
    note = (
        '<div class="widget-note" data-pagefind-ignore><p>이 자리의 위젯(ipywidgets)은 '
        "<b>실행 중인 커널</b>이 있어야 움직입니다. 웹페이지에서는 보이지 않으니, "
        "노트북을 Colab이나 JupyterLab(<code>make lab</code>)에서 실행해 "
        f'보세요.</p><p><a class="course-button course-button-colab" href="{html.escape(colab)}" target="_blank" '
        'rel="noopener">Colab에서 열기</a></p></div>'
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


def stage_notebook(src: Path, folder: str, root: Path, work: Path) -> dict:
    """노트북 하나를 사이트용으로 복사합니다. 강의 정보(dict)를 돌려줍니다."""
    nb = nbutil.read(src)
    name = src.name
    stem = src.stem
    info = {"folder": folder, "name": name, "stem": stem, "title": title_of(nb, stem), "colab": colab_url(folder, name)}
    links = [("Colab에서 열기", info["colab"], "colab", False), ("노트북 내려받기 (.ipynb)", name, "download", True)]

    lesson_stem = stem.removesuffix("_solutions")
    exercise = root / "exercises" / f"{lesson_stem}_exercises.ipynb"
    solution = root / "solutions" / f"{lesson_stem}_solutions.ipynb"
    if folder == "solutions" and (root / "notebooks" / f"{lesson_stem}.ipynb").is_file():
        links.append(("강의 보기", f"../notebooks/{lesson_stem}.html", "link", False))

    first = nb.cells[0] if nb.cells and nb.cells[0].cell_type == "markdown" else None
    if first is not None:
        lines = [line for line in first.source.splitlines() if not line.startswith(f"[![{colab.BADGE_ALT}]")]
        heading = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
        insert_at = 0 if heading is None else heading + 1
        lines[insert_at:insert_at] = ["", buttons_html(links), ""]
        first.source = "\n".join(lines).strip("\n")
    else:
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"# {info['title']}\n\n{buttons_html(links)}"))

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = relink(cell.source, root, folder)
        if cell.cell_type != "code":
            continue
        cell.outputs = [widget_note(info["colab"]) if is_widget_output(cell, out) else out for out in cell.outputs]

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
    # 원본 그대로를 내려받기용으로 (사이트의 같은 폴더에 놓입니다).
    files = work / "_files" / folder
    files.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, files / name)
    return info


LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)\)")


def relink(text: str, root: Path, base: str) -> str:
    """마크다운의 상대 링크를 사이트에 맞게 바꿉니다. base: 이 글이 있는 폴더(저장소 루트 기준, 예: 'notebooks').

    강의·해답 노트북 -> 그대로 (MyST가 사이트 페이지 링크로 바꿉니다), 연습 노트북 -> 내려받기 링크(사이트에
    원본이 함께 있습니다), 그 밖의 저장소 파일(README.md, helper_functions.py ...) -> GitHub 주소.
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


def home_page(root: Path, lessons: list[dict], solutions: list[dict]) -> str:
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
    for (folder, caption), items in zip(SECTIONS, (lessons, solutions), strict=True):
        if items:
            entries = "\n".join(f"{folder}/{info['stem']}" for info in items)
            toctrees.append(f"```{{toctree}}\n:caption: {caption}\n:hidden:\n\n{entries}\n```")
    return text.rstrip() + "\n\n" + "\n\n".join(toctrees) + "\n"


def stage(root: Path, work: Path) -> dict:
    work.mkdir(parents=True)
    found = {}
    for folder, _ in SECTIONS:
        found[folder] = [stage_notebook(p, folder, root, work) for p in sorted((root / folder).glob("*.ipynb"))]
    exercises = sorted((root / "exercises").glob("*.ipynb"))
    if exercises:
        (work / "_files" / "exercises").mkdir(parents=True, exist_ok=True)
        for p in exercises:
            shutil.copyfile(p, work / "_files" / "exercises" / p.name)
    (work / "index.md").write_text(home_page(root, found["notebooks"], found["solutions"]), encoding="utf-8")
    (work / "_pages.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    return found


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
    found = stage(root, src)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(CONF_DIR), "-d", str(work / "doctrees")]
    cmd += ["-W", "--keep-going", "-j", "auto"] + (["-q"] if quiet else [])
    subprocess.run([*cmd, str(src), str(html_dir)], check=True)
    # 원본 노트북과 연습 파일: 페이지 옆에 그대로 둡니다 (notebooks/X.html 옆에 notebooks/X.ipynb).
    shutil.copytree(src / "_files", html_dir, dirs_exist_ok=True)
    for leftover in (".buildinfo", ".doctrees"):
        path = html_dir / leftover
        if path.is_file():
            path.unlink()
    for source_map in (html_dir / "_static").rglob("*.map"):  # 테마의 소스 맵 (개발자 도구용, 3 MB 남짓)
        source_map.unlink()
    if search:
        pagefind = [sys.executable, "-m", "pagefind", "--site", str(html_dir), "--silent" if quiet else "--verbose"]
        subprocess.run(pagefind, check=True)
    (html_dir / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: _static/ 같은 폴더를 그대로
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(html_dir), str(out))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "out": str(out),
        "pages": {folder: [i["stem"] for i in items] for folder, items in found.items()},
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
