"""벤치마크 도구: 분할이 노트북과 같은지, 검증으로 고른 모델을 쓰는지, 보고서가 숫자를 제자리에 넣는지.

느린 실행은 하지 않습니다.
"""

import numpy as np
import pytest

from tools import bench


@pytest.mark.parametrize(
    ("name", "sizes"),
    [
        ("circles", (600, 200, 200)),
        ("blobs", (600, 200, 200)),
        ("spirals", (180, 60, 60)),
        ("wine", (88, 36, 54)),
        ("digits", (1077, 360, 360)),
    ],
)
def test_splits_have_the_documented_sizes_and_are_stratified(name, sizes):
    X_train, X_val, X_test, y_train, y_val, y_test = bench.load_split(name)
    assert (len(X_train), len(X_val), len(X_test)) == sizes == (len(y_train), len(y_val), len(y_test))
    whole = np.bincount(np.concatenate([y_train, y_val, y_test])) / (sum(sizes))
    for part in (y_train, y_val, y_test):
        assert np.abs(np.bincount(part, minlength=len(whole)) / len(part) - whole).max() < 0.03


def _notebook(rows, name="notebooks/03_x.ipynb"):
    return {"notebook": name, "kernel_s": 4.0, "execute_s": 40.0, "total_s": 44.0, "rows": rows}


def test_chosen_model_is_picked_by_validation_not_test_accuracy():
    notebooks = [
        _notebook({"A": {"dataset": "circles", "val_acc": 99.0, "test_acc": 97.0}}),
        _notebook({"B": {"dataset": "circles", "val_acc": 98.0, "test_acc": 100.0}}, "solutions/03_x.ipynb"),
        _notebook({"C (후보)": {"dataset": "circles", "val_acc": 100.0}}),  # 테스트로 재지 않은 후보
        _notebook({"D (훈련)": {"dataset": "circles", "train_acc": 100.0, "test_acc": 100.0}}),  # 검증 없음
    ]
    assert [m for _, _, m, _ in bench.chosen_models(notebooks, "circles")] == ["A", "B"]


def test_report_puts_numbers_in_their_tables():
    notebooks = [
        _notebook(
            {"MLP": {"dataset": "circles", "val_acc": 99.5, "test_acc": 99.0, "epochs": 300, "train_seconds": 1.5}}
        )
    ]
    baselines = {
        name: {
            "svm_acc": 100.0,
            "svm_cv_acc": 99.0,
            "svm_params": "C=1, gamma=1",
            "logreg_acc": 50.0,
            "sizes": (600, 200, 200),
        }
        for name in bench.DATASETS
    }
    references = {"circles": {"recipe": "ref", "test_acc": 86.5, "epochs": 1000, "seconds": 3.0}}
    text = bench.report(notebooks, baselines, references, make_test_s=120.0)
    assert "| notebooks/03_x.ipynb | 4.0 | 40.0 | 44.0 | **아니오** |" in text  # 30초 기준 초과
    row = "| circles | 600/200/200 | MLP (notebooks/03_x.ipynb) | 99.50 | 99.00 | 100.00 | 99.00 | C=1, gamma=1"
    assert row + " | 50.00 | +1.00 | 예 |" in text
    assert "| 1000 | 3.00 | MLP | 99.00 | 300 | 1.50 | 2.0x |" in text
    assert "120.0초 (기준 안" in text
