"""Thin ipywidgets wiring.

A widget in this course only connects controls to a *pure* update function that returns a
matplotlib Figure (or a short message string). The tests call the update functions directly
over their whole grid of control values; :func:`interactive_figure` does the wiring.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

UpdateResult = Figure | str


def render(update: Callable[..., UpdateResult], **values) -> UpdateResult:
    """Call ``update(**values)``; a ``ValueError`` becomes its message, so a learner sees
    what to change instead of a traceback."""
    try:
        return update(**values)
    except ValueError as error:
        return f"⚠️ {error}"


def interactive_figure(update: Callable[..., UpdateResult], *, arrangement=None, **controls):
    """Return a widget box: ``controls`` (name → ipywidget) above the output of ``update``.

    Every change of a control calls ``update`` with all current values and redraws.
    ``arrangement``: an optional ipywidgets container holding the same controls in a custom
    layout; by default they sit in one row that wraps when the notebook is narrow.
    """
    import ipywidgets as widgets
    from IPython.display import HTML, display

    output = widgets.Output()

    def redraw(_change=None) -> None:
        # inside the output: an unexpected error shows as a traceback under the controls
        # (ipywidgets' Output catches it there) instead of vanishing into the kernel's log
        with output:
            result = render(update, **{name: control.value for name, control in controls.items()})
            output.clear_output(wait=True)
            if isinstance(result, Figure):
                display(result)
                plt.close(result)
            else:
                display(HTML(f'<p class="course-widget-message">{result}</p>'))

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    if arrangement is None:
        arrangement = widgets.HBox(list(controls.values()),
                                   layout=widgets.Layout(flex_flow="row wrap"))
    return widgets.VBox([arrangement, output])


# --------------------------------------------------------------------------- testing a widget


def control_grid(controls: Mapping[str, Sequence]) -> list[dict]:
    """Every combination of the control values ``{name: values}``, as keyword dicts: the whole
    grid a widget's test walks through its pure function."""
    return [dict(zip(controls, values, strict=True))
            for values in itertools.product(*controls.values())]


def covering_settings(controls: Mapping[str, Sequence],
                      is_possible: Callable[[dict], bool]) -> list[dict]:
    """A few possible settings that together show every value of every control: what a test
    draws, one figure per value instead of one per grid point. ``ValueError`` names the values
    that no possible setting shows."""
    missing = {(name, value) for name, values in controls.items() for value in values}
    chosen = []
    for settings in control_grid(controls):
        new = set(settings.items()) & missing
        if new and is_possible(settings):
            chosen.append(settings)
            missing -= new
    if missing:
        raise ValueError(f"no possible setting shows {sorted(missing, key=str)}")
    return chosen
