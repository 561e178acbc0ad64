"""helpers.history.neocognitron: S- and C-layers, the two-stage hierarchy, and Keras agreeing."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers import history  # noqa: E402


def test_c_layer_takes_block_maxima_and_drops_partial_blocks():
    x = np.arange(5 * 7, dtype=np.float32).reshape(5, 7, 1)
    pooled = history.apply_c_layer(x, 2)
    assert pooled.shape == (2, 3, 1) and pooled.dtype == np.float32
    assert pooled[0, 0, 0] == x[1, 1, 0] and pooled[1, 2, 0] == x[3, 5, 0]
    with pytest.raises(ValueError, match="size must be a whole number from 1 to 5"):
        history.apply_c_layer(x, 9)


def test_s_layer_is_the_rectified_weighted_sum_of_a_neighbourhood():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 5, 2)).astype(np.float32)
    kernels = rng.normal(size=(3, 3, 2, 4)).astype(np.float32)
    bias = rng.normal(size=4).astype(np.float32)
    out = history.apply_s_layer(x, kernels, bias)
    assert out.shape == (6, 5, 4) and out.dtype == np.float32 and out.min() >= 0.0
    padded = np.pad(x, ((1, 1), (1, 1), (0, 0)))  # zero padding keeps the size
    row, col, f = 0, 3, 2
    drive = float(np.sum(padded[row : row + 3, col : col + 3] * kernels[..., f]) + bias[f])
    assert out[row, col, f] == pytest.approx(max(0.0, drive), abs=1e-5)


def test_s_layer_explains_a_channel_mismatch():
    with pytest.raises(ValueError, match="input map"):
        history.apply_s_layer(np.zeros((8, 8, 3)), np.zeros((3, 3, 1, 2)))


def test_neocognitron_stages_and_what_the_s2_cells_detect():
    stages = history.run_neocognitron(history.make_glyph_image(64))
    shapes = {name: maps.shape for name, maps in stages.items()}
    assert shapes == {"input": (64, 64, 1), "S1": (64, 64, 4), "C1": (32, 32, 4),
                      "S2": (32, 32, 2), "C2": (16, 16, 2)}
    c2 = stages["C2"]
    quadrant = {"plus": c2[:8, :8], "cross": c2[:8, 8:], "L": c2[8:, :8], "slash": c2[8:, 8:]}
    peak = {name: maps.max(axis=(0, 1)) for name, maps in quadrant.items()}
    assert peak["plus"][0] > 0.2 and peak["plus"][1] == 0
    assert peak["cross"][1] > 0.2 and peak["cross"][0] == 0
    assert peak["L"].max() == 0 and peak["slash"].max() == 0
    assert isinstance(history.plot_hierarchy(stages), Figure)


def test_numpy_s_and_c_layers_match_keras():
    from helpers import course

    course.import_tensorflow_quietly()
    import keras

    image = history.make_glyph_image(64)
    s2_kernels, s2_bias = history.make_s2_kernels()
    model = keras.Sequential([
        keras.Input((64, 64, 1)),
        keras.layers.Conv2D(4, 9, padding="same", activation="relu", use_bias=False),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(2, 7, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
    ])
    model.layers[0].set_weights([history.make_s1_kernels()])
    model.layers[2].set_weights([s2_kernels, s2_bias])
    from_keras = model(image[None, ..., None]).numpy()[0]
    assert np.allclose(from_keras, history.run_neocognitron(image)["C2"], atol=1e-5)
