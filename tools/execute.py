"""강의·해답 노트북을 위에서 아래로 한 번에 실행해 결과를 저장합니다 (관리자용).

    python -m tools.execute notebooks solutions          # 폴더 전체
    python -m tools.execute notebooks/02_binary_classification.ipynb

각 노트북은 자기 폴더를 작업 디렉터리로 삼아 새 커널에서 실행되고(nbmake와 같은 nbclient),
실행 시간·위젯 상태 같은 휘발성 메타데이터는 지운 뒤 저장됩니다.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from nbclient import NotebookClient

from tools import nbutil

# 노트북 두 개를 동시에 실행하므로 커널마다 torch 스레드 하나 (conftest.py와 같은 이유).
os.environ.setdefault("OMP_NUM_THREADS", "1")


def execute(path: Path, timeout: int = 300) -> float:
    """노트북 하나를 실행해 제자리에 저장합니다. 반환값: 걸린 초."""
    start = time.perf_counter()
    nb = nbutil.read(path)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    nbutil.write(nbutil.clean_metadata(nb), path)
    return time.perf_counter() - start


def _targets(args: list[str]) -> list[Path]:
    paths: list[Path] = []
    for arg in args:
        p = (nbutil.ROOT / arg) if not Path(arg).is_absolute() else Path(arg)
        paths.extend(sorted(p.glob("*.ipynb")) if p.is_dir() else [p])
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", default=list(nbutil.EXECUTED_FOLDERS))
    parser.add_argument("--jobs", type=int, default=2, help="동시에 실행할 노트북 수")
    args = parser.parse_args(argv)
    paths = _targets(args.targets)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for path, seconds in zip(paths, pool.map(execute, paths), strict=True):
            print(f"{seconds:6.1f} s  {path.relative_to(nbutil.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
