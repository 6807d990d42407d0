"""Colab 설정 셀: 설정 하나에서 만들어지고, Colab을 흉내 낸 환경에서 실제로 설치가 됩니다.

Colab 흉내(새 가상환경에 pip로 설치, 약 25초)는 "다른 기계에서도 도는가"의 한 갈래라서
`make test-portability`(COURSE_PORTABILITY=1)에서 돌립니다. 나머지는 `make test`에서 돕니다.
"""

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from tools import colab, nbutil


def test_badge_and_install_source_come_from_pyproject():
    settings = {"repository": "https://github.com/someone/fork", "branch": "dev"}
    badge = colab.badge_line("notebooks", "02_x.ipynb", settings)
    assert "github/someone/fork/blob/dev/notebooks/02_x.ipynb" in badge
    assert colab.install_source(settings) == "git+https://github.com/someone/fork.git@dev"
    assert "git+https://github.com/someone/fork.git@dev" in colab.setup_source(settings)


def test_setup_cell_does_nothing_outside_colab():
    result = subprocess.run([sys.executable, "-c", colab.setup_source()], capture_output=True, text=True, check=True)
    assert result.stdout == ""


def test_setup_cell_never_names_torch():
    code = colab.setup_source()
    assert "torch " not in code.replace("torchmetrics", "") and "--upgrade" not in code


@pytest.mark.skipif(
    os.environ.get("COURSE_PORTABILITY") != "1",
    reason="Colab 흉내(새 가상환경에 설치)는 make test-portability (COURSE_PORTABILITY=1)에서 돌립니다",
)
def test_setup_cell_installs_helper_in_simulated_colab(tmp_path: Path):
    """새 가상환경(강좌 모듈 없음)에서 google.colab을 흉내 내고, 설치 원본을 이 저장소로 돌립니다."""
    venv = tmp_path / "colab-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # Colab처럼 torch 등은 이미 있는 환경: 지금 환경의 site-packages를 경로에 더합니다.
    # (편집 설치의 .pth는 읽히지 않으므로 helper_functions는 보이지 않습니다.)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "colab_base.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    cell = (
        textwrap.dedent(
            """
        import sys, types
        sys.modules["google"] = types.ModuleType("google")
        sys.modules["google.colab"] = types.ModuleType("google.colab")
        """
        )
        + colab.setup_source()
        + textwrap.dedent(
            """
        import helper_functions, torch, json
        print(json.dumps({"helper": helper_functions.__file__, "torch": torch.__file__}))
        """
        )
    )
    env = {**os.environ, "COURSE_SOURCE": str(nbutil.ROOT), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    workdir = tmp_path / "work"  # 저장소 밖에서 실행: 저장소의 helper_functions.py가 보이지 않게
    workdir.mkdir()

    missing = subprocess.run(
        [str(python), "-c", "import helper_functions"], cwd=workdir, env=env, capture_output=True, text=True
    )
    assert missing.returncode != 0, "시작 환경에 이미 helper_functions가 있어 시험이 되지 않습니다"

    for attempt in (1, 2):  # 두 번째 실행(다시 실행)도 문제없어야 합니다.
        result = subprocess.run(
            [str(python), "-c", cell], cwd=workdir, env=env, capture_output=True, text=True, timeout=240
        )
        assert result.returncode == 0, f"{attempt}번째 실행 실패:\n{result.stdout}\n{result.stderr}"
        assert "Colab 준비 완료" in result.stdout
        paths = json.loads(result.stdout.strip().splitlines()[-1])
        assert paths["helper"].startswith(site), paths  # 새 환경에 설치된 것
        assert paths["torch"].startswith(sysconfig.get_paths()["purelib"])  # torch는 원래 것 그대로
    assert not list(Path(site).glob("torch-*.dist-info")), "torch를 다시 설치했습니다"


def test_readme_lesson_table_matches_notebooks():
    text = (nbutil.ROOT / "README.md").read_text(encoding="utf-8")
    assert colab.sync_readme(text) == text, "README의 강의 표가 다릅니다: `make colab`"
    for lesson in nbutil.notebook_paths("notebooks"):
        assert f"blob/main/notebooks/{lesson.name}" in text
