"""Helpers for the course *Convolutional Neural Networks in Medical Imaging*.

Notebooks import modules, never names with ``*``::

    from helpers import course, viz
    course.setup()

Modules (one per concept, each small enough to read in one sitting):

- ``course``  – the set-up every notebook calls once, fast mode, the course map.
- ``viz``     – plotting helpers (image grids with fixed grey levels, training curves).
- ``checks``  – the small framework behind the auto-checked exercises.
- ``widgets`` – thin ipywidgets wiring around pure, testable update functions.

Later lessons add their own modules beside these.
"""

__all__ = ["checks", "course", "viz", "widgets"]
