"""강좌 전체가 함께 쓰는 도우미 함수 모음 (helper functions shared by every notebook).

노트북에서 `import helper_functions` 또는 `from helper_functions import ...`로 불러 씁니다.
이 모듈은 네트워크를 쓰지 않으며, 불러올 때 하는 일은 matplotlib에 한글 글꼴을 켜는 것
하나뿐입니다. 무거운 라이브러리(scikit-learn, tqdm 등)는 그것을 쓰는 함수 안에서 불러옵니다.

이진 분류와 다중 분류의 약속 (convention):
- 이진 분류(binary): 모델이 샘플마다 로짓(logit) 1개를 내고(`[N]` 또는 `[N, 1]`),
  손실은 `nn.BCEWithLogitsLoss`, 레이블은 0/1 실수(float)입니다.
- 다중 분류(multi-class): 모델이 샘플마다 로짓 k개를 내고(`[N, k]`, k >= 2),
  손실은 `nn.CrossEntropyLoss`, 레이블은 정수(`torch.long`)입니다.
"""

from __future__ import annotations

import contextlib
import random
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from torch import nn

__all__ = [
    "CLASS_COLORS",
    "accuracy_fn",
    "ForbiddenOpError",
    "enable_korean_font",
    "fit",
    "fit_together",
    "forbid_ops",
    "grading_seed",
    "logits_to_labels",
    "make_spirals",
    "plot_decision_boundary",
    "plot_loss_curves",
    "plot_predictions",
    "set_seeds",
    "show_results",
    "test_step",
    "train_step",
    "train_val_test_split",
    "TrainingRecord",
    "watch_training",
]

ArrayLike = torch.Tensor | np.ndarray | Sequence[Any]
Batches = Iterable[tuple[torch.Tensor, torch.Tensor]] | tuple[torch.Tensor, torch.Tensor]

# 클래스별 색 (최대 10개). 결정 경계의 면과 산점도의 점이 같은 색을 씁니다.
CLASS_COLORS = [
    "#4C72B0",
    "#DD8452",
    "#55A868",
    "#C44E52",
    "#8172B3",
    "#937860",
    "#DA8BC3",
    "#8C8C8C",
    "#CCB974",
    "#64B5CD",
]


# ---------------------------------------------------------------------------
# 한글 글꼴
# ---------------------------------------------------------------------------
def enable_korean_font() -> str | None:
    """matplotlib에 한글 글꼴(NanumGothic, koreanize-matplotlib 패키지에 들어 있음)을 켭니다.

    반환값: 켠 글꼴 이름. 패키지가 없으면 경고를 내고 None을 반환합니다.
    모듈을 불러올 때 한 번 자동으로 실행됩니다.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import koreanize_matplotlib  # noqa: F401  (불러오기만 해도 글꼴이 켜집니다)
    except ImportError:
        warnings.warn(
            "koreanize-matplotlib이 설치되어 있지 않아 그림의 한글이 네모로 보일 수 있습니다. "
            "`pip install koreanize-matplotlib` 후 커널을 다시 시작하세요.",
            stacklevel=2,
        )
        return None
    matplotlib.rcParams["axes.unicode_minus"] = False  # 한글 글꼴에 없는 유니코드 빼기 기호 대신 '-'
    return str(matplotlib.rcParams["font.family"][0])


enable_korean_font()


# ---------------------------------------------------------------------------
# 재현성
# ---------------------------------------------------------------------------
def set_seeds(seed: int = 42) -> None:
    """torch(CPU와 모든 CUDA 장치), NumPy, 파이썬 random의 시드를 한꺼번에 고정합니다.

    반환값: 없음. 같은 시드로 같은 코드를 돌리면 같은 숫자가 나옵니다.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # CUDA 장치의 시드도 함께 고정합니다.
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


# 숨은 점검(hidden tests)이 새 데이터를 만들 때 쓰는 시드. 채점 도구가 학생 코드를 모두 실행한 뒤,
# 숨은 점검 바로 앞에서 `_set_grading_seed(N)`으로 정합니다 (채점 실행마다 하나, grades.csv에 기록).
_GRADING_SEED: int | None = None


def grading_seed() -> int:
    """숨은 점검이 학생이 가질 수 없는 새 데이터를 만들 때 쓰는 시드를 돌려줍니다.

    반환값: 0 이상 2**31 - 1 미만의 정수. 채점 중에는 채점 도구가 정한 값(실행마다 새로 뽑아 CSV에 기록),
    환경 변수 `COURSE_GRADING_SEED`가 있으면 그 값(실패한 실행을 다시 해 보는 관리자용), 둘 다 없으면
    이 프로세스에서 처음 부를 때 한 번 뽑은 난수입니다. 그래서 숨은 점검의 기준은 어떤 시드에서도
    맞는 답이 통과하도록 여유 있게 잡아야 하고, 숨은 점검에는 `random_state=42` 같은 고정 시드를 쓰지 않습니다.
    """
    global _GRADING_SEED
    if _GRADING_SEED is None:
        import os
        import secrets

        env = os.environ.get("COURSE_GRADING_SEED", "").strip()
        _GRADING_SEED = int(env) if env else secrets.randbelow(2**31 - 1)
    return _GRADING_SEED


def _set_grading_seed(seed: int) -> None:
    """채점 도구 전용: 숨은 점검이 쓸 시드를 정합니다 (학생 코드가 모두 끝난 뒤에 부릅니다)."""
    global _GRADING_SEED
    if not isinstance(seed, int) or not 0 <= seed < 2**31 - 1:
        raise ValueError(f"시드는 0 이상 2**31 - 1 미만의 정수여야 합니다: {seed!r}")
    _GRADING_SEED = seed


# ---------------------------------------------------------------------------
# 데이터
# ---------------------------------------------------------------------------
def make_spirals(
    n_points_per_class: int = 100,
    n_classes: int = 3,
    noise: float = 0.2,
    random_state: int = 42,
) -> tuple[np.ndarray, np.ndarray]:
    """CS231n 강의의 나선(spiral) 데이터를 만듭니다. 시드가 같으면 항상 같은 데이터입니다.

    반환값: `(X, y)`. X는 `float32`, 모양 `[n_points_per_class * n_classes, 2]`,
    y는 `int64`, 모양 `[n_points_per_class * n_classes]`, 값은 0 ~ n_classes-1.
    """
    if n_points_per_class < 1 or n_classes < 1:
        raise ValueError("n_points_per_class와 n_classes는 1 이상이어야 합니다.")
    rng = np.random.default_rng(random_state)
    n = n_points_per_class * n_classes
    X = np.zeros((n, 2), dtype=np.float32)
    y = np.zeros(n, dtype=np.int64)
    for k in range(n_classes):
        idx = slice(n_points_per_class * k, n_points_per_class * (k + 1))
        radius = np.linspace(0.0, 1.0, n_points_per_class)
        theta = (
            np.linspace(k * 4.0, (k + 1) * 4.0, n_points_per_class) + rng.standard_normal(n_points_per_class) * noise
        )
        X[idx] = np.c_[radius * np.sin(theta), radius * np.cos(theta)]
        y[idx] = k
    return X, y


def train_val_test_split(
    X: ArrayLike,
    y: ArrayLike,
    *,
    val_size: float = 0.2,
    test_size: float = 0.2,
    stratify: bool = True,
    random_state: int = 42,
) -> tuple[Any, Any, Any, Any, Any, Any]:
    """데이터를 훈련(train) / 검증(validation) / 테스트(test) 세 부분으로 나눕니다.

    먼저 테스트 데이터를 떼어 놓고(`test_size`, 전체에 대한 비율), 남은 데이터에서 검증 데이터
    (`val_size`, 역시 전체에 대한 비율)를 뗍니다. 그래서 `test_size`와 `random_state`가 같으면
    검증 데이터를 쓰든 안 쓰든 테스트 데이터는 같은 점들입니다 (강의 02의 80:20 분할과 같은 테스트).

    매개변수:
        X, y: 입력과 레이블 (NumPy 배열 또는 텐서; 같은 종류로 돌려줍니다).
        val_size, test_size: 전체에 대한 비율 (0과 1 사이, 합은 1 미만).
        stratify: True면 세 부분의 클래스 비율을 전체와 같게 맞춥니다 (층화 분할, stratified split).
        random_state: 섞는 순서를 정하는 시드.

    반환값: `(X_train, X_val, X_test, y_train, y_val, y_test)`.
    """
    from sklearn.model_selection import train_test_split

    if not (0 < val_size < 1 and 0 < test_size < 1 and val_size + test_size < 1):
        raise ValueError(
            "val_size와 test_size는 0과 1 사이이고 합이 1보다 작아야 합니다: "
            f"val_size={val_size}, test_size={test_size}"
        )
    if len(X) != len(y):
        raise ValueError(f"X와 y의 샘플 수가 다릅니다: {len(X)} vs {len(y)}")
    y_np = _to_numpy(y)
    index = np.arange(len(y_np))
    rest, test = train_test_split(
        index, test_size=test_size, random_state=random_state, stratify=y_np if stratify else None
    )
    train, val = train_test_split(
        rest,
        test_size=val_size / (1 - test_size),
        random_state=random_state,
        stratify=y_np[rest] if stratify else None,
    )

    def take(a: ArrayLike, idx: np.ndarray) -> Any:
        if isinstance(a, torch.Tensor):
            return a[torch.as_tensor(idx, device=a.device)]
        return np.asarray(a)[idx]

    return take(X, train), take(X, val), take(X, test), take(y, train), take(y, val), take(y, test)


# ---------------------------------------------------------------------------
# 정확도와 예측
# ---------------------------------------------------------------------------
def _to_numpy(values: ArrayLike) -> np.ndarray:
    if isinstance(values, torch.Tensor):
        return values.detach().cpu().numpy()
    return np.asarray(values)


def accuracy_fn(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """정확도(accuracy)를 백분율(%)로 계산합니다: 맞힌 개수 / 전체 개수 * 100.

    두 입력은 텐서, NumPy 배열, 리스트 모두 됩니다(장치가 달라도 됩니다).
    반환값: 0.0 ~ 100.0 사이의 float.
    모양이 다르면(예: 예측 `[N, 1]`, 정답 `[N]`) 브로드캐스팅으로 엉뚱한 값을 내는 대신
    무엇이 다른지 알려 주는 ValueError를 냅니다.
    """
    true = _to_numpy(y_true)
    pred = _to_numpy(y_pred)
    if true.shape != pred.shape:
        hint = ""
        if true.ndim != pred.ndim:
            hint = " 한쪽에 크기 1인 차원이 있다면 `.squeeze()`로 없애세요."
        raise ValueError(
            f"정답과 예측의 모양이 다릅니다: y_true {tuple(true.shape)}, y_pred {tuple(pred.shape)}.{hint}"
        )
    if true.size == 0:
        raise ValueError("빈 입력의 정확도는 정의되지 않습니다.")
    return float((true == pred).sum() / true.size * 100)


def logits_to_labels(logits: torch.Tensor) -> torch.Tensor:
    """로짓(logits)을 예측 레이블로 바꿉니다.

    - 로짓이 샘플마다 1개(`[N]` 또는 `[N, 1]`)면 이진 분류: 시그모이드 확률 >= 0.5, 즉 로짓 >= 0.
    - 로짓이 샘플마다 k >= 2개(`[N, k]`)면 다중 분류: 가장 큰 로짓의 번호(argmax).
    반환값: 모양 `[N]`의 `torch.long` 텐서 (입력과 같은 장치).
    """
    if logits.ndim == 1:
        return (logits >= 0).long()
    if logits.ndim == 2 and logits.shape[1] == 1:
        return (logits[:, 0] >= 0).long()
    if logits.ndim == 2:
        return logits.argmax(dim=1)
    raise ValueError(f"로짓은 [N], [N, 1], [N, k] 모양이어야 합니다. 받은 모양: {tuple(logits.shape)}")


def _model_device_dtype(model: nn.Module) -> tuple[torch.device, torch.dtype]:
    """모델의 첫 번째 파라미터가 있는 장치와 dtype (파라미터가 없으면 CPU, float32)."""
    for param in model.parameters():
        return param.device, param.dtype
    return torch.device("cpu"), torch.get_default_dtype()


# ---------------------------------------------------------------------------
# 그림
# ---------------------------------------------------------------------------
def plot_decision_boundary(
    model: nn.Module,
    X: ArrayLike,
    y: ArrayLike | None = None,
    ax: Axes | None = None,
    *,
    grid_resolution: int = 200,
    margin: float = 0.1,
    title: str | None = None,
    num_classes: int | None = None,
) -> Axes:
    """특성(feature)이 2개인 데이터에서 모델의 결정 경계(decision boundary)를 그립니다.

    매개변수:
        model: 로짓을 내는 분류 모델. 로짓 1개면 이진, k개면 k-클래스로 봅니다.
            어느 장치(CPU/GPU)에 있든, 어떤 dtype이든 됩니다. 그리는 동안만 평가 모드로
            바꾸고, 끝나면 원래의 train/eval 모드로 돌려 놓습니다. 장치는 옮기지 않습니다.
        X: 모양 `[N, 2]`의 입력 (텐서 또는 NumPy 배열). 격자는 X의 범위를 따라갑니다.
        y: 점의 색을 정할 정답 레이블 `[N]`. None이면 점을 찍지 않습니다.
        ax: 그릴 축. None이면 현재 그림의 축(`plt.gca()`)에 그립니다.
        grid_resolution: 격자의 한 변에 놓을 점의 개수.
        margin: 데이터 범위 바깥으로 넓힐 여백 (범위의 비율).
        title: 축 제목. None이면 "결정 경계".
        num_classes: 색을 나눌 클래스 수. None이면 로짓 개수(이진이면 2)로 정합니다.

    반환값: 그림을 그린 matplotlib `Axes`.
    """
    X_np = _to_numpy(X).astype(np.float64)
    if X_np.ndim != 2 or X_np.shape[1] != 2:
        raise ValueError(
            f"결정 경계는 특성이 정확히 2개인 입력 [N, 2]에서만 그릴 수 있습니다. 받은 모양: {tuple(X_np.shape)}"
        )
    if len(X_np) == 0:
        raise ValueError("X가 비어 있습니다.")
    y_np = None if y is None else _to_numpy(y).reshape(-1)
    if y_np is not None and len(y_np) != len(X_np):
        raise ValueError(f"X와 y의 샘플 수가 다릅니다: {len(X_np)} vs {len(y_np)}")

    ax = plt.gca() if ax is None else ax

    # 데이터 범위를 따라가는 격자
    lo, hi = X_np.min(axis=0), X_np.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    lo, hi = lo - margin * span, hi + margin * span
    xx0, xx1 = np.meshgrid(
        np.linspace(lo[0], hi[0], grid_resolution),
        np.linspace(lo[1], hi[1], grid_resolution),
    )
    grid = np.c_[xx0.ravel(), xx1.ravel()]

    # 모델이 있는 장치와 dtype에서 예측하고, 모드를 원래대로 돌려 놓습니다.
    device, dtype = _model_device_dtype(model)
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            logits = model(torch.as_tensor(grid, dtype=dtype, device=device))
    finally:
        model.train(was_training)
    n_logits = 1 if logits.ndim == 1 else logits.shape[1]
    labels = logits_to_labels(logits).cpu().numpy().reshape(xx0.shape)

    if num_classes is None:
        num_classes = max(2, n_logits)
        if y_np is not None and y_np.size:
            num_classes = max(num_classes, int(y_np.max()) + 1)
    colors = (CLASS_COLORS * (num_classes // len(CLASS_COLORS) + 1))[:num_classes]
    cmap = ListedColormap(colors)
    norm = BoundaryNorm(np.arange(num_classes + 1) - 0.5, cmap.N)

    ax.contourf(xx0, xx1, labels, levels=np.arange(num_classes + 1) - 0.5, cmap=cmap, norm=norm, alpha=0.35)
    if y_np is not None:
        ax.scatter(X_np[:, 0], X_np[:, 1], c=y_np, cmap=cmap, norm=norm, s=14, edgecolors="k", linewidths=0.3)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_title("결정 경계" if title is None else title)
    ax.set_xlabel("특성 1 (X[:, 0])")
    ax.set_ylabel("특성 2 (X[:, 1])")
    return ax


def plot_predictions(
    train_data: ArrayLike,
    train_labels: ArrayLike,
    test_data: ArrayLike,
    test_labels: ArrayLike,
    predictions: ArrayLike | None = None,
    ax: Axes | None = None,
    *,
    title: str = "직선 데이터와 예측",
) -> Axes:
    """회귀(regression) 직선 데이터를 그립니다: 훈련(파랑), 테스트(초록), 예측(빨강).

    반환값: 그림을 그린 matplotlib `Axes`.
    """
    ax = plt.gca() if ax is None else ax
    ax.scatter(_to_numpy(train_data), _to_numpy(train_labels), c="tab:blue", s=8, label="훈련 데이터")
    ax.scatter(_to_numpy(test_data), _to_numpy(test_labels), c="tab:green", s=8, label="테스트 데이터")
    if predictions is not None:
        ax.scatter(_to_numpy(test_data), _to_numpy(predictions), c="tab:red", s=8, label="예측")
    ax.set_title(title)
    ax.set_xlabel("X")
    ax.set_ylabel("y")
    ax.legend()
    return ax


SPLIT_NAMES = {"train": "훈련", "val": "검증", "test": "테스트"}


def _eval_split(history: dict[str, list[float]]) -> str:
    """기록에 들어 있는 평가 데이터의 이름: "val"(검증) 또는 "test"(테스트)."""
    found = [name for name in ("val", "test") if f"{name}_loss" in history]
    if len(found) != 1:
        raise KeyError(
            "history에는 'val_loss'(검증) 또는 'test_loss'(테스트) 중 정확히 하나가 있어야 합니다. "
            "fit()이 돌려준 딕셔너리를 넘기세요."
        )
    return found[0]


def plot_loss_curves(
    history: dict[str, list[float]],
    ax: Sequence[Axes] | None = None,
    *,
    title: str | None = None,
) -> Sequence[Axes]:
    """`fit`이 돌려준 기록(history)으로 에포크(epoch)별 손실과 정확도를 그립니다.

    매개변수:
        history: `fit`의 반환값. "train_loss"와, 평가 데이터의 손실 "val_loss"(검증) 또는
            "test_loss"(테스트) 중 하나가 꼭 있어야 합니다. 정확도 키("train_acc", "val_acc",
            "test_acc")와 "epoch" 키가 있으면 함께 씁니다. 범례는 어느 데이터의 값인지 밝힙니다.
        ax: 축 2개(손실, 정확도)의 묶음. None이면 새 그림(1행 2열)을 만듭니다.
        title: 그림 위에 붙일 말머리 (예: 모델 이름).

    반환값: 손실 축과 정확도 축 (길이 2).
    """
    if "train_loss" not in history:
        raise KeyError("history에 'train_loss' 키가 없습니다. fit()이 돌려준 딕셔너리를 넘기세요.")
    split = _eval_split(history)
    if ax is None:
        _, ax = plt.subplots(1, 2, figsize=(10, 3.5))
    if len(ax) != 2:
        raise ValueError("ax에는 축 2개(손실, 정확도)를 넘기세요.")
    epochs = history.get("epoch", list(range(1, len(history["train_loss"]) + 1)))
    prefix = f"{title}: " if title else ""

    loss_ax, acc_ax = ax
    for name in ("train", split):
        loss_ax.plot(epochs, history[f"{name}_loss"], label=f"{SPLIT_NAMES[name]} 손실")
    loss_ax.set_title(f"{prefix}손실 (loss)")
    loss_ax.set_xlabel("에포크 (epoch)")
    loss_ax.set_ylabel("손실")
    loss_ax.legend()

    for name in ("train", split):
        if f"{name}_acc" in history:
            acc_ax.plot(epochs, history[f"{name}_acc"], label=f"{SPLIT_NAMES[name]} 정확도")
    acc_ax.set_title(f"{prefix}정확도 (accuracy)")
    acc_ax.set_xlabel("에포크 (epoch)")
    acc_ax.set_ylabel("정확도 (%)")
    acc_ax.legend()
    return ax


# ---------------------------------------------------------------------------
# 결과 표
# ---------------------------------------------------------------------------
RESULTS_MIME = "application/vnd.course.results+json"


ACC_KEYS = ("train_acc", "val_acc", "test_acc")


def results_table(results: dict[str, dict[str, Any]]) -> str:
    """결과 딕셔너리를 마크다운 표 글자로 바꿉니다 (행: 모델, 열: 지표).

    각 행에는 "dataset"(실제로 쓴 데이터의 이름)과, 어느 데이터에서 잰 정확도인지 이름으로 밝힌
    정확도 열이 하나 이상 있어야 합니다: "train_acc"(훈련), "val_acc"(검증), "test_acc"(테스트).
    "test_acc"는 검증 데이터로 고른 최종 모델을 테스트 데이터에서 한 번 잰 값에만 씁니다.
    """
    if not results:
        raise ValueError("results가 비어 있습니다.")
    columns: list[str] = []
    for name, row in results.items():
        if "dataset" not in row:
            raise ValueError(f"results['{name}']에 'dataset'(쓴 데이터의 이름)이 없습니다.")
        if not any(key in row for key in ACC_KEYS):
            raise ValueError(
                f"results['{name}']에 정확도 열이 없습니다: {', '.join(ACC_KEYS)} 중 잰 데이터에 맞는 것을 쓰세요."
            )
        odd = [k for k in row if k.endswith("_acc") and k not in ACC_KEYS]
        if odd:
            raise ValueError(
                f"results['{name}']의 정확도 열 {odd}: 어느 데이터에서 잰 값인지 {', '.join(ACC_KEYS)}로 밝히세요."
            )
        columns += [c for c in row if c not in columns]

    def fmt(value: Any) -> str:
        return f"{value:.2f}" if isinstance(value, float) else str(value)

    lines = ["| 모델 | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, row in results.items():
        lines.append(f"| {name} | " + " | ".join(fmt(row.get(c, "")) for c in columns) + " |")
    return "\n".join(lines)


def show_results(results: dict[str, dict[str, Any]]) -> None:
    """노트북의 최종 결과를 표로 보여 줍니다.

    results: `{모델 이름: {"dataset": ..., "val_acc"/"test_acc"/"train_acc": ..., 그 밖의 지표...}}`
    (규칙은 `results_table` 참고).
    표와 함께 같은 내용을 JSON(`application/vnd.course.results+json`)으로도 출력에 남겨서,
    벤치마크 도구가 노트북을 실행한 뒤 숫자를 그대로 읽어 갈 수 있게 합니다.
    반환값: 없음.
    """
    from IPython.display import display

    table = results_table(results)
    clean = {
        name: {k: (float(v) if isinstance(v, np.floating) else v) for k, v in row.items()}
        for name, row in results.items()
    }
    display({"text/markdown": table, "text/plain": table, RESULTS_MIME: clean}, raw=True)


# ---------------------------------------------------------------------------
# 훈련 루프 (강의 02에서 손으로 쓴 루프를 함수로 묶은 것)
# ---------------------------------------------------------------------------
def _batches(data: Batches) -> Iterable[tuple[torch.Tensor, torch.Tensor]]:
    """`(X, y)` 텐서 한 쌍(전체 배치)이면 그 한 쌍만, 아니면 DataLoader 등을 그대로 씁니다."""
    if isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], torch.Tensor):
        return [data]
    return data


def _loss_and_labels(
    model: nn.Module, X: torch.Tensor, y: torch.Tensor, loss_fn: Callable
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """로짓을 계산해 손실, 예측 레이블, 정답 레이블([N], 정수)을 돌려줍니다."""
    logits = model(X)
    if logits.ndim == 2 and logits.shape[1] == 1:
        logits = logits[:, 0]  # [N, 1] -> [N]
    if logits.ndim == 1:  # 이진 분류: BCEWithLogitsLoss는 실수 레이블을 받습니다.
        loss = loss_fn(logits, y.to(logits.dtype))
    else:  # 다중 분류: CrossEntropyLoss는 정수 레이블을 받습니다.
        loss = loss_fn(logits, y.long())
    return loss, logits_to_labels(logits), y.long()


def train_step(
    model: nn.Module,
    data: Batches,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
) -> tuple[float, float]:
    """한 에포크 동안 훈련합니다: 배치마다 순전파 -> 손실 -> zero_grad -> backward -> step.

    data는 `(X, y)` 텐서 한 쌍(전체 배치 학습) 또는 `(X, y)` 배치를 내는 DataLoader입니다.
    배치는 모델이 있는 장치로 옮겨서 씁니다. 모델은 훈련 모드(`model.train()`)로 둡니다.
    반환값: `(평균 손실, 정확도 %)` — 샘플 수로 가중 평균한 값.
    """
    device, _ = _model_device_dtype(model)
    model.train()
    total_loss, correct, count = 0.0, 0, 0
    for X, y in _batches(data):
        X, y = X.to(device), y.to(device)
        loss, pred, target = _loss_and_labels(model, X, y, loss_fn)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (pred == target).sum().item()
        count += len(y)
    return total_loss / count, correct / count * 100


def test_step(
    model: nn.Module,
    data: Batches,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
) -> tuple[float, float]:
    """평가 모드와 `torch.inference_mode()`에서 손실과 정확도를 잽니다 (파라미터는 그대로).

    끝나면 모델을 원래의 train/eval 모드로 돌려 놓습니다.
    반환값: `(평균 손실, 정확도 %)`.
    """
    device, _ = _model_device_dtype(model)
    was_training = model.training
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    try:
        with torch.inference_mode():
            for X, y in _batches(data):
                X, y = X.to(device), y.to(device)
                loss, pred, target = _loss_and_labels(model, X, y, loss_fn)
                total_loss += loss.item() * len(y)
                correct += (pred == target).sum().item()
                count += len(y)
    finally:
        model.train(was_training)
    return total_loss / count, correct / count * 100


# pytest가 이 모듈을 불러올 때 test_step을 테스트로 착각하지 않게 합니다.
test_step.__test__ = False  # type: ignore[attr-defined]


def fit(
    model: nn.Module,
    train_data: Batches,
    eval_data: Batches,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    epochs: int,
    *,
    eval_split: str = "val",
    scheduler: Any | None = None,
    print_every: int | None = None,
    progress: bool = False,
) -> dict[str, list[float]]:
    """`train_step`과 `test_step`을 에포크마다 번갈아 부르며 모델을 훈련합니다.

    매개변수:
        train_data: 훈련 데이터 `(X, y)` 또는 DataLoader.
        eval_data: 에포크마다 평가할 데이터. 보통 검증 데이터(validation data)입니다.
        eval_split: eval_data가 어느 데이터인지: "val"(검증, 기본값) 또는 "test"(테스트).
            무언가를 고르는 데(모델, 학습률, 에포크 수, 조기 종료) 쓰는 데이터는 검증 데이터여야 합니다.
            기록의 키와 출력이 이 이름을 따르므로, 고르는 데 쓴 숫자가 "테스트"로 보이는 일이 없습니다.
        scheduler: 학습률 스케줄러(scheduler). 있으면 에포크가 끝날 때마다 `step()`합니다.
        print_every: 이 에포크 간격으로 진행 상황을 출력합니다 (None이면 출력하지 않음).
        progress: True면 tqdm 진행 막대를 보여 주고, 끝나면 요약 한 줄을 출력합니다.

    반환값: 기록(history) 딕셔너리. 키는 "epoch", "train_loss", "train_acc",
    "val_loss"와 "val_acc"(eval_split="test"면 "test_loss"와 "test_acc"), "lr"이고,
    각 값은 에포크마다 하나씩 쌓인 리스트입니다.
    """
    if epochs < 1:
        raise ValueError("epochs는 1 이상이어야 합니다.")
    if eval_split not in ("val", "test"):
        raise ValueError(f'eval_split은 "val"(검증) 또는 "test"(테스트)여야 합니다. 받은 값: {eval_split!r}')
    keys = ("epoch", "train_loss", "train_acc", f"{eval_split}_loss", f"{eval_split}_acc", "lr")
    history: dict[str, list[float]] = {key: [] for key in keys}
    eval_name = SPLIT_NAMES[eval_split]
    epoch_iter: Iterable[int] = range(1, epochs + 1)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(epoch_iter, desc="훈련", unit="epoch")
        epoch_iter = bar
    for epoch in epoch_iter:
        lr = optimizer.param_groups[0]["lr"]
        train_loss, train_acc = train_step(model, train_data, loss_fn, optimizer)
        eval_loss, eval_acc = test_step(model, eval_data, loss_fn)
        if scheduler is not None:
            scheduler.step()
        for key, value in zip(keys, (epoch, train_loss, train_acc, eval_loss, eval_acc, lr), strict=True):
            history[key].append(value)
        if print_every and (epoch % print_every == 0 or epoch == epochs):
            print(
                f"에포크 {epoch:4d} | 훈련 손실 {train_loss:.4f}, 정확도 {train_acc:6.2f}% | "
                f"{eval_name} 손실 {eval_loss:.4f}, 정확도 {eval_acc:6.2f}%"
            )
    if bar is not None:
        bar.close()
        # 저장된 노트북에는 진행 막대(위젯)의 상태가 남지 않으므로, 끝난 결과를 글자로 한 줄 남깁니다.
        print(
            f"훈련 끝: {epochs} 에포크 | 훈련 손실 {history['train_loss'][-1]:.4f} | "
            f"{eval_name} 정확도 {history[f'{eval_split}_acc'][-1]:.2f}%"
        )
    return history


class _StackedLinear(nn.Module):
    """`fit_together` 전용: 같은 모양의 `nn.Linear` 여러 개를 쌓은 층. 입력 `[모델, N, in]` -> 출력 `[모델, N, out]`."""

    def __init__(self, layers: Sequence[nn.Linear]) -> None:
        super().__init__()
        # 모델마다의 `x @ W.T + b`를 배치 행렬 곱 한 번(torch.baddbmm)으로 계산하려고
        # W.T를 [모델, in, out], b를 [모델, 1, out]으로 쌓습니다.
        self.weight = nn.Parameter(torch.stack([layer.weight.detach().T for layer in layers]))
        self.bias = None
        if layers[0].bias is not None:
            self.bias = nn.Parameter(torch.stack([layer.bias.detach() for layer in layers]).unsqueeze(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.bias is None:
            return torch.bmm(x, self.weight)
        return torch.baddbmm(self.bias, x, self.weight)


def fit_together(
    models: Sequence[nn.Module],
    train_data: tuple[torch.Tensor, torch.Tensor],
    eval_data: tuple[torch.Tensor, torch.Tensor],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer_class: type[torch.optim.Optimizer],
    epochs: int,
    *,
    eval_split: str = "val",
    **optimizer_kwargs: Any,
) -> list[dict[str, list[float]]]:
    """구조가 같은 모델 여러 개(예: 시드만 다른 모델 5개)를 한꺼번에 훈련합니다.

    하는 일은 모델마다 옵티마이저 `optimizer_class(model.parameters(), **optimizer_kwargs)`를 따로 만들어
    `fit(model, train_data, eval_data, loss_fn, optimizer, epochs, eval_split=eval_split)`을 부른 것과 같습니다.
    다른 점은 속도뿐입니다: 층마다 모델들의 가중치를 `[모델, 입력, 출력]` 모양으로 쌓아 배치 행렬 곱(`torch.baddbmm`)
    한 번으로 모든 모델을 계산하고, 모델마다의 손실(샘플 평균)을 더해 한 번에 역전파합니다. 합의 기울기는 모델마다
    자기 손실의 기울기이고, 옵티마이저는 파라미터의 원소마다 따로 갱신하므로(SGD, Adam, AdamW 등) 모델들은 서로
    섞이지 않습니다. 계산 순서가 달라 끝자리 반올림은 `fit`과 다를 수 있습니다.

    쓸 수 있는 경우: 파라미터가 `nn.Linear`에만 있고 `forward`가 층과 원소별 함수(ReLU, tanh ...)만 쓰는 모델,
    전체 배치 `(X, y)` 한 쌍, 원소마다 갱신하는 옵티마이저(L-BFGS처럼 파라미터 전체를 함께 보는 것은 안 됨),
    학습률 스케줄러 없음. 그 밖의 경우에는 모델마다 `fit`을 부르세요.

    매개변수:
        models: 같은 구조의 모델들. 끝나면 모델마다 파라미터가 훈련된 값으로 바뀌고 훈련 모드입니다 (`fit`처럼).
        optimizer_class: 옵티마이저 클래스 (예: `torch.optim.Adam`). 남은 키워드 인자(`lr=0.01` 등)를 받습니다.
        그 밖의 매개변수는 `fit`과 같습니다.

    반환값: `models`와 같은 순서로 모델마다 하나씩, `fit`과 같은 키("epoch", "train_loss", "train_acc",
    "val_loss"와 "val_acc"(eval_split="test"면 "test_loss"와 "test_acc"), "lr")의 기록(history) 딕셔너리 리스트.
    """
    import copy

    if epochs < 1:
        raise ValueError("epochs는 1 이상이어야 합니다.")
    if eval_split not in ("val", "test"):
        raise ValueError(f'eval_split은 "val"(검증) 또는 "test"(테스트)여야 합니다. 받은 값: {eval_split!r}')
    models = list(models)
    if not models:
        raise ValueError("models에 모델이 하나 이상 있어야 합니다.")
    shapes = [[(name, tuple(p.shape)) for name, p in model.named_parameters()] for model in models]
    if any(s != shapes[0] for s in shapes):
        raise ValueError("fit_together의 모델들은 구조(파라미터의 이름과 모양)가 모두 같아야 합니다.")
    names = [name for name, module in models[0].named_modules() if isinstance(module, nn.Linear)]
    linear_params = {f"{name}.{p}" for name in names for p in ("weight", "bias")}
    if any(name not in linear_params for name, _ in shapes[0]):
        raise ValueError(
            "fit_together는 파라미터가 nn.Linear에만 있는 모델(예: nn.Linear + nn.ReLU)만 받습니다. "
            "모델마다 fit을 부르세요."
        )
    n_models = len(models)
    stacked = copy.deepcopy(models[0])
    for name in names:
        parent, _, child = name.rpartition(".")
        layers = [model.get_submodule(name) for model in models]
        setattr(stacked.get_submodule(parent) if parent else stacked, child, _StackedLinear(layers))
    device, _ = _model_device_dtype(models[0])
    data = []
    for pair in (train_data, eval_data):
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(t, torch.Tensor) for t in pair)):
            raise ValueError("fit_together는 전체 배치 (X, y) 텐서 한 쌍을 받습니다 (DataLoader는 모델마다 fit으로).")
        X, y = pair[0].to(device), pair[1].to(device)
        data.append((X.expand(n_models, *X.shape), y, y.repeat(n_models), len(y)))
    # 손실이 "샘플마다의 손실의 평균"이면 모델 전부의 샘플별 손실을 한 번에 구해 모델마다 평균을 냅니다.
    per_sample_fn = None
    if (
        getattr(loss_fn, "reduction", None) == "mean"
        and getattr(loss_fn, "weight", None) is None
        and getattr(loss_fn, "ignore_index", -100) == -100
    ):
        per_sample_fn = copy.copy(loss_fn)
        per_sample_fn.reduction = "none"

    def losses_and_correct(X: torch.Tensor, y: torch.Tensor, y_all: torch.Tensor, n: int):
        logits = stacked(X)
        if tuple(logits.shape[:2]) != (n_models, n):
            raise ValueError(
                f"모델을 쌓아 계산한 출력의 모양이 {tuple(logits.shape)}입니다 "
                f"([모델 {n_models}, 샘플 {n}, ...]이어야 함): forward가 dim=1 같은 고정된 차원 번호를 쓰는 모델은 "
                "fit_together로 훈련할 수 없습니다. 모델마다 fit을 부르세요."
            )
        if per_sample_fn is not None:
            flat = logits.reshape(n_models * n, *logits.shape[2:])
            per_sample, pred, target = _loss_and_labels(lambda _x: flat, X, y_all, per_sample_fn)
            return per_sample.view(n_models, n).mean(dim=1), (pred == target).view(n_models, n).sum(dim=1)
        results = [_loss_and_labels(lambda _x, i=i: logits[i], X[i], y, loss_fn) for i in range(n_models)]
        losses = torch.stack([loss for loss, _, _ in results])
        return losses, torch.stack([(pred == target).sum() for _, pred, target in results])

    optimizer = optimizer_class(stacked.parameters(), **optimizer_kwargs)
    record: dict[str, list[torch.Tensor]] = {"train_loss": [], "train_correct": [], "eval_loss": [], "eval_correct": []}
    lrs = []
    for _ in range(epochs):
        lrs.append(optimizer.param_groups[0]["lr"])
        stacked.train()
        losses, correct = losses_and_correct(*data[0])
        optimizer.zero_grad()
        losses.sum().backward()  # 합의 기울기 = 모델마다 자기 손실의 기울기
        optimizer.step()
        record["train_loss"].append(losses.detach())
        record["train_correct"].append(correct)
        stacked.eval()
        with torch.inference_mode():
            losses, correct = losses_and_correct(*data[1])
        record["eval_loss"].append(losses)
        record["eval_correct"].append(correct)
    with torch.no_grad():  # 훈련된 값을 모델마다 돌려 놓습니다.
        for name in names:
            source = stacked.get_submodule(name)
            for i, model in enumerate(models):
                layer = model.get_submodule(name)
                layer.weight.copy_(source.weight[i].T)
                if layer.bias is not None:
                    layer.bias.copy_(source.bias[i, 0])
    for model in models:
        model.train()
    table = {key: torch.stack(values).T.tolist() for key, values in record.items()}  # [모델][에포크]
    n_train, n_eval = data[0][3], data[1][3]
    return [
        {
            "epoch": list(range(1, epochs + 1)),
            # fit과 같은 식: (손실 * 샘플 수) / 샘플 수, 맞힌 개수 / 샘플 수 * 100
            "train_loss": [loss * n_train / n_train for loss in table["train_loss"][i]],
            "train_acc": [c / n_train * 100 for c in table["train_correct"][i]],
            f"{eval_split}_loss": [loss * n_eval / n_eval for loss in table["eval_loss"][i]],
            f"{eval_split}_acc": [c / n_eval * 100 for c in table["eval_correct"][i]],
            "lr": list(lrs),
        }
        for i in range(n_models)
    ]


# ---------------------------------------------------------------------------
# 점검용: "이 연산은 쓰지 마세요"를 PyTorch 디스패처(dispatcher)에서 지키기
# ---------------------------------------------------------------------------
class ForbiddenOpError(AssertionError):
    """금지된 aten 연산이 실행되었을 때 나는 오류 (점검 셀의 assert 실패와 같은 종류)."""


def _op_key(op: Any) -> str:
    """연산 이름을 비교용 열쇠로 바꿉니다: 'aten.sigmoid', 'sigmoid_', '_softmax' -> 'sigmoid', 'softmax'."""
    if isinstance(op, str):
        name = op.split("::")[-1].split(".")[-1] if op.startswith(("aten.", "aten::")) else op
    else:
        packet = getattr(op, "overloadpacket", op)  # OpOverload -> OpOverloadPacket
        name = getattr(packet, "__name__", str(packet))
        name = name.split(".")[-1]
    return name.strip("_")


class OpLog:
    """`forbid_ops` 블록 안에서 실행된 aten 연산 이름(비교용 열쇠)들. `"exp" in log`처럼 씁니다."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.forbidden: list[str] = []

    def __contains__(self, op: object) -> bool:
        return _op_key(op) in self.seen

    def __repr__(self) -> str:
        return f"OpLog(seen={sorted(set(self.seen))}, forbidden={self.forbidden})"


@contextlib.contextmanager
def forbid_ops(*ops: Any, hint: str = "") -> Iterator[OpLog]:
    """블록 안에서 주어진 aten 연산이 실행되면 한국어 메시지의 `ForbiddenOpError`를 냅니다.

    PyTorch의 디스패처 단계(`TorchDispatchMode`)에서 연산을 보므로, 어떤 이름으로 불렀든 같은
    연산이면 잡힙니다: `torch.sigmoid(z)`, `z.sigmoid()`, 미리 잡아 둔 별칭, `torch.special.expit`,
    `F.sigmoid`, `nn.Sigmoid()`, 제자리 연산 `z.sigmoid_()`가 모두 `aten.sigmoid`입니다.
    학생 코드가 오류를 `try/except`로 삼켜도 블록이 끝날 때 다시 냅니다.

    매개변수:
        ops: 금지할 연산. "sigmoid", "aten.sigmoid", `torch.ops.aten.sigmoid`처럼 씁니다.
            앞뒤 밑줄은 무시합니다: "softmax"는 `aten._softmax`도, "sigmoid"는 `aten.sigmoid_`도 막습니다.
        hint: 메시지 끝에 붙일 도움말 (예: "공식으로 직접 계산하세요").

    반환값(as): 블록 안에서 실행된 연산 기록 `OpLog` (`"exp" in log`로 썼는지 확인할 수 있습니다).
    """
    from torch.utils._python_dispatch import TorchDispatchMode

    banned = {_op_key(op) for op in ops}
    log = OpLog()

    def message(name: str) -> str:
        text = (
            f"이 문제에서는 `{name}` 연산을 쓰면 안 됩니다. `torch.{name}`, `x.{name}()`, 별칭, torch.special, "
            f"torch.nn.functional, nn 모듈 어느 것으로 불러도 같은 연산(aten.{name})입니다."
        )
        return f"{text} {hint}".strip()

    class _Guard(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):  # noqa: ANN001
            name = _op_key(func)
            log.seen.append(name)
            if name in banned:
                log.forbidden.append(name)
                raise ForbiddenOpError(message(name))
            return func(*args, **(kwargs or {}))

    with _Guard():
        yield log
    if log.forbidden:  # 블록 안에서 오류를 삼켰어도 실패입니다.
        raise ForbiddenOpError(message(log.forbidden[0]))


# ---------------------------------------------------------------------------
# 점검용: 모델이 어떤 데이터로 훈련되었는지 기록하기
# ---------------------------------------------------------------------------
def _row_keys(X: torch.Tensor) -> list[bytes]:
    """텐서의 행(샘플)마다 비교용 바이트 열쇠를 만듭니다 (float32, -0.0은 0.0으로)."""
    rows = X.detach().to("cpu", torch.float32).reshape(len(X), -1).numpy() + np.float32(0.0)
    rows = np.ascontiguousarray(rows)
    return [row.tobytes() for row in rows]


class TrainingRecord:
    """`watch_training()`이 돌려주는 기록. 점검 셀이 "이 모델이 무엇으로 훈련되었나"를 볼 때 씁니다.

    파라미터가 있는 모듈을 바깥에서 부를 때마다(모델 안쪽의 층은 빼고) 입력 텐서와 순서 번호를
    남기고, 그 출력까지 역전파(backward)가 닿았는지 표시합니다. 역전파가 닿은 순전파의 입력이
    곧 "훈련에 쓴 데이터"입니다. 평가(`model.eval()`, `torch.inference_mode()`)나 역전파하지 않은
    순전파의 입력은 "본 데이터"로만 남습니다. 기록은 모델 객체마다 따로이고, 모델이 사라지면 함께 사라집니다.
    모델을 물을 때는 그 모델과 안쪽 층의 기록을 함께 봅니다: `model.forward(X)`처럼 모델을 훅 없이 부르면
    기록이 안쪽 층에 남기 때문입니다. 역전파가 시작될 때 파라미터에 이전 기울기가 남아 있었는지도 표시합니다
    (`zero_grad()`를 빠뜨린 루프).
    """

    def __init__(self) -> None:
        import weakref

        self._calls: weakref.WeakKeyDictionary[nn.Module, list[list[Any]]] = weakref.WeakKeyDictionary()
        self._seq = 0
        self._stack: list[nn.Module] = []
        self._handles: list[Any] = []

    # 전역 모듈 훅 (torch.nn.modules.module.register_module_forward_*_hook)
    def _pre(self, module: nn.Module, args: tuple) -> None:
        self._stack.append(module)

    def _post(self, module: nn.Module, args: tuple, output: Any) -> None:
        if self._stack:
            self._stack.pop()
        if self._stack or not args or not isinstance(args[0], torch.Tensor):
            return  # 모델 안쪽의 층이거나, 텐서 입력이 아닌 호출
        if next(module.parameters(), None) is None:
            return  # 손실 함수, torchmetrics 지표처럼 파라미터가 없는 모듈
        self._seq += 1
        entry = [self._seq, args[0], False, False]  # [순서 번호, 입력, 역전파가 닿았나, 그때 기울기가 남아 있었나]
        self._calls.setdefault(module, []).append(entry)
        if isinstance(output, torch.Tensor) and output.requires_grad:
            params = tuple(module.parameters())

            def mark(grad: torch.Tensor, entry: list[Any] = entry, params: tuple = params) -> None:
                # 출력의 기울기가 나온 때는 이 순전파의 기울기가 파라미터에 더해지기 전입니다.
                if not entry[2]:
                    entry[3] = any(p.grad is not None and bool(p.grad.detach().ne(0).any()) for p in params)
                entry[2] = True

            output.register_hook(mark)

    def stop(self) -> None:
        """기록을 멈춥니다 (훅을 뗍니다)."""
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
        self._stack.clear()

    def forget(self, model: nn.Module) -> None:
        """이 모델(과 안쪽 층)의 기록을 지웁니다 (모델을 처음 상태로 되돌린 뒤에 부릅니다)."""
        for module in model.modules():
            self._calls.pop(module, None)

    def _per_module(self, model: nn.Module) -> list[list[list[Any]]]:
        return [self._calls[module] for module in model.modules() if module in self._calls]

    def _entries(self, model: nn.Module) -> list[list[Any]]:
        return [entry for entries in self._per_module(model) for entry in entries]

    def backward_count(self, model: nn.Module) -> int:
        """이 모델의 순전파 중 역전파가 닿은 것의 수 (전체 배치 훈련이면 에포크 수).

        모델과 안쪽 층 가운데 가장 많은 수입니다 (`model.forward(X)`로 부르면 층마다 하나씩 남습니다).
        """
        return max((sum(1 for entry in entries if entry[2]) for entries in self._per_module(model)), default=0)

    def leftover_grad_count(self, model: nn.Module) -> int:
        """역전파가 시작될 때 이 모델의 파라미터에 이전 기울기(0이 아닌 `.grad`)가 남아 있던 횟수.

        훈련 루프가 `optimizer.zero_grad()`를 빠뜨리면 두 번째 역전파부터 매번 셉니다 (기울기가 쌓임).
        """
        return max((sum(1 for entry in entries if entry[3]) for entries in self._per_module(model)), default=0)

    def _keys(self, entries: Iterable[list[Any]]) -> set[bytes]:
        keys: set[bytes] = set()
        done: set[int] = set()
        for _, inputs, *_ in entries:
            if id(inputs) not in done:  # 전체 배치 훈련에서는 같은 텐서가 에포크마다 들어옵니다
                done.add(id(inputs))
                keys.update(_row_keys(inputs))
        return keys

    def trained_on(self, model: nn.Module, X: torch.Tensor) -> torch.Tensor:
        """X의 행마다, 그 행이 이 모델의 (역전파가 닿은) 훈련 순전파에 들어갔는지: bool 텐서 `[len(X)]`."""
        keys = self._keys(entry for entry in self._entries(model) if entry[2])
        return torch.tensor([key in keys for key in _row_keys(X)], dtype=torch.bool)

    def seen_while_training(self, model: nn.Module, X: torch.Tensor) -> torch.Tensor:
        """X의 행마다, 이 모델의 마지막 역전파 전에 (역전파 없이) 모델에 들어간 적이 있는지: bool `[len(X)]`.

        훈련하는 동안 에포크마다 평가한 데이터가 여기에 잡힙니다 (보통 검증 데이터).
        """
        entries = self._entries(model)
        last = max((entry[0] for entry in entries if entry[2]), default=0)
        keys = self._keys(entry for entry in entries if not entry[2] and entry[0] < last)
        return torch.tensor([key in keys for key in _row_keys(X)], dtype=torch.bool)

    @staticmethod
    def rows_in(X: torch.Tensor, pool: torch.Tensor) -> torch.Tensor:
        """X의 행마다, 똑같은 행이 pool에 있는지: bool 텐서 `[len(X)]` (겹치는 샘플을 가려낼 때)."""
        keys = set(_row_keys(pool))
        return torch.tensor([key in keys for key in _row_keys(X)], dtype=torch.bool)


_TRAINING_RECORD: TrainingRecord | None = None


def watch_training() -> TrainingRecord:
    """점검용: 지금부터 모델에 들어가는 데이터를 기록하기 시작하고 그 기록(`TrainingRecord`)을 돌려줍니다.

    연습 노트북의 준비 셀이 부르고, 점검 셀이 `record.trained_on(model, X_val)`처럼 "검증 데이터로
    훈련하지 않았나"를 봅니다. 직접 쓴 루프든 `fit`이든, 전체 배치든 미니배치든 똑같이 기록됩니다.
    다시 부르면 이전 기록을 멈추고 새 기록을 시작합니다. 계산 결과는 바뀌지 않습니다.
    """
    from torch.nn.modules.module import register_module_forward_hook, register_module_forward_pre_hook

    global _TRAINING_RECORD
    if _TRAINING_RECORD is not None:
        _TRAINING_RECORD.stop()
    record = TrainingRecord()
    record._handles = [
        register_module_forward_pre_hook(record._pre),
        register_module_forward_hook(record._post, always_call=True),
    ]
    _TRAINING_RECORD = record
    return record
