"""helper_functions의 약속(DESIGN.md의 표)을 하나씩 확인합니다."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from matplotlib.collections import PathCollection
from torch import nn

import helper_functions as hf


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- accuracy_fn ------------------------------------------------------------
def test_accuracy_equal_inputs_is_100():
    y = torch.tensor([0, 1, 1, 0, 2])
    assert hf.accuracy_fn(y, y.clone()) == 100.0


def test_accuracy_counts_percent():
    assert hf.accuracy_fn(torch.tensor([1, 0, 1, 1]), torch.tensor([1, 1, 1, 0])) == 50.0
    assert hf.accuracy_fn(np.array([1, 0, 1]), [1, 0, 0]) == pytest.approx(200 / 3)


def test_accuracy_rejects_column_vs_flat_with_korean_message():
    # 참고 강좌의 구현은 [N,1] vs [N]을 브로드캐스팅해 5018 % 같은 값을 돌려줍니다.
    torch.manual_seed(0)
    y_true = torch.randint(0, 2, (200,))
    y_pred = y_true.reshape(-1, 1)
    with pytest.raises(ValueError, match="모양이 다릅니다") as info:
        hf.accuracy_fn(y_true, y_pred)
    assert "(200,)" in str(info.value) and "(200, 1)" in str(info.value)
    assert "squeeze" in str(info.value)


def test_accuracy_rejects_different_lengths():
    with pytest.raises(ValueError, match="모양이 다릅니다"):
        hf.accuracy_fn(torch.zeros(3), torch.zeros(4))


# --- logits_to_labels ---------------------------------------------------------
def test_logits_to_labels_binary_and_multiclass():
    assert hf.logits_to_labels(torch.tensor([-1.0, 0.5, 2.0])).tolist() == [0, 1, 1]
    assert hf.logits_to_labels(torch.tensor([[-1.0], [3.0]])).tolist() == [0, 1]
    assert hf.logits_to_labels(torch.tensor([[0.1, 2.0, 0.3], [5.0, 1.0, 0.0]])).tolist() == [1, 0]


# --- plot_decision_boundary ---------------------------------------------------
def _blobs(n=60, scale=1.0, classes=(0, 1)):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 2)).astype(np.float32) * scale
    y = np.array([classes[i % len(classes)] for i in range(n)])
    return X, y


def _filled_regions(ax):
    return [c for c in ax.collections if not isinstance(c, PathCollection)] or [
        c for c in ax.get_children() if type(c).__name__ == "QuadContourSet"
    ]


def _check_drawn(ax, returned):
    assert returned is ax
    assert _filled_regions(ax), "채운 영역(contourf)이 그려지지 않았습니다"
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("out_features", [1, 2])
def test_decision_boundary_binary_one_or_two_logits(out_features):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, out_features))
    X, y = _blobs()
    _, ax = plt.subplots()
    _check_drawn(ax, hf.plot_decision_boundary(model, torch.from_numpy(X), torch.from_numpy(y), ax=ax))


def test_decision_boundary_four_classes_with_two_present():
    torch.manual_seed(0)
    model = nn.Linear(2, 4)
    X, y = _blobs(classes=(0, 3))
    _, ax = plt.subplots()
    _check_drawn(ax, hf.plot_decision_boundary(model, X, y, ax=ax))
    # 색 구분은 로짓 4개에 맞춰 4칸이어야 합니다 (데이터에 2개만 있어도).
    contour = _filled_regions(ax)[0]
    assert len(contour.levels) == 5


def test_decision_boundary_numpy_input_and_float64_model():
    torch.manual_seed(0)
    model = nn.Linear(2, 1).double()
    X, y = _blobs()
    _, ax = plt.subplots()
    _check_drawn(ax, hf.plot_decision_boundary(model, X.astype(np.float64), y, ax=ax))
    assert next(model.parameters()).dtype == torch.float64


def test_decision_boundary_grid_follows_data_scale():
    torch.manual_seed(0)
    model = nn.Linear(2, 1)
    X, y = _blobs(scale=1.0)
    X = X * np.array([500.0, 0.01], dtype=np.float32) + np.array([1000.0, -3.0], dtype=np.float32)
    _, ax = plt.subplots()
    hf.plot_decision_boundary(model, X, y, ax=ax)
    x_lo, x_hi = ax.get_xlim()
    y_lo, y_hi = ax.get_ylim()
    assert x_lo < X[:, 0].min() < X[:, 0].max() < x_hi
    assert y_lo < X[:, 1].min() < X[:, 1].max() < y_hi
    assert x_hi - x_lo < 1.5 * np.ptp(X[:, 0]) and y_hi - y_lo < 1.5 * np.ptp(X[:, 1])


@pytest.mark.parametrize("training", [True, False])
def test_decision_boundary_restores_mode_and_device(training):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.Dropout(0.5), nn.Linear(4, 1))
    model.train(training)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model.to(device)
    X, y = _blobs()
    hf.plot_decision_boundary(model, torch.from_numpy(X).to(device), y)
    assert model.training is training
    assert all(m.training is training for m in model.modules())
    assert next(model.parameters()).device.type == device


def test_decision_boundary_rejects_three_features():
    model = nn.Linear(3, 1)
    with pytest.raises(ValueError, match="특성이 정확히 2개"):
        hf.plot_decision_boundary(model, torch.zeros(10, 3), torch.zeros(10))


def test_decision_boundary_rejects_label_count_mismatch():
    with pytest.raises(ValueError, match="샘플 수"):
        hf.plot_decision_boundary(nn.Linear(2, 1), torch.zeros(10, 2), torch.zeros(9))


# --- other plots ----------------------------------------------------------------
def test_plot_predictions_returns_axes_with_labels():
    x = torch.arange(0, 1, 0.02).unsqueeze(1)
    ax = hf.plot_predictions(x[:40], 0.7 * x[:40] + 0.3, x[40:], 0.7 * x[40:] + 0.3, 0.7 * x[40:])
    assert len(ax.collections) == 3 and ax.get_title() and ax.get_legend() is not None


def test_plot_loss_curves_draws_two_panels():
    history = {"train_loss": [1.0, 0.5], "test_loss": [1.1, 0.6], "train_acc": [50, 80], "test_acc": [45, 75]}
    loss_ax, acc_ax = hf.plot_loss_curves(history)
    assert len(loss_ax.lines) == 2 and len(acc_ax.lines) == 2
    assert loss_ax.get_xlabel() and acc_ax.get_ylabel()
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["훈련 손실", "테스트 손실"]
    with pytest.raises(KeyError, match="val_loss"):
        hf.plot_loss_curves({"train_loss": [1.0]})


def test_plot_loss_curves_names_validation_data():
    history = {"train_loss": [1.0, 0.5], "val_loss": [1.1, 0.6], "train_acc": [50, 80], "val_acc": [45, 75]}
    loss_ax, acc_ax = hf.plot_loss_curves(history)
    assert [t.get_text() for t in acc_ax.get_legend().get_texts()] == ["훈련 정확도", "검증 정확도"]
    plt.close("all")


def test_korean_title_renders_without_missing_glyph_warning():
    fig, ax = plt.subplots()
    ax.plot([-2.0, 2.0], [-1.0, 1.0])  # 음수 눈금: 빼기 기호도 글꼴에 있어야 합니다.
    ax.set_title("결정 경계: 한글 제목")
    ax.set_xlabel("특성 1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "missing from font" in m], messages


# --- seeds, data, training loop -------------------------------------------------
def _run_fit(seed):
    hf.set_seeds(seed)
    X = torch.randn(64, 2)
    y = (X[:, 0] * X[:, 1] > 0).long()
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, y), batch_size=16, shuffle=True)
    return hf.fit(model, loader, (X, y), nn.CrossEntropyLoss(), optimizer, epochs=5)


def test_set_seeds_makes_fit_reproducible():
    first, second = _run_fit(7), _run_fit(7)
    assert first == second
    assert _run_fit(8)["train_loss"] != first["train_loss"]


def test_fit_returns_per_epoch_history():
    history = _run_fit(0)
    assert "test_acc" not in history and "test_loss" not in history  # 기본값은 검증 데이터
    for key in ("epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr"):
        assert len(history[key]) == 5, key
    assert history["epoch"] == [1, 2, 3, 4, 5]
    assert all(0.0 <= a <= 100.0 for a in history["train_acc"] + history["val_acc"])


def test_fit_binary_full_batch_learns_and_leaves_model_training():
    hf.set_seeds(0)
    X = torch.randn(200, 2)
    y = (X[:, 0] + X[:, 1] > 0).float()
    model = nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    history = hf.fit(model, (X, y), (X, y), nn.BCEWithLogitsLoss(), optimizer, epochs=50, eval_split="test")
    assert history["test_acc"][-1] >= 95.0
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert model.training


def test_test_step_does_not_change_parameters_and_restores_eval_mode():
    torch.manual_seed(0)
    model = nn.Linear(2, 3).eval()
    before = [p.clone() for p in model.parameters()]
    loss, acc = hf.test_step(model, (torch.randn(10, 2), torch.randint(0, 3, (10,))), nn.CrossEntropyLoss())
    assert loss > 0 and 0 <= acc <= 100
    assert not model.training
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


def test_fit_steps_scheduler():
    torch.manual_seed(0)
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    data = (torch.randn(8, 2), torch.randint(0, 2, (8,)))
    history = hf.fit(model, data, data, nn.CrossEntropyLoss(), optimizer, 3, scheduler=scheduler)
    assert history["lr"] == [1.0, 0.5, 0.25]


def test_make_spirals_is_seeded_and_shaped():
    X, y = hf.make_spirals(n_points_per_class=50, n_classes=4, random_state=3)
    X2, y2 = hf.make_spirals(n_points_per_class=50, n_classes=4, random_state=3)
    X3, _ = hf.make_spirals(n_points_per_class=50, n_classes=4, random_state=4)
    assert X.shape == (200, 2) and y.shape == (200,)
    assert X.dtype == np.float32 and y.dtype == np.int64
    assert np.array_equal(X, X2) and np.array_equal(y, y2) and not np.array_equal(X, X3)
    assert np.bincount(y).tolist() == [50, 50, 50, 50]


def test_results_table_and_validation():
    table = hf.results_table({"MLP": {"dataset": "circles", "test_acc": 99.5, "epochs": 100}})
    assert table.splitlines()[0] == "| 모델 | dataset | test_acc | epochs |"
    assert "| MLP | circles | 99.50 | 100 |" in table
    with pytest.raises(ValueError, match="정확도 열이 없습니다"):
        hf.results_table({"MLP": {"dataset": "circles"}})
    with pytest.raises(ValueError, match="어느 데이터에서 잰 값인지"):
        hf.results_table({"MLP": {"dataset": "circles", "val_acc": 99.0, "best_acc": 99.0}})
    with pytest.raises(ValueError, match="dataset"):
        hf.results_table({"MLP": {"val_acc": 99.0}})
    assert "val_acc" in hf.results_table({"MLP": {"dataset": "circles", "val_acc": 99.0}})


def test_fit_rejects_unknown_eval_split():
    model = nn.Linear(2, 1)
    data = (torch.zeros(4, 2), torch.zeros(4))
    with pytest.raises(ValueError, match="eval_split"):
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        hf.fit(model, data, data, nn.BCEWithLogitsLoss(), optimizer, 1, eval_split="dev")


# --- 훈련 / 검증 / 테스트 분할 ---------------------------------------------------------
def test_train_val_test_split_sizes_stratified_and_test_matches_two_way_split():
    from sklearn.model_selection import train_test_split

    X = np.arange(1000, dtype=np.float32).reshape(-1, 1)
    y = np.repeat([0, 1, 2, 3], [400, 300, 200, 100])
    X_tr, X_va, X_te, y_tr, y_va, y_te = hf.train_val_test_split(X, y, val_size=0.2, test_size=0.2)
    assert (len(X_tr), len(X_va), len(X_te)) == (600, 200, 200)
    for part in (y_tr, y_va, y_te):
        assert np.bincount(part).tolist() == (np.bincount(y) * len(part) // 1000).tolist()
    assert not set(X_tr[:, 0]) & set(X_va[:, 0]) and not set(X_va[:, 0]) & set(X_te[:, 0])
    _, X_te2, _, _ = train_test_split(X, y, test_size=0.2, random_state=42, stratify=y)
    assert sorted(X_te[:, 0]) == sorted(X_te2[:, 0])  # 같은 테스트 데이터 (강의 02의 80:20 분할과 같음)


def test_train_val_test_split_keeps_tensors_and_rejects_bad_sizes():
    X, y = torch.randn(50, 2), torch.arange(50) % 2
    parts = hf.train_val_test_split(X, y, val_size=0.2, test_size=0.2)
    assert all(isinstance(p, torch.Tensor) for p in parts)
    with pytest.raises(ValueError, match="합이 1보다"):
        hf.train_val_test_split(X, y, val_size=0.5, test_size=0.5)


# --- forbid_ops: 디스패처 단계의 "쓰지 마세요" -------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda z: torch.sigmoid(z),
        lambda z: z.sigmoid(),
        lambda z: torch.special.expit(z),
        lambda z: F.sigmoid(z),
        lambda z: nn.Sigmoid()(z),
        lambda z: z.clone().sigmoid_(),
        lambda z: torch._C._VariableFunctions.sigmoid(z),
    ],
    ids=["torch", "method", "special", "functional", "module", "inplace", "C-function"],
)
def test_forbid_ops_catches_every_route_to_the_op(call):
    z = torch.tensor([-1.0, 0.0, 2.0])
    with pytest.raises(hf.ForbiddenOpError, match="`sigmoid` 연산을 쓰면 안 됩니다"):
        with hf.forbid_ops("aten.sigmoid"):
            call(z)


def test_forbid_ops_catches_swallowed_error_and_alias_captured_before():
    alias = torch.sigmoid
    z = torch.tensor([0.5])

    def sneaky(t):
        try:
            return alias(t)
        except Exception:
            return 1 / (1 + torch.exp(-t))

    with pytest.raises(hf.ForbiddenOpError):
        with hf.forbid_ops(torch.ops.aten.sigmoid):
            sneaky(z)


def test_forbid_ops_allows_other_ops_and_records_them():
    z = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    with hf.forbid_ops("sigmoid", "softmax", hint="공식으로") as log:
        out = 1 / (1 + torch.exp(-z))
        out.sum().backward()
    assert torch.allclose(out, torch.sigmoid(z))
    assert "exp" in log and "aten.exp" in log and "sigmoid" not in log
    with pytest.raises(hf.ForbiddenOpError, match="공식으로"):
        with hf.forbid_ops("softmax", hint="공식으로"):
            F.softmax(torch.randn(2, 3), dim=1)  # aten._softmax


def test_grading_seed_is_drawn_once_per_process_and_settable(monkeypatch):
    monkeypatch.setattr(hf, "_GRADING_SEED", None)
    monkeypatch.delenv("COURSE_GRADING_SEED", raising=False)
    first = hf.grading_seed()
    assert 0 <= first < 2**31 - 1 and hf.grading_seed() == first  # 한 프로세스 안에서는 같은 값
    hf._set_grading_seed(12345)
    assert hf.grading_seed() == 12345
    with pytest.raises(ValueError):
        hf._set_grading_seed(-1)


def test_grading_seed_reads_environment_for_reruns(monkeypatch):
    monkeypatch.setattr(hf, "_GRADING_SEED", None)
    monkeypatch.setenv("COURSE_GRADING_SEED", "777")
    assert hf.grading_seed() == 777


# --- watch_training: 점검 셀이 "무엇으로 훈련했나"를 보는 기록 ---------------------------------
def _watch_data():
    torch.manual_seed(0)
    X = torch.randn(30, 2)
    y = (X[:, 0] > 0).long()
    return X[:20], y[:20], X[20:25], y[20:25], X[25:], y[25:]


def test_watch_training_separates_trained_evaluated_and_later_data():
    Xtr, ytr, Xva, yva, Xte, yte = _watch_data()
    record = hf.watch_training()
    try:
        model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        hf.fit(model, (Xtr, ytr), (Xva, yva), nn.CrossEntropyLoss(), opt, epochs=3)
        hf.test_step(model, (Xte, yte), nn.CrossEntropyLoss())  # 훈련이 끝난 뒤의 테스트: 괜찮습니다
        model(Xte)  # 훈련 모드, 기울기 계산 중이지만 역전파 없음: 훈련이 아닙니다
        assert record.backward_count(model) == 3
        assert record.trained_on(model, Xtr).all() and not record.trained_on(model, Xva).any()
        assert record.seen_while_training(model, Xva).all()  # 에포크마다 검증
        assert not record.seen_while_training(model, Xte).any() and not record.trained_on(model, Xte).any()
        other = nn.Linear(2, 2)
        assert record.backward_count(other) == 0 and not record.trained_on(other, Xtr).any()
        record.forget(model)
        assert record.backward_count(model) == 0
    finally:
        record.stop()


def test_watch_training_sees_minibatches_and_concatenated_validation():
    Xtr, ytr, Xva, yva, *_ = _watch_data()
    record = hf.watch_training()
    try:
        model = nn.Linear(2, 2)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        X_all, y_all = torch.cat([Xtr, Xva]), torch.cat([ytr, yva])  # 틀림: 훈련 + 검증
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X_all, y_all), batch_size=4, shuffle=True)
        for _ in range(2):
            for xb, yb in loader:
                opt.zero_grad()
                nn.functional.cross_entropy(model(xb), yb).backward()
                opt.step()
        assert record.trained_on(model, Xtr).all() and record.trained_on(model, Xva).all()
        assert record.backward_count(model) == 2 * len(loader)
        assert hf.TrainingRecord.rows_in(Xva, X_all).all() and not hf.TrainingRecord.rows_in(Xva, Xtr).any()
    finally:
        record.stop()


def test_watch_training_survives_errors_and_restarts_cleanly():
    Xtr, ytr, *_ = _watch_data()
    first = hf.watch_training()
    model = nn.Linear(2, 2)
    with pytest.raises(RuntimeError):
        model(torch.randn(3, 5))  # 모양 오류: 기록이 꼬이지 않아야 합니다
    nn.functional.cross_entropy(model(Xtr), ytr).backward()
    assert first.trained_on(model, Xtr).all()
    second = hf.watch_training()  # 새 기록: 이전 기록은 멈춥니다
    try:
        nn.functional.cross_entropy(model(Xtr * 2), ytr).backward()
        assert not first.trained_on(model, Xtr * 2).any() and second.trained_on(model, Xtr * 2).all()
    finally:
        second.stop()


def test_watch_training_sees_model_forward_called_directly():
    """`model.forward(X)`는 모델의 훅을 건너뜁니다: 기록은 안쪽 층에 남고, 모델로 물어도 보입니다."""
    Xtr, ytr, Xva, yva, *_ = _watch_data()
    record = hf.watch_training()
    try:
        model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(3):
            loss = nn.functional.cross_entropy(model.forward(Xtr), ytr)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            model.forward(Xva)
        assert record.backward_count(model) == 3  # 층마다 3번: 가장 많은 수 = 에포크 수
        assert record.trained_on(model, Xtr).all() and not record.trained_on(model, Xva).any()
        assert not record.seen_while_training(model, Xva).any()  # 훈련이 끝난 뒤의 평가
        assert record.leftover_grad_count(model) == 0
        record.forget(model)
        assert record.backward_count(model) == 0 and not record.trained_on(model, Xtr).any()
    finally:
        record.stop()


def test_watch_training_counts_backward_passes_that_start_with_leftover_gradients():
    Xtr, ytr, *_ = _watch_data()
    record = hf.watch_training()
    try:
        for zero_grad, set_to_none, expected in [(True, True, 0), (True, False, 0), (False, True, 3)]:
            model = nn.Linear(2, 2)
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            for _ in range(4):
                loss = nn.functional.cross_entropy(model(Xtr), ytr)
                if zero_grad:
                    opt.zero_grad(set_to_none=set_to_none)
                loss.backward()
                opt.step()
            assert record.leftover_grad_count(model) == expected, (zero_grad, set_to_none)
            assert record.backward_count(model) == 4
        fitted = nn.Linear(2, 2)  # fit의 train_step은 backward 전에 zero_grad
        opt = torch.optim.SGD(fitted.parameters(), lr=0.1)
        hf.fit(fitted, (Xtr, ytr), (Xtr, ytr), nn.CrossEntropyLoss(), opt, epochs=3)
        assert record.leftover_grad_count(fitted) == 0 and record.backward_count(fitted) == 3
    finally:
        record.stop()


# --- fit_together (강의 03: 시드 여러 개를 한꺼번에) ------------------------------------------
class _TwoLayer(nn.Module):
    def __init__(self, out_features=1):
        super().__init__()
        self.layer_1 = nn.Linear(2, 6)
        self.layer_2 = nn.Linear(6, out_features)

    def forward(self, x):
        return self.layer_2(torch.relu(self.layer_1(x)))


@pytest.mark.parametrize(
    "out_features, loss_fn, optimizer_class, lr",
    [
        (1, nn.BCEWithLogitsLoss(), torch.optim.SGD, 0.5),
        (1, nn.BCEWithLogitsLoss(), torch.optim.Adam, 0.05),
        (3, nn.CrossEntropyLoss(), torch.optim.SGD, 0.5),
        (3, nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5])), torch.optim.Adam, 0.05),  # 모델마다 부르는 길
    ],
)
def test_fit_together_does_what_fit_does_for_each_model(out_features, loss_fn, optimizer_class, lr):
    gen = torch.Generator().manual_seed(0)
    X, X_val = torch.randn(60, 2, generator=gen), torch.randn(30, 2, generator=gen)
    label = (
        (lambda X: (X[:, 0] * X[:, 1] > 0).float())
        if out_features == 1
        else (lambda X: (X.sum(1) > 0).long() + (X[:, 0] > 1).long())
    )
    data, val = (X, label(X)), (X_val, label(X_val))

    def build(seed):
        torch.manual_seed(seed)
        return _TwoLayer(out_features)

    alone, alone_histories = [], []
    for seed in (1, 2, 3):
        model = build(seed)
        alone_histories.append(hf.fit(model, data, val, loss_fn, optimizer_class(model.parameters(), lr=lr), 15))
        alone.append(model)
    together = [build(seed) for seed in (1, 2, 3)]
    together[1].eval()
    histories = hf.fit_together(together, data, val, loss_fn, optimizer_class, 15, lr=lr)
    assert len(histories) == 3
    for model_a, model_b, h_a, h_b in zip(alone, together, alone_histories, histories, strict=True):
        assert h_a.keys() == h_b.keys() and h_b["epoch"] == list(range(1, 16)) and h_b["lr"] == [lr] * 15
        for key in ("train_loss", "val_loss"):
            assert np.allclose(h_a[key], h_b[key], atol=1e-5), key
        for key in ("train_acc", "val_acc"):  # 같은 예측이면 같은 정확도 (끝자리 반올림으로 갈릴 점은 없음)
            assert np.allclose(h_a[key], h_b[key], atol=1e-9), key
        for p_a, p_b in zip(model_a.parameters(), model_b.parameters(), strict=True):
            assert torch.allclose(p_a, p_b, atol=1e-5)
        assert model_b.training  # fit처럼 훈련 모드로 끝납니다.


def test_fit_together_names_the_eval_split_and_rejects_what_it_cannot_stack():
    torch.manual_seed(0)
    data = (torch.randn(20, 2), torch.randint(0, 2, (20,)).float())
    histories = hf.fit_together(
        [_TwoLayer(), _TwoLayer()], data, data, nn.BCEWithLogitsLoss(), torch.optim.SGD, 2, eval_split="test", lr=0.1
    )
    assert "test_acc" in histories[0] and "val_acc" not in histories[0]
    with pytest.raises(ValueError, match="nn.Linear에만"):
        hf.fit_together(
            [nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))] * 2,
            data,
            data,
            nn.BCEWithLogitsLoss(),
            torch.optim.SGD,
            1,
            lr=0.1,
        )
    with pytest.raises(ValueError, match="구조"):
        hf.fit_together([_TwoLayer(1), _TwoLayer(3)], data, data, nn.BCEWithLogitsLoss(), torch.optim.SGD, 1, lr=0.1)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*data), batch_size=5)
    with pytest.raises(ValueError, match="전체 배치"):
        hf.fit_together([_TwoLayer()], loader, data, nn.BCEWithLogitsLoss(), torch.optim.SGD, 1, lr=0.1)
