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


def _baselines(svm_acc=100.0, n_test=200):
    return {
        name: {
            "svm_acc": svm_acc,
            "svm_cv_acc": 99.0,
            "svm_params": "C=1, gamma=1",
            "logreg_acc": 50.0,
            "sizes": (600, 200, n_test),
        }
        for name in bench.DATASETS
    }


def test_report_puts_numbers_in_their_tables():
    notebooks = [
        _notebook(
            {"MLP": {"dataset": "circles", "val_acc": 99.5, "test_acc": 99.0, "epochs": 300, "train_seconds": 1.5}}
        )
    ]
    references = {"circles": {"recipe": "ref", "test_acc": 86.5, "epochs": 1000, "seconds": 3.0}}
    grading = [{"exercise": "01_x", "submissions": 30, "sandbox": "켬", "jobs": 2, "total_s": 75.0}]
    text = bench.report(notebooks, _baselines(), references, make_test_s=120.0, grading=grading)
    assert "| notebooks/03_x.ipynb | 4.0 | 40.0 | 44.0 | **아니오** |" in text  # 30초 기준 초과
    row = (
        "| circles | 600/200/200 | MLP (notebooks/03_x.ipynb) | 99.50 | 99.00 (198/200) | 100.00 (200/200) | 99.00 "
        "| C=1, gamma=1 | 50.00 (100/200) | +2 | 0.50 | SVM이 2개 더 맞힘: 구별 안 됨 (차이 5개 이하) |"
    )
    assert row in text
    assert "| 1000 | 3.00 | MLP (notebooks/03_x.ipynb) | 99.00 | 300 | 1.50 | 2.0x |" in text
    assert "120.0초 (기준 안" in text
    assert "| 01_x | 30 | 켬 | 2 | 75.0 | 2.50 | **아니오** |" in text  # 제출물당 2초 기준 초과
    assert "1점 이내" not in text


@pytest.mark.parametrize(
    ("svm_acc", "model_acc", "n_test", "gap", "verdict"),
    [
        (96.67, 98.33, 60, -1, "노트북이 1개 더 맞힘: 구별 안 됨"),  # 나선: 예전 표의 -1.67점 "예"
        (98.15, 96.30, 54, 1, "SVM이 1개 더 맞힘: 구별 안 됨"),  # 와인: 예전 표의 +1.85점 "아니오"
        (100.0, 100.0, 200, 0, "같음: 구별 안 됨"),
        (100.0, 97.0, 200, 6, "SVM이 6개 더 맞힘: 표본별 예측으로 McNemar 검정 필요"),
        (92.0, 100.0, 200, -16, "노트북이 16개 더 맞힘: 표본별 예측으로"),
    ],
)
def test_gap_is_two_sided_and_counted_in_test_samples(svm_acc, model_acc, n_test, gap, verdict):
    got_gap, got_verdict = bench.gap_in_samples(svm_acc, model_acc, n_test)
    assert got_gap == gap and verdict in got_verdict


def test_noise_bound_is_the_exact_mcnemar_limit():
    """차이가 NOISE_SAMPLES개 이하이면 가장 유리한 경우에도 양쪽 정확 McNemar p >= 0.05, 하나 더 많으면 < 0.05."""
    from scipy.stats import binomtest

    k = bench.NOISE_SAMPLES
    assert binomtest(k, k, 0.5).pvalue >= 0.05 > binomtest(k + 1, k + 1, 0.5).pvalue


def test_circles_reference_row_uses_the_validation_chosen_model_even_without_a_time():
    notebooks = [
        _notebook({"V2 (최종)": {"dataset": "circles (훈련 600)", "val_acc": 100.0, "test_acc": 99.5, "epochs": 200}}),
        _notebook({"MLP": {"dataset": "circles", "val_acc": 99.0, "test_acc": 100.0, "train_seconds": 0.5}}),
    ]
    references = {"circles": {"recipe": "ref", "test_acc": 78.0, "epochs": 1000, "seconds": 1.0}}
    text = bench.report(notebooks, _baselines(), references, make_test_s=None)
    assert "| circles | ref | 78.00 | 1000 | 1.00 | V2 (최종) (notebooks/03_x.ipynb) | 99.50 | 200 | - | - |" in text
    assert "이번 실행에서는 재지 않았습니다." in text  # 채점 속도 자리


def test_saved_results_are_read_without_running(tmp_path):
    import nbformat

    import helper_functions as hf

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show_results(...)")
    data = {"text/plain": "표", hf.RESULTS_MIME: {"M": {"dataset": "wine", "val_acc": 94.4, "test_acc": 96.3}}}
    cell.outputs = [nbformat.v4.new_output("display_data", data)]
    nb.cells = [cell]
    path = tmp_path / "notebooks" / "05_x.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    result = bench.saved_results(path)
    assert result["rows"] == {"M": {"dataset": "wine", "val_acc": 94.4, "test_acc": 96.3}}
    assert result["total_s"] is None
    text = bench.report([result], _baselines(), {}, make_test_s=None)
    assert "이번 실행에서는 재지 않았습니다 (--from-outputs" in text
