"""Helpers for the course *Convolutional Neural Networks in Medical Imaging*.

Notebooks import modules, never names with ``*``::

    from helpers import course, viz
    course.setup()

One module per concept, each documented where the lesson that teaches it is named:

- ``course``   – the set-up every notebook calls once, fast mode, the course map (00).
- ``viz``      – plotting helpers: image grids with fixed grey levels, training curves.
- ``checks``   – the small framework behind the auto-checked exercises (00).
- ``widgets``  – thin ipywidgets wiring around pure, testable update functions (00).
- ``medimg``   – real CT/MR scans shipped with pydicom, Hounsfield units and windows.
- ``history``  – receptive fields, complex cells, the Neocognitron, the timeline (01).
- ``convolution``, ``pooling`` – the operations from scratch, their figures and widgets (02, 03).
- ``data``     – MedMNIST downloads with checksums and a cache, safe loading, synthetic data.
- ``models``, ``evaluation``, ``classifier`` – the chest X-ray classifier, its clinical
  evaluation and its command line (``python -m helpers.classifier``).
- ``check_<lesson>`` – the exercise checkers of each lesson.
"""
