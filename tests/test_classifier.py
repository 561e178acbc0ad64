"""End-to-end tests of the command line ``python -m helpers.classifier`` (the functions behind it
are tested in test_training.py).

The real-data tests read the PneumoniaMNIST v2 train/val copy from ``shared/datasets/`` next to
the repository (``helpers.data.locations.shared_dataset()``) and are skipped when it is absent.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import classifier, data

ROOT = Path(__file__).resolve().parents[1]
#: The real PneumoniaMNIST v2 train/val copy (helpers/data/locations.py), or None: then the
#: real-data tests are skipped.
REAL_DATA = data.locations.shared_dataset(data.locations.PNEUMONIA_TRAINVAL)
ABSENT = f"no {data.locations.PNEUMONIA_TRAINVAL} (see helpers/data/locations.py)"
#: Three epochs on 1,200 training images are enough for the tests (val AUC about 0.96); the
#: floor leaves a wide margin.
TEST_EPOCHS = 3
TEST_TRAIN_IMAGES = 1200
VAL_AUC_FLOOR = 0.90

pytestmark = [
    # The model trained on the real data is shared by this module's tests (trained once per run:
    # the unit stage keeps a module on one worker, --dist loadscope).
    # Keras saves weights through an __array__ call that NumPy 2 flags; not our code.
    pytest.mark.filterwarnings(
        "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]

needs_real_data = pytest.mark.skipif(REAL_DATA is None, reason=ABSENT)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = classifier.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def trained_real(tmp_path_factory):
    """Train through the command line on part of the real train split (a stratified
    :data:`TEST_TRAIN_IMAGES`, saved in the MedMNIST layout) and the whole val split."""
    if REAL_DATA is None:
        pytest.skip(ABSENT)
    from helpers import training

    folder = tmp_path_factory.mktemp("real")
    real = data.load_dataset(str(REAL_DATA))
    part, _ = training.hold_out(real.split("train"), len(real.split("train")) - TEST_TRAIN_IMAGES,
                                seed=0)
    val = real.split("val")
    subset = folder / "pneumoniamnist_part.npz"
    np.savez(subset, train_images=part.images[..., 0], train_labels=part.labels[:, None],
             val_images=val.images[..., 0], val_labels=val.labels[:, None])
    path = folder / "model.keras"
    code = classifier.main(["train", "--data", str(subset), "--out", str(path),
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
    again = models.load_classifier(trained_real)
    assert models.read_threshold(again) == threshold
    images = data.load_dataset(str(REAL_DATA)).split("val").images[:64]
    np.testing.assert_array_equal(models.predict_probabilities(loaded, images),
                                  models.predict_probabilities(again, images))


@pytest.fixture(scope="module")
def untrained_path(tmp_path_factory):
    """An untrained model with a threshold, saved: enough to exercise the argument checks."""
    from helpers import models

    path = tmp_path_factory.mktemp("untrained") / "untrained.keras"
    models.attach_threshold(models.build_figure3_cnn(), 0.5).save(path)
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
                             "--epochs", "1", "--seed", "1")
    assert code == 0, err
    assert "epoch   1/1" in out and path.is_file()
    summary = last_json(out)
    assert summary["parameters"] < 1_000_000 and summary["settings"]["epochs"] == 1
    code, out, err = run_cli(capsys, "evaluate", "--model", path, "--data", "synthetic",
                             "--n-boot", "0")
    assert code == 0, err
    report = last_json(out)
    assert report["split"] == "test" and report["n"] == 200
    assert report["threshold"] == pytest.approx(summary["val_threshold"], abs=1e-6)
    assert "auc_ci_low" not in report


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
        (["train", "--data", "breastmnist", "--out", "m.keras", "--size", "32"],
         "invalid choice: 32"),
        (["train", "--data", "synthetic", "--out", "m.keras", "--size", "64"],
         "can only be chosen for a MedMNIST flag"),
        (["train", "--data", "synthetic", "--out", "m.keras", "--positive", "cancer"],
         "unknown positive class 'cancer'"),
        (["train", "--data", "synthetic", "--out", "m.keras", "--members", "0"], "members"),
        (["train", "--data", "synthetic", "--out", "m.keras/"], "is a folder"),
        (["train", "--data", "synthetic", "--out", "afile/m.keras"], "is a file, not a folder"),
        (["evaluate", "--model", "/no/such/model.keras", "--data", "synthetic"], "no model file"),
        (["evaluate", "--model", "m.keras", "--data", "synthetic", "--n-boot", "3"], "n-boot"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, match, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("not a folder")
    (tmp_path / "m.keras").mkdir() if args[-1:] == ["m.keras/"] else None
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
    assert result.stderr.strip() == "error: epochs must be a positive integer (1, 2, ...), got -1"
    assert result.stdout == ""


def test_output_path_is_checked_before_any_training(tmp_path, capsys, monkeypatch):
    from helpers import training

    def must_not_train(*args, **kwargs):
        raise AssertionError("training started although the model cannot be saved")

    monkeypatch.setattr(training, "train_classifier", must_not_train)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    code, _, err = run_cli(capsys, "train", "--data", "synthetic", "--out",
                           blocker / "sub" / "m.keras")
    assert code == 2 and "is a file, not a folder" in err and "Traceback" not in err


def test_damaged_model_file_exits_2(untrained_path, tmp_path, capsys):
    damaged = tmp_path / "damaged.keras"
    damaged.write_bytes(untrained_path.read_bytes()[:200])
    code, _, err = run_cli(capsys, "evaluate", "--model", damaged, "--data", "synthetic")
    assert code == 2 and "damaged" in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")


def test_classes_that_do_not_fit_the_model_exit_2(tmp_path, capsys):
    from helpers import models

    path = tmp_path / "five.keras"
    models.attach_info(models.build_figure3_cnn(n_classes=5), {
        "dataset": "retinamnist", "label_names": [f"grade {i}" for i in range(5)]}).save(path)
    code, _, err = run_cli(capsys, "evaluate", "--model", path, "--data", "synthetic")
    assert code == 2 and "synthetic_chest has 2 classes, but the model was trained on 5" in err


def test_other_data_than_the_training_data_gives_a_warning(tmp_path, capsys):
    from helpers import models

    path = tmp_path / "breast.keras"
    model = models.attach_threshold(models.build_figure3_cnn(), 0.5)
    models.attach_info(model, {"dataset": "breastmnist", "positive_class": 0,
                               "label_names": ["malignant", "normal or benign"]}).save(path)
    code, out, err = run_cli(capsys, "evaluate", "--model", path, "--data", "synthetic",
                             "--n-boot", "0")
    assert code == 0
    assert "warning: the model was trained on 'breastmnist'" in err
    assert "warning: the model's classes are named" in err
    report = last_json(out)
    assert report["positive_class"] == 0 and report["positive"] == "normal"
    assert "positive class 'normal'" in out
