"""helpers.layers: what a Keras model is made of, read from the model itself."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from helpers import layers  # noqa: E402


def test_layer_table_and_stack_come_from_the_model():
    from helpers import course

    course.import_tensorflow_quietly()
    import keras

    model = keras.Sequential([keras.Input((12, 12, 1)), keras.layers.Conv2D(4, 3, name="c"),
                              keras.layers.MaxPooling2D(2, name="p"),
                              keras.layers.Flatten(name="f"), keras.layers.Dense(3, name="d")])
    rows = layers.describe_layers(model)
    assert [(r["name"], r["shape"], r["params"]) for r in rows] == [
        ("input", (12, 12, 1), 0), ("c", (10, 10, 4), 40), ("p", (5, 5, 4), 0),
        ("f", (100,), 0), ("d", (3,), 303)]
    assert [r["detail"] for r in rows] == ["", "4 filters 3×3", "2×2", "", "3 units"]
    table = layers.format_layer_table(rows)
    assert "10×10×4" in table and "343" in table
    assert isinstance(layers.plot_layer_stack(model), Axes)
    plt.close("all")


def test_an_unbuilt_model_is_explained():
    class Unbuilt:
        inputs = None

    with pytest.raises(ValueError, match="keras.Input"):
        layers.describe_layers(Unbuilt())
