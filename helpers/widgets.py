"""Thin ipywidgets wiring.

A widget in this course only connects controls to a *pure* update function that returns a
matplotlib Figure (or a short message string). The tests call the update functions directly
over their whole grid of control values; :func:`interactive_figure` does the wiring.
"""

from __future__ import annotations

from collections.abc import Callable

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
        result = render(update, **{name: control.value for name, control in controls.items()})
        with output:
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
