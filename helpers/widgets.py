"""Thin ipywidgets wiring.

A widget in this course only connects controls to a *pure* update function that returns a
matplotlib Figure (or a short message string). The tests call the update functions directly
over their whole grid of control values; :func:`interactive_figure` does the wiring.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Mapping, Sequence

import matplotlib as mpl
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


def figure_png(fig: Figure) -> bytes:
    """``fig`` as PNG at its own size and dpi, drawn once.

    The notebook's own way of showing a figure crops it to what is drawn ("tight"), which draws
    it twice; a widget's figure lays itself out to fit its canvas (a layout engine or fixed
    margins), so one drawing is enough, and every redraw is that much faster."""
    buffer = io.BytesIO()
    engine = fig.get_layout_engine()
    with mpl.rc_context({"savefig.bbox": "standard"}):
        # zlib level 3 instead of Pillow's 6: as small a file for these figures, 40 % quicker
        fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 3})
    if engine is None:
        # saving a figure without a layout engine gives it the one the course style names
        # (matplotlib 3.10 and 3.11): a later drawing would move its axes, so it is taken back
        fig.set_layout_engine("none")
    return buffer.getvalue()


#: the CSS class of the note a slow update shows while it works (``pending``)
PENDING_CLASS = "course-widget-pending"


def _pending_note(pending, values: dict) -> str | None:
    """``pending(**values)``; None without ``pending`` or for values it rejects (the update's own
    message then says what to change)."""
    if pending is None:
        return None
    try:
        return pending(**values)
    except ValueError:
        return None


def interactive_figure(update: Callable[..., UpdateResult], *, arrangement=None,
                       pending: Callable[..., str | None] | None = None, **controls):
    """Return a widget box: ``controls`` (name → ipywidget) above the output of ``update``.

    Every change of a control calls ``update`` with all current values and redraws (once per
    new set of values: a control whose observer sets another control redraws once).
    ``arrangement``: an optional ipywidgets container holding the same controls in a custom
    layout; by default they sit in one row that wraps when the notebook is narrow.
    ``pending``: for an update that takes seconds (lesson 05 trains a model), a function of the
    same values that returns a short note shown while ``update`` works, or None for no note.
    """
    import ipywidgets as widgets
    from IPython.display import HTML, Image, display

    output = widgets.Output()
    shown = {}  # the values drawn last

    def redraw(_change=None) -> None:
        values = {name: control.value for name, control in controls.items()}
        if values == shown:  # a control that sets another one (a size locked to 3) draws once
            return
        shown.clear()
        shown.update(values)
        # inside the output: an unexpected error shows as a traceback under the controls
        # (ipywidgets' Output catches it there) instead of vanishing into the kernel's log
        with output:
            note = _pending_note(pending, values)
            if note:
                output.clear_output(wait=True)
                display(HTML(f'<p class="{PENDING_CLASS}">⏳ {note}</p>'))
            result = render(update, **values)
            output.clear_output(wait=True)
            if isinstance(result, Figure):
                try:
                    display(Image(figure_png(result), format="png"))
                finally:
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


def canvas_margins(fig: Figure) -> dict[str, float]:
    """The room, in inches, between what ``fig`` draws and each edge of its canvas ("left",
    "bottom", "right", "top"): negative where :func:`figure_png` would cut something off."""
    fig.draw_without_rendering()
    drawn, (width, height) = fig.get_tightbbox(), fig.get_size_inches()
    return {"left": drawn.x0, "bottom": drawn.y0, "right": width - drawn.x1,
            "top": height - drawn.y1}


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
