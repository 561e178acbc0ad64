"""End-to-end tests of ``python -m helpers.classifier`` and of the functions behind it.

The real-data tests read ``../shared/datasets/pneumoniamnist_trainval.npz`` next to the
repository (train and val splits of PneumoniaMNIST) and are skipped when it is absent.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import classifier, data

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = ROOT.parent / "shared" / "datasets" / "pneumoniamnist_trainval.npz"
#: Few epochs for the tests (about 0.99 val AUC with them); the floor leaves a wide margin.
TEST_EPOCHS = 4
VAL_AUC_FLOOR = 0.90

# Keras saves weights through an __array__ call that NumPy 2 flags; not our code.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")

needs_real_data = pytest.mark.skipif(not REAL_DATA.is_file(),
                                     reason=f"{REAL_DATA} is not available")


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = classifier.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def small_synthetic():
    return data.make_synthetic_chest(n_train=240, n_val=120, n_test=120, seed=3)


@pytest.fixture(scope="module")
def trained_real(tmp_path_factory):
    """Train through the command line on the real train split (few epochs)."""
    if not REAL_DATA.is_file():
        pytest.skip(f"{REAL_DATA} is not available")
    path = tmp_path_factory.mktemp("real") / "model.keras"
    code = classifier.main(["train", "--data", str(REAL_DATA), "--out", str(path),
                            "--epochs", str(TEST_EPOCHS), "--seed", "0", "--quiet"])
    assert code == 0
    return path


# --------------------------------------------------------------------------- real data


@pytest.mark.slow
@needs_real_data
def test_train_then_evaluate_on_val(trained_real, capsys):
    code, out, err = run_cli(capsys, "evaluate", "--model", trained_real, "--data", REAL_DATA,
                             "--split", "val", "--n-boot", "50")
    assert code == 0, err
    report = last_json(out)
    for key in classifier.REPORT_KEYS:
        assert key in report, key
    assert report["n"] == 524
    assert report["auc"] >= VAL_AUC_FLOOR, f"val AUC {report['auc']:.3f} after {TEST_EPOCHS} epochs"
    assert 0.0 < report["threshold"] < 1.0
    assert report["auc_ci_low"] <= report["auc"] <= report["auc_ci_high"]
    assert "AUC" in out and "sensitivity" in out  # the readable part comes first


@pytest.mark.slow
@needs_real_data
def test_saved_model_reloads_in_safe_mode_with_its_threshold(trained_real):
    import keras

    from helpers import models  # registers the threshold layer

    loaded = keras.models.load_model(trained_real, safe_mode=True)
    threshold = models.read_threshold(loaded)
    again = classifier.load_classifier(trained_real)
    assert models.read_threshold(again) == threshold
    images = data.load_dataset(str(REAL_DATA)).split("val").images[:64]
    np.testing.assert_array_equal(classifier.predict_probabilities(loaded, images),
                                  classifier.predict_probabilities(again, images))


@pytest.fixture(scope="module")
def untrained_path(tmp_path_factory):
    """An untrained model with a threshold, saved: enough to exercise the argument checks."""
    from helpers import models

    path = tmp_path_factory.mktemp("untrained") / "untrained.keras"
    models.attach_threshold(models.build_improved_cnn(seed=0), 0.5).save(path)
    return path


@needs_real_data
def test_absent_split_names_the_available_ones(untrained_path, capsys):
    code, out, err = run_cli(capsys, "evaluate", "--model", untrained_path, "--data", REAL_DATA,
                             "--split", "test")
    assert code == 2
    assert "no 'test' split" in err and "available splits: train, val" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# --------------------------------------------------------------------------- synthetic data


@pytest.mark.slow
def test_cli_works_on_the_synthetic_dataset(tmp_path, capsys):
    path = tmp_path / "synthetic.keras"
    code, out, err = run_cli(capsys, "train", "--data", "synthetic", "--out", path,
                             "--epochs", "2", "--seed", "1")
    assert code == 0, err
    assert "epoch   2/2" in out and path.is_file()
    summary = last_json(out)
    assert summary["parameters"] < 1_000_000 and summary["settings"]["epochs"] == 2
    code, out, err = run_cli(capsys, "evaluate", "--model", path, "--data", "synthetic",
                             "--n-boot", "0")
    assert code == 0, err
    report = last_json(out)
    assert report["split"] == "test" and report["n"] == 200
    assert report["threshold"] == pytest.approx(summary["val_threshold"], abs=1e-6)
    assert "auc_ci_low" not in report


def test_train_save_load_gives_identical_predictions(small_synthetic, tmp_path):
    import keras

    from helpers import models

    settings = classifier.TrainSettings(epochs=1, batch_size=64, seed=5)
    result = classifier.train_classifier(small_synthetic, settings, log=None)
    path = tmp_path / "m.keras"
    result.model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert models.read_threshold(loaded) == result.threshold
    images = small_synthetic.split("test").images
    np.testing.assert_array_equal(classifier.predict_probabilities(result.model, images),
                                  classifier.predict_probabilities(loaded, images))
    assert result.val_report["threshold"] == result.threshold
    assert set(result.history) >= {"loss", "val_loss", "val_auc"}
    assert len(result.history["loss"]) == 1


@pytest.mark.slow
def test_same_seed_same_model(small_synthetic):
    def weights(seed):
        settings = classifier.TrainSettings(epochs=1, batch_size=64, seed=seed)
        result = classifier.train_classifier(small_synthetic, settings, log=None)
        return result.model.get_weights(), result.threshold

    first, t1 = weights(7)
    second, t2 = weights(7)
    third, _ = weights(8)
    assert t1 == t2
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, third, strict=True))


def test_threshold_from_held_out_train_when_there_is_no_val_split():
    only_train = data.make_synthetic_chest(n_train=300, n_val=0, n_test=0, seed=4)
    result = classifier.train_classifier(
        only_train, classifier.TrainSettings(epochs=1, batch_size=64), log=None)
    assert "of train" in result.val_report["split"]
    assert result.val_report["n"] == pytest.approx(0.15 * 300, abs=2)


# --------------------------------------------------------------------------- pieces


def test_class_weights_balance_the_classes():
    weights = classifier.compute_class_weights(np.array([0] * 10 + [1] * 90))
    assert weights == pytest.approx({0: 5.0, 1: 100 / 180})
    assert 10 * weights[0] == pytest.approx(90 * weights[1])
    with pytest.raises(ValueError, match="no training example"):
        classifier.compute_class_weights(np.array([0, 0, 2]))


def test_hold_out_is_stratified_and_disjoint():
    labels = np.array([0] * 20 + [1] * 80)
    images = np.arange(100)[:, None]
    xa, ya, xb, yb = classifier.hold_out(images, labels, 0.25, seed=0)
    assert np.bincount(yb).tolist() == [5, 20]
    assert sorted(np.r_[xa[:, 0], xb[:, 0]].tolist()) == list(range(100))


def test_robust_threshold_keeps_a_margin_from_every_score():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(60), np.ones(200)].astype(int)
    p = np.clip(np.r_[rng.normal(0.3, 0.15, 60), rng.normal(0.75, 0.15, 200)], 0, 1)
    t = classifier.choose_threshold_robustly(y, p, seed=0)
    below, above = p[p < t].max(), p[p >= t].min()
    assert t == pytest.approx((below + above) / 2)
    assert t == classifier.choose_threshold_robustly(y, p, seed=0)  # seeded
    assert 0.35 < t < 0.7


def test_multi_class_data_is_refused():
    split = data.Split(images=np.zeros((6, 28, 28, 1), np.uint8), labels=np.arange(6) % 3)
    three = data.Dataset(name="three", splits={"train": split, "val": split},
                         label_names=["a", "b", "c"], task="multi-class", source="test")
    with pytest.raises(ValueError, match="two classes"):
        classifier.train_classifier(three, log=None)


def test_settings_are_checked():
    with pytest.raises(ValueError, match="epochs"):
        classifier.TrainSettings(epochs=0).check()
    with pytest.raises(ValueError, match="threshold method"):
        classifier.TrainSettings(threshold_method="magic").check()


# --------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ([], "required"),
        (["fit"], "invalid choice"),
        (["train", "--data", "synthetic"], "--out"),
        (["train", "--data", "synthetic", "--out", "m.h5"], ".keras"),
        (["train", "--data", "synthetic", "--out", "m.keras", "--epochs", "0"], "epochs"),
        (["train", "--data", "synthetic", "--out", "m.keras", "--epochs", "two"], "invalid int"),
        (["train", "--data", "/no/such/file.npz", "--out", "m.keras"], "does not exist"),
        (["train", "--data", "nosuchmnist", "--out", "m.keras"], "unknown data set"),
        (["evaluate", "--model", "/no/such/model.keras", "--data", "synthetic"], "no model file"),
        (["evaluate", "--model", "m.keras", "--data", "synthetic", "--n-boot", "3"], "n-boot"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, match, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, *args)
    assert code == 2
    assert match in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")


def test_model_without_threshold_is_refused(tmp_path, capsys):
    from helpers import models

    path = tmp_path / "plain.keras"
    models.build_figure3_cnn().save(path)
    code, _, err = run_cli(capsys, "evaluate", "--model", path, "--data", "synthetic")
    assert code == 2 and "stores no decision threshold" in err


def test_command_line_process_exits_2_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "helpers.classifier", "train", "--data", "synthetic",
         "--out", str(tmp_path / "m.keras"), "--epochs", "-1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "error: epochs must be a positive integer, got -1"
    assert result.stdout == ""
