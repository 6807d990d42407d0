"""벤치마크 도구: 분할이 노트북과 같은지, 보고서가 숫자를 제자리에 넣는지 (느린 실행은 하지 않습니다)."""

import pytest

from tools import bench


@pytest.mark.parametrize(
    ("name", "sizes"),
    [
        ("circles", (800, 200)),
        ("blobs", (800, 200)),
        ("spirals", (240, 60)),
        ("wine", (124, 54)),
        ("digits", (1437, 360)),
    ],
)
def test_splits_have_the_documented_sizes(name, sizes):
    X_train, X_test, y_train, y_test = bench.load_split(name)
    assert (len(X_train), len(X_test)) == sizes == (len(y_train), len(y_test))


def test_report_puts_numbers_in_their_tables():
    notebooks = [
        {
            "notebook": "notebooks/03_x.ipynb",
            "kernel_s": 4.0,
            "execute_s": 40.0,
            "total_s": 44.0,
            "rows": {"MLP": {"dataset": "circles", "test_acc": 99.0, "epochs": 300, "train_seconds": 1.5}},
        }
    ]
    baselines = {name: {"svm_acc": 100.0, "svm_params": "C=1, gamma=1", "logreg_acc": 50.0} for name in bench.DATASETS}
    references = {"circles": {"recipe": "ref", "test_acc": 86.5, "epochs": 1000, "seconds": 3.0}}
    text = bench.report(notebooks, baselines, references, make_test_s=120.0)
    assert "| notebooks/03_x.ipynb | 4.0 | 40.0 | 44.0 | **아니오** |" in text  # 30초 기준 초과
    assert "| circles | 99.00 | MLP (notebooks/03_x.ipynb) | 100.00 | C=1, gamma=1 | 50.00 | +1.00 | 예 |" in text
    assert "| 1000 | 3.00 | MLP | 99.00 | 300 | 1.50 | 2.0x |" in text
    assert "120.0초 (기준 안" in text
