"""벤치마크: 노트북마다 걸린 시간, 데이터셋마다 정확도를 고전 모델·참고 강좌의 방법과 나란히 잽니다.

    python -m tools.bench                  # 모두 (make bench)
    python -m tools.bench --skip-make-test # `make test` 시간 재기는 건너뜁니다
    python -m tools.bench --skip-grading   # 채점 속도 재기는 건너뜁니다
    python -m tools.bench --from-outputs --skip-make-test --out /tmp/bench.md
        # 노트북을 다시 실행하지 않고 노트북에 저장된 출력의 결과만 씁니다 (빠름, 노트북 시간 없음)

결과는 화면에 표로 나오고 bench/results.md에 날짜, 기계 설명과 함께 저장됩니다.
타이밍은 테스트가 아니라 이 벤치마크로 잽니다 (기준: 2코어 CPU에서 노트북 하나 30초, `make test` 3분,
채점은 제출물 하나 2초).

- 노트북: nbmake와 같은 실행기(nbclient)로 하나씩 차례로 실행하며, 커널 시작과 셀 실행 시간을 나눠 잽니다.
  노트북의 정리 절이 `helper_functions.show_results`로 남긴 결과(JSON 출력)를 읽어 옵니다.
- 데이터셋: 노트북들이 쓰는 것과 똑같은 분할에서, 훈련 분할만으로 교차 검증해 C와 gamma를 고른 RBF-SVM과
  LogisticRegression을 같은 실행 안에서 학습해 테스트 정확도를 잽니다. 차이는 점(%)이 아니라 테스트 표본 수로,
  양쪽 모두(누가 앞서든) 적고, 표본 하나가 몇 점인지(해상도)와 함께 적습니다. 작은 테스트 분할(와인 54병,
  나선 60점)에서는 표본 하나가 1점보다 크므로 "1점 이내" 같은 기준은 잴 수 없습니다.
- 참고 강좌의 방법(원: 2-10-10-1 ReLU, SGD lr 0.1, 전체 배치 1000 에포크; 블롭: 2-8-8-4 ReLU 없음, SGD lr 0.1,
  100 에포크)을 같은 분할에서 다시 돌려, 이 강좌의 최종 방법(노트북이 잰 값)과 정확도·에포크·시간을 비교합니다.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from nbclient import NotebookClient

from tools import nbutil

# 노트북과 참고 방법을 torch 스레드 하나로: tools.execute가 노트북을 실행해 저장할 때(그래서 노트북이 남긴 훈련 시간)와
# 같은 조건이어야 시간 비가 뜻이 있습니다. torch를 불러오기 전에 정해야 합니다 (커널도 물려받습니다).
os.environ.setdefault("OMP_NUM_THREADS", "1")

RESULTS_MIME = "application/vnd.course.results+json"
BUDGET_NOTEBOOK_S = 30.0
BUDGET_TEST_S = 180.0
BUDGET_GRADE_S = 2.0  # 제출물 하나 (연습 01, 샌드박스 켬, 2코어)
# 차이가 이 표본 수 이하이면, 어떤 표본이 갈렸든 정확한 McNemar 검정(양쪽, 5 %)으로도 유의할 수 없습니다:
# 가장 유리한 경우(갈린 표본이 모두 한쪽)에도 p = 2 * 0.5**k이고, k = 5이면 0.0625입니다.
NOISE_SAMPLES = 5
OUT = nbutil.ROOT / "bench" / "results.md"


# ---------------------------------------------------------------------------
# 노트북 실행
# ---------------------------------------------------------------------------
def run_notebook(path: Path, timeout: int = 300) -> dict:
    """노트북 하나를 실행합니다 (파일은 바꾸지 않음). 반환값: 시간과 결과 행."""
    nb = nbutil.read(path)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    with client.setup_kernel():
        started = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        finished = time.perf_counter()
    rows = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            rows.update(out.get("data", {}).get(RESULTS_MIME, {}))
    return {
        "notebook": f"{path.parent.name}/{path.name}",
        "kernel_s": started - start,
        "execute_s": finished - started,
        "total_s": finished - start,
        "rows": rows,
    }


def saved_results(path: Path) -> dict:
    """노트북을 실행하지 않고, 노트북에 저장된 출력에 남은 결과 행만 읽습니다 (시간은 없음: None)."""
    rows = {}
    for cell in nbutil.read(path).cells:
        for out in cell.get("outputs", []):
            rows.update(out.get("data", {}).get(RESULTS_MIME, {}))
    return {
        "notebook": f"{path.parent.name}/{path.name}",
        "kernel_s": None,
        "execute_s": None,
        "total_s": None,
        "rows": rows,
    }


# ---------------------------------------------------------------------------
# 데이터셋과 고전 모델
# ---------------------------------------------------------------------------
# 데이터셋마다 (만드는 법, 검증 비율, 테스트 비율):
# 노트북들이 helper_functions.train_val_test_split에 넘기는 값과 같습니다.
# 테스트를 먼저 떼므로, 같은 test_size면 테스트 점들은 검증을 쓰지 않는 80:20 (와인 7:3) 분할과 같습니다.
SPLITS = {
    "circles": ("make_circles(n_samples=1000, noise=0.03, random_state=42)", 0.2, 0.2),
    "moons": ("make_moons(n_samples=1000, noise=0.03, random_state=42)", 0.2, 0.2),
    "blobs": ("make_blobs(n_samples=1000, n_features=2, centers=4, cluster_std=1.5, random_state=42)", 0.2, 0.2),
    "spirals": ("helper_functions.make_spirals(100, 3, random_state=42)", 0.2, 0.2),
    "wine": ("load_wine()", 0.2, 0.3),
    "digits": ("load_digits()", 0.2, 0.2),
}
DATASETS = tuple(SPLITS)


def load_data(name: str):
    from sklearn import datasets

    import helper_functions as hf

    if name == "circles":
        return datasets.make_circles(n_samples=1000, noise=0.03, random_state=42)
    if name == "moons":
        return datasets.make_moons(n_samples=1000, noise=0.03, random_state=42)
    if name == "blobs":
        return datasets.make_blobs(n_samples=1000, n_features=2, centers=4, cluster_std=1.5, random_state=42)
    if name == "spirals":
        return hf.make_spirals(100, 3, random_state=42)
    if name == "wine":
        return datasets.load_wine(return_X_y=True)
    if name == "digits":
        return datasets.load_digits(return_X_y=True)
    raise KeyError(name)


def load_split(name: str):
    """노트북들이 쓰는 것과 같은 층화 분할: (X_train, X_val, X_test, y_train, y_val, y_test)."""
    import helper_functions as hf

    _, val_size, test_size = SPLITS[name]
    X, y = load_data(name)
    return hf.train_val_test_split(X, y, val_size=val_size, test_size=test_size, random_state=42)


def classical_baselines(name: str) -> dict:
    """훈련 분할에서만 5겹 교차 검증으로 C와 gamma를 고른 RBF-SVM, 그리고 LogisticRegression의 테스트 정확도(%).

    검증 분할은 신경망이 고르는 데 쓰는 몫이므로 SVM은 쓰지 않습니다 (SVM의 선택은 교차 검증이 합니다).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    X_train, X_val, X_test, y_train, y_val, y_test = load_split(name)
    grid = {"svc__C": [0.1, 1, 10, 100, 1000], "svc__gamma": ["scale", 0.001, 0.01, 0.1, 1, 10]}
    svm = GridSearchCV(make_pipeline(StandardScaler(), SVC(kernel="rbf")), grid, cv=5, n_jobs=1)
    svm.fit(X_train, y_train)
    logreg = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(X_train, y_train)
    return {
        "svm_cv_acc": 100 * svm.best_score_,
        "svm_acc": 100 * svm.score(X_test, y_test),
        "svm_params": f"C={svm.best_params_['svc__C']}, gamma={svm.best_params_['svc__gamma']}",
        "logreg_acc": 100 * logreg.score(X_test, y_test),
        "sizes": (len(y_train), len(y_val), len(y_test)),
    }


def chosen_models(notebooks: list[dict], name: str) -> list[tuple[float, float, str, str]]:
    """데이터셋 하나의 최종 모델들: 검증 정확도와 테스트 정확도가 함께 있는 행 (검증으로 고르고 테스트로 한 번 잰 모델).

    반환값: [(val_acc, test_acc, 모델 이름, 노트북)], 검증 정확도가 높은 순. 테스트 정확도로는 고르지 않습니다.
    """
    found = [
        (row["val_acc"], row["test_acc"], model, n["notebook"])
        for n in notebooks
        for model, row in n["rows"].items()
        if str(row.get("dataset", "")).split(" ")[0] == name and "val_acc" in row and "test_acc" in row
    ]
    return sorted(found, key=lambda t: -t[0])


# ---------------------------------------------------------------------------
# 참고 강좌의 방법
# ---------------------------------------------------------------------------
def reference_recipe(name: str) -> dict:
    """참고 강좌의 방법을 같은 분할에서 돌립니다 (매 에포크 훈련·테스트 평가, helper의 fit과 같은 루프)."""
    import torch
    from torch import nn

    import helper_functions as hf

    X_train, _, X_test, y_train, _, y_test = (torch.as_tensor(a) for a in load_split(name))
    X_train, X_test = X_train.float(), X_test.float()
    hf.set_seeds(42)
    if name == "circles":
        model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 1))
        loss_fn, epochs, desc = nn.BCEWithLogitsLoss(), 1000, "2-10-10-1 ReLU, SGD lr 0.1, 1000 에포크"
    elif name == "blobs":
        model = nn.Sequential(nn.Linear(2, 8), nn.Linear(8, 8), nn.Linear(8, 4))
        loss_fn, epochs, desc = nn.CrossEntropyLoss(), 100, "2-8-8-4 ReLU 없음, SGD lr 0.1, 100 에포크"
    else:
        raise KeyError(name)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    start = time.perf_counter()
    # 정해진 방법을 그대로 돌릴 뿐 아무것도 고르지 않으므로, 마지막 에포크의 테스트 정확도를 한 번 씁니다.
    history = hf.fit(model, (X_train, y_train), (X_test, y_test), loss_fn, optimizer, epochs, eval_split="test")
    return {
        "recipe": desc,
        "test_acc": history["test_acc"][-1],
        "epochs": epochs,
        "seconds": time.perf_counter() - start,
    }


# ---------------------------------------------------------------------------
# 보고서
# ---------------------------------------------------------------------------
def correct_count(acc: float, n: int) -> int:
    """정확도(%)와 표본 수에서 맞힌 표본 수 (정확도는 맞힌 수 / n이므로 반올림하면 정확히 돌아옵니다)."""
    return round(acc * n / 100)


def gap_in_samples(svm_acc: float, model_acc: float, n_test: int) -> tuple[int, str]:
    """(SVM이 더 맞힌 테스트 표본 수(음수면 노트북이 더 맞힘), 판정 글)."""
    gap = correct_count(svm_acc, n_test) - correct_count(model_acc, n_test)
    if gap == 0:
        who = "같음"
    elif gap > 0:
        who = f"SVM이 {gap}개 더 맞힘"
    else:
        who = f"노트북이 {-gap}개 더 맞힘"
    if abs(gap) <= NOISE_SAMPLES:
        verdict = f"{who}: 구별 안 됨 (차이 {NOISE_SAMPLES}개 이하)"
    else:
        verdict = f"**{who}: 표본별 예측으로 McNemar 검정 필요**"
    return gap, verdict


def _acc_with_count(acc: float, n: int) -> str:
    return f"{acc:.2f} ({correct_count(acc, n)}/{n})"


def machine_description() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import torch

    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} 코어 ({cpu}){mem}, {platform.system()}, 파이썬 {platform.python_version()}, "
        f"torch {torch.__version__}, CUDA {'있음' if torch.cuda.is_available() else '없음'}"
    )


def _table(header: list[str], rows: list[list]) -> str:
    def fmt(v):
        return f"{v:.1f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def report(
    notebooks: list[dict],
    baselines: dict,
    references: dict,
    make_test_s: float | None,
    grading: list[dict] | None = None,
    command: str = "make bench",
) -> str:
    """bench/results.md의 글.

    grading: 채점 속도 행들 (issue 21 §3: `tools.bench`가 채점 시간을 재면 넘깁니다). 행마다
    {"exercise": 연습 이름, "submissions": 제출물 수, "sandbox": "켬"/"끔", "jobs": 동시 실행 수, "total_s": 합계 초}.
    """
    parts = [
        "# 벤치마크 결과",
        "",
        f"- 날짜: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- 기계: {machine_description()}",
        f"- 명령: `{command}`",
        "",
        "## 노트북 실행 시간 (nbclient, 하나씩 차례로)",
        "",
    ]
    if all(n["total_s"] is None for n in notebooks):
        parts.append("이번 실행에서는 재지 않았습니다 (--from-outputs: 노트북에 저장된 출력의 결과만 읽었습니다).")
    else:
        parts += [f"기준: 노트북 하나 {BUDGET_NOTEBOOK_S:.0f}초 이하 (커널 시작 포함).", ""]
        rows = [
            [
                n["notebook"],
                n["kernel_s"],
                n["execute_s"],
                n["total_s"],
                "예" if n["total_s"] <= BUDGET_NOTEBOOK_S else "**아니오**",
            ]
            for n in notebooks
        ]
        parts.append(_table(["노트북", "커널 시작 (s)", "실행 (s)", "합계 (s)", "기준 안"], rows))

    parts += [
        "",
        "## 데이터셋별 정확도: 검증으로 고른 모델 vs 고전 모델 (같은 분할)",
        "",
        "노트북의 모델은 검증 정확도로 골랐고(여러 노트북에 있으면 검증 정확도가 가장 높은 것), "
        "테스트 정확도는 그 모델을 한 번 잰 값입니다. "
        "RBF-SVM은 훈련 분할에서만 5겹 교차 검증으로 C와 gamma를 골랐습니다.",
        "",
        "차이는 테스트 표본 수로 적습니다 (양쪽: 누가 앞서든). 해상도는 표본 하나가 몇 점(%)인지입니다. "
        f"두 모델은 같은 테스트 표본을 풀므로, 차이가 {NOISE_SAMPLES}개 이하이면 어떤 표본이 갈렸든 정확한 McNemar "
        "검정(양쪽, 5 %)으로도 유의할 수 없습니다: 가장 유리한 경우(갈린 표본이 모두 한쪽)에도 "
        f"p = 2 × 0.5^{NOISE_SAMPLES} = {2 * 0.5**NOISE_SAMPLES:.3f}입니다. "
        "그보다 큰 차이는 표본별 예측이 있어야 판정할 수 있습니다 (이 표에는 정확도만 있습니다).",
        "",
    ]
    rows = []
    for name in DATASETS:
        base = baselines[name]
        found = chosen_models(notebooks, name)
        split = "/".join(str(n) for n in base["sizes"])
        n_test = base["sizes"][2]
        resolution = f"{100 / n_test:.2f}"
        if found:
            val_acc, acc, model, where = found[0]
            gap, verdict = gap_in_samples(base["svm_acc"], acc, n_test)
            rows.append(
                [
                    name,
                    split,
                    f"{model} ({where})",
                    f"{val_acc:.2f}",
                    _acc_with_count(acc, n_test),
                    _acc_with_count(base["svm_acc"], n_test),
                    f"{base['svm_cv_acc']:.2f}",
                    base["svm_params"],
                    _acc_with_count(base["logreg_acc"], n_test),
                    f"{gap:+d}",
                    resolution,
                    verdict,
                ]
            )
        else:
            rows.append(
                [name, split, "(노트북 없음)", "-", "-", _acc_with_count(base["svm_acc"], n_test)]
                + [f"{base['svm_cv_acc']:.2f}", base["svm_params"], _acc_with_count(base["logreg_acc"], n_test)]
                + ["-", resolution, "-"]
            )
    parts.append(
        _table(
            [
                "데이터셋",
                "훈련/검증/테스트",
                "고른 모델 (노트북)",
                "검증 (%)",
                "테스트 (%, 맞힌 수)",
                "RBF-SVM 테스트 (%, 맞힌 수)",
                "SVM 교차 검증 (%)",
                "SVM 파라미터",
                "LogisticRegression 테스트 (%, 맞힌 수)",
                "SVM - 노트북 (테스트 표본)",
                "해상도 (점/표본)",
                "판정",
            ],
            rows,
        )
    )

    parts += [
        "",
        "## 참고한 영어 강좌(Zero to Mastery, Learn PyTorch 02장)의 방법 vs 이 강좌의 최종 방법 (같은 분할, 같은 실행)",
        "",
        "참고 방법은 정해진 방법을 그대로 돌린 것이라 아무것도 고르지 않았으므로, 마지막 에포크의 테스트 정확도입니다. "
        "이 강좌의 최종 모델은 위 표와 같이 검증 정확도로 고른 모델입니다. 훈련 시간은 노트북이 결과에 남긴 값이고, "
        "남기지 않았으면 '-'입니다.",
        "",
    ]
    rows = []
    for name, ref in references.items():
        found = chosen_models(notebooks, name)
        reference = [name, ref["recipe"], f"{ref['test_acc']:.2f}", ref["epochs"], f"{ref['seconds']:.2f}"]
        if found:
            _, acc, model, where = found[0]
            row = next(n["rows"][model] for n in notebooks if n["notebook"] == where)
            seconds = row.get("train_seconds")
            ratio = f"{ref['seconds'] / seconds:.1f}x" if seconds else "-"
            rows.append(
                reference
                + [f"{model} ({where})", f"{acc:.2f}", row.get("epochs", "-")]
                + [f"{seconds:.2f}" if seconds is not None else "-", ratio]
            )
        else:
            rows.append(reference + ["-", "-", "-", "-", "-"])
    parts.append(
        _table(
            [
                "데이터셋",
                "참고 방법",
                "정확도 (%)",
                "에포크",
                "시간 (s)",
                "이 강좌의 최종 모델",
                "정확도 (%)",
                "에포크",
                "시간 (s)",
                "시간 비 (참고/강좌)",
            ],
            rows,
        )
    )

    parts += [
        "",
        "## 채점 속도",
        "",
        f"기준: 연습 01의 제출물 하나 {BUDGET_GRADE_S:.0f}초 이하 (샌드박스 켬, 2코어, 제출물마다 새 프로세스).",
        "",
    ]
    if not grading:
        parts.append("이번 실행에서는 재지 않았습니다.")
    else:
        parts += [
            "`python -m tools.grade`와 같은 채점(`tools.grading.pipeline.grade`: 샌드박스, 감사, 숨은 점검)을 "
            "같은 반에 차례로 잽니다. 합계는 zygote 시작을 포함한 벽시계 시간입니다. "
            "'이전 방식'은 제출마다 커널을 새로 띄우는 채점(`--no-preload`)으로, "
            "같은 실행 안에서 바로 앞에 잰 짝입니다. 기준은 기본 방식의 줄에만 적용합니다 "
            "(실제 반처럼 만든 반에는 끝나지 않는 반복문이 있어 시간 제한만큼 기다립니다).",
            "",
        ]
        rows = []
        for g in grading:
            per = g["total_s"] / g["submissions"]
            within = "-" if g.get("budget") is False else ("예" if per <= BUDGET_GRADE_S else "**아니오**")
            rows.append(
                [g["exercise"], g["submissions"], g["sandbox"], g["jobs"], f"{g['total_s']:.1f}", f"{per:.2f}", within]
            )
        parts.append(
            _table(["연습", "제출물 수", "샌드박스", "동시 실행", "합계 (s)", "제출물당 (s)", "기준 안"], rows)
        )
        notes = [f"- {g['exercise']}: {g['statuses']}" for g in grading if g.get("statuses")]
        if notes:
            parts += ["", "상태별 제출 수:", "", *notes]

    parts += ["", "## 전체 테스트", ""]
    if make_test_s is None:
        parts.append("`make test`: 이번 실행에서는 재지 않았습니다 (--skip-make-test).")
    else:
        ok = "기준 안" if make_test_s <= BUDGET_TEST_S else "**기준 초과**"
        parts.append(f"`make test` (.venv 준비된 상태): {make_test_s:.1f}초 ({ok}, 기준 {BUDGET_TEST_S:.0f}초)")
    return "\n".join(parts) + "\n"


def grading_speed(submissions: int = 30) -> list[dict]:
    """채점 속도 (issue 21 §3, issue 22): 연습 01의 반 30명을 이전 방식(제출마다 커널 새로 시작)과 기본 방식(zygote)으로
    차례로, 그리고 실제 반처럼 만든 반(tests/grading_data/realistic.py: 명단, 해답 파일, 베낀 짝, NFD 이름, 빈 답,
    문법 오류, 끝나지 않는 반복문)을 채점해 시간을 잽니다. 해답은 고정본(tests/grading_data/class01)을 씁니다."""
    import tempfile

    sys.path.insert(0, str(nbutil.ROOT / "tests" / "grading_data"))
    import realistic

    from tools.grade import _apply_roster
    from tools.grading import pipeline, sandbox
    from tools.grading.model import Options
    from tools.grading.report import write_outputs
    from tools.grading.roster import read_roster
    from tools.grading.submission import find_submissions, student_name

    isolation, warning = sandbox.choose("auto")
    if warning:
        print(warning, file=sys.stderr)
    jobs = pipeline._cores()
    memory = 0 if sandbox.gpu_devices() else 4096 * 1024 * 1024
    zygote_used = isolation == sandbox.BWRAP and sandbox.is_root()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        base = Path(tmp)
        exercises, solutions = realistic.course(base / "course")
        realistic.class_of(base / "class", submissions)
        realistic.build_class(base / "real")

        def run(folder: Path, label: str, preload: bool, budget: bool, timeout: float = 120, roster=False) -> None:
            options = Options(
                exercises=exercises,
                solutions=solutions,
                jobs=jobs,
                timeout=timeout,
                memory_bytes=memory,
                preload=preload,
            )
            start = time.perf_counter()
            results = pipeline.grade(folder, options, isolation=isolation)
            if roster:
                students = [student_name(p.relative_to(folder)) for p in find_submissions(folder)]
                _apply_roster(results, students, read_roster(realistic.ROSTER), missing_too=True)
            out = base / "out" / f"{len(rows)}.csv"
            graded = write_outputs(results, out, out.with_suffix(""))  # 같은 답을 낸 짝은 점수표를 쓸 때 찾습니다
            total = time.perf_counter() - start
            found = [row["status"] for row in graded]
            statuses = {s: found.count(s) for s in sorted(set(found))}
            row = {
                "exercise": label,
                "submissions": len([r for r in results if r.path]),
                "sandbox": "켬 (bubblewrap)" if isolation == sandbox.BWRAP else "**끔** (bubblewrap 없음)",
                "jobs": jobs,
                "total_s": total,
                "budget": budget,
                "statuses": ", ".join(f"{s} {n}" for s, n in statuses.items()),
            }
            rows.append(row)
            print(f"{total:6.1f} s  {label} ({row['statuses']})", flush=True)

        default = "zygote에서 갈라 냄" if zygote_used else "제출마다 새 커널 (root가 아니라 zygote 안 씀)"
        run(base / "class", f"01, 반 {submissions}명: 이전 방식 (제출마다 커널 새로 시작)", False, False)
        run(base / "class", f"01, 반 {submissions}명: 기본 ({default})", True, True)
        label = "01, 실제 반처럼 (명단 12명 중 11명 제출, 시간 제한 30초, 끝나지 않는 반복문 1명)"
        run(base / "real", label, True, False, timeout=30, roster=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-make-test", action="store_true", help="`make test` 시간을 재지 않습니다")
    parser.add_argument(
        "--from-outputs", action="store_true", help="노트북을 실행하지 않고 저장된 출력의 결과만 읽습니다 (시간 없음)"
    )
    parser.add_argument("--skip-grading", action="store_true", help="채점 속도를 재지 않습니다")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    notebooks = []
    for path in nbutil.notebook_paths(*nbutil.EXECUTED_FOLDERS):
        if args.from_outputs:
            notebooks.append(saved_results(path))
            continue
        result = run_notebook(path)
        notebooks.append(result)
        print(f"{result['total_s']:6.1f} s  {result['notebook']}", flush=True)
    baselines = {name: classical_baselines(name) for name in DATASETS}
    references = {name: reference_recipe(name) for name in ("circles", "blobs")}
    make_test_s = None
    if not args.skip_make_test:
        start = time.perf_counter()
        subprocess.run(["make", "test"], cwd=nbutil.ROOT, check=True, stdout=subprocess.DEVNULL)
        make_test_s = time.perf_counter() - start

    # 채점 속도 (issue 21 §3, issue 22): 형식은 report()의 설명.
    grading: list[dict] | None = None if args.skip_grading else grading_speed()

    command = " ".join(["python -m tools.bench", *(argv if argv is not None else sys.argv[1:])])
    text = report(notebooks, baselines, references, make_test_s, grading, command=command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    over = [n for n in notebooks if (n["total_s"] or 0) > BUDGET_NOTEBOOK_S]
    slow_grading = [
        g for g in grading or [] if g.get("budget") is not False and g["total_s"] / g["submissions"] > BUDGET_GRADE_S
    ]
    return 1 if over or slow_grading or (make_test_s or 0) > BUDGET_TEST_S else 0


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    sys.exit(main())
