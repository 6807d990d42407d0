"""다른 기계에서도 도는가: 강의·해답 노트북을 PyTorch의 CPU 수치가 달라지는 환경마다 다시 실행합니다.

학습자는 이 강좌를 만든 기계가 아닌 노트북, Colab, 연구실 PC에서 돌립니다. 거기서는 CPU 커널(벡터 명령),
스레드 수, torch 빌드가 달라 훈련된 숫자가 끝자리에서, 때로는 이미지 한두 장만큼 달라집니다. 노트북의
`assert`가 그런 숫자를 그대로 붙잡고 있으면 그 기계에서는 강의가 멈춥니다. 이 테스트는 그런 기계를 흉내 내어
(아래 VARIANTS) 모든 강의와 해답을 처음부터 끝까지 실행하고, 오류가 하나라도 나면 실패합니다. 해답의 점검
셀도 모든 환경에서 통과해야 합니다. 저장된 출력과 숫자가 같은지는 보지 않습니다 (다른 것이 정상입니다).

`make test-portability`(= COURSE_PORTABILITY=1)로 돌립니다. `make test`에서는 건너뜁니다. 실행한 노트북은
`test-artifacts/portability/<환경>/`에 남으므로 저장된 출력과 비교해 볼 수 있습니다.
노트북 몇 개만: `COURSE_PORTABILITY=1 .venv/bin/python -m pytest tests/test_portability.py -k 07_`
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from nbclient import NotebookClient

from tools import nbutil

pytestmark = pytest.mark.skipif(
    os.environ.get("COURSE_PORTABILITY") != "1",
    reason="다른 기계 흉내 내기는 make test-portability (COURSE_PORTABILITY=1)에서만 돌립니다",
)

# 환경 이름 -> 커널에 줄 환경 변수. ATEN_CPU_CAPABILITY는 PyTorch 자체 커널의 벡터 명령 수준을,
# ONEDNN_MAX_CPU_ISA는 oneDNN(합성곱, 일부 행렬 곱)의 명령 수준을 낮춥니다: AVX-512/AMX가 없는 CPU처럼.
# 스레드 수가 다르면 합(reduction)의 순서가 달라집니다: 학습자의 노트북(8~16 스레드)처럼.
VARIANTS: dict[str, dict[str, str]] = {
    "isa-default": {"ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "SSE41", "OMP_NUM_THREADS": "1"},
    "isa-avx2": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "OMP_NUM_THREADS": "1"},
    "threads-2": {"OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2", "OMP_WAIT_POLICY": "PASSIVE"},
    "threads-4": {"OMP_NUM_THREADS": "4", "MKL_NUM_THREADS": "4", "OMP_WAIT_POLICY": "PASSIVE"},
}
# OMP_WAIT_POLICY=PASSIVE: 일이 없는 OpenMP 스레드가 코어를 돌며 기다리지 않고 잠듭니다. 계산(합의 순서)은 같고,
# 2코어에서 스레드 2개·4개인 커널 둘이 동시에 돌 때 서로의 코어를 빼앗아 작은 모델의 훈련이 수십 배 느려지는 것만
# 막습니다 (그대로 두면 강의 하나에 5~7분이 걸렸습니다).
NOTEBOOKS = nbutil.notebook_paths(*nbutil.EXECUTED_FOLDERS)
ARTIFACTS = nbutil.ROOT / "test-artifacts" / "portability"


def _error_text(nb) -> str | None:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"셀 {i}: {out.get('ename')}: {out.get('evalue')}"
    return None


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_under_variant(path: Path, variant: str, monkeypatch, tmp_path: Path):
    for key in ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OMP_WAIT_POLICY"):
        monkeypatch.delenv(key, raising=False)
    for key, value in VARIANTS[variant].items():
        monkeypatch.setenv(key, value)  # 커널은 시작할 때 이 프로세스의 환경을 물려받습니다.
    nb = nbutil.read(path)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        # 작업 폴더는 실행마다 따로: 같은 노트북이 여러 환경에서 동시에 돌며 쓰는 파일(CSV, runs/)이 겹치지 않게.
        resources={"metadata": {"path": str(tmp_path)}},
        record_timing=False,
        allow_errors=True,  # 오류가 난 셀까지 노트북을 남겨 두고, 아래에서 실패로 알립니다.
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    out_dir = ARTIFACTS / variant
    out_dir.mkdir(parents=True, exist_ok=True)
    nbutil.write(nbutil.clean_metadata(nb), out_dir / path.name)
    error = _error_text(nb)
    assert error is None, f"{path.relative_to(nbutil.ROOT)} ({variant}, {seconds:.0f} s): {error}"
