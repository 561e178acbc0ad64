"""Helpers for the course *Convolutional Neural Networks in Medical Imaging*.

Notebooks import modules, never names with ``*``::

    from helpers import course, viz
    from helpers.checks import convolution as check_convolution
    course.setup()

The package map: one room per job. Where new code goes is in CONTRIBUTING.md, and
``tests/`` mirrors this layout (``tests/test_layout.py`` keeps this map complete).

Infrastructure
- ``course``      – the set-up every notebook calls once, fast mode, the course map (00).
- ``viz``         – plots several lessons share: image grids with fixed grey levels, training curves.
- ``widgets``     – thin ipywidgets wiring around pure, testable update functions.
- ``validate``    – the argument checks every module makes (positive integers, one of ...).
- ``timing``      – timing a call: a lesson's speed comparison and the benchmarks.
- ``colab``       – Google Colab: run by the first code cell of every notebook there, it makes
  the course importable and installs only what Colab lacks (standard library only).
- ``checks``      – the exercise framework: results, and the cases every checker shares.
  One module per notebook with exercises, named after the notebook's slug:
  ``checks.start_here`` (00), ``checks.history`` (01), ``checks.convolution`` (02),
  ``checks.pooling`` (03), ``checks.fully_connected`` (04), ``checks.hyperparameters`` (05),
  ``checks.activations`` (06), ``checks.classic_ml`` (07), ``checks.transfer_learning`` (08),
  ``checks.chest_xray_training`` (09), ``checks.clinical_evaluation`` (10).
  Each of them also holds the lesson's quiz, ``QUIZ``.
- ``quiz``        – the end-of-lesson quiz: multiple-choice and numeric questions, each wrong answer
  with its own explanation, and the widget with a Check button per question.
- ``progress``    – the exercises and quiz questions a learner has passed, per notebook, kept in
  one local JSON file (``progress.show()``, ``progress.reset()``; shown in 00).

Lessons: the maths, figures and widget of each topic
- ``start_here``  – the environment check of notebook 00: a phantom and a slider.
- ``history``     – receptive fields, complex cells, the Neocognitron, the timeline (01):
  ``history.cells``, ``history.figures``, ``history.widget``, ``history.neocognitron``,
  ``history.timeline``.
- ``convolution`` – Equation (1) from scratch, padding, stride, kernels (02): ``convolution.ops``,
  ``convolution.kernels``, ``convolution.figures``, ``convolution.widget``.
- ``pooling``     – max, average and global pooling, the size rule, shifts (03): ``pooling.ops``,
  ``pooling.shift``, ``pooling.figures``, ``pooling.widget``.
- ``fully_connected`` – flatten and the dense layer W·x + b, binary and categorical cross-entropy,
  backpropagation by hand through a tiny CNN, gradient descent (04): ``fully_connected.ops``,
  ``fully_connected.backprop``, ``fully_connected.figures``, ``fully_connected.widget``.
- ``hyperparameters`` – learned versus chosen, the bias as a shift, padding visit counts, the
  receptive field, dropout, learning rate and live training (05): ``hyperparameters.ops``,
  ``hyperparameters.figures``, ``hyperparameters.widget``.
- ``activations`` – sigmoid, tanh, ReLU, leaky ReLU and softmax with their derivatives, the
  entry's misprints, vanishing gradients, dying ReLU, softmax overflow (06): ``activations.ops``,
  ``activations.experiments``, ``activations.figures``, ``activations.widget``.
- ``classic_ml``  – CNNs against MLPs and classic machine learning: weights per neuron and
  parameter sharing, hand-crafted features (histogram, edges, HOG, Gabor), scikit-learn
  pipelines against an MLP and a CNN, learning curves (07): ``classic_ml.sharing``,
  ``classic_ml.features``, ``classic_ml.pipelines``, ``classic_ml.curves``,
  ``classic_ml.figures``, ``classic_ml.widget``.
- ``transfer``    – other organs and transfer learning: the positive class on purpose, freezing and
  fine-tuning, the transfer experiment, ImageNet and its pretrained weights, the entry's
  applications (08): ``transfer.ops``, ``transfer.imagenet``, ``transfer.applications``,
  ``transfer.figures``, ``transfer.widget``.
- ``layers``      – what a Keras model is made of: the layer table and the layer-stack figure (01, 04).
- ``gradients``   – checking gradients: ``finite_difference`` (01), backpropagation against the
  tape and finite differences, weight by weight (04).

Data
- ``data``        – one entry point, ``data.load_dataset``: ``data.datasets`` (Dataset, Split),
  ``data.medmnist`` (the manifest and checked, cached downloads), ``data.files`` (npz files and
  image folders), ``data.synthetic`` (offline chest-like images), ``data.medimg`` (CT/MR scans
  shipped with pydicom, Hounsfield units, windows), ``data.locations`` (every data path and
  environment variable), ``data.offline`` (every file of the course fetched into one folder for
  a room without internet: ``python -m helpers.data.offline FOLDER``).

Toolkit: the chest X-ray classifier (09 trains it, 10 evaluates it)
- ``models``      – the Figure-3 CNN, the improved CNN, augmentation, the stored threshold.
- ``training``    – the one training recipe, used by the command line, the notebooks and
  the data-hygiene experiment.
- ``ablation``    – one change at a time, from Figure 3 to the command line's recipe (09).
- ``model_store`` – the course model trained once (09) and reloaded (10): saved in the data cache,
  reused only for the same images and settings.
- ``distribute``  – training on several GPUs or machines with ``tf.distribute`` (``--distribute``).
- ``evaluation``  – the clinical evaluation: ``evaluation.metrics``, ``evaluation.thresholds``,
  ``evaluation.uncertainty`` (bootstrap CIs), ``evaluation.calibration``, ``evaluation.report``,
  ``evaluation.multiclass`` (K classes), ``evaluation.figures``, ``evaluation.widget`` (the
  threshold-and-prevalence explorer and the case browser of 10).
- ``robustness``  – the stress test: simulated acquisition changes, test-time augmentation,
  accuracy at another prevalence (09, ``benchmarks/bench_robustness.py``).
- ``explain``     – feature maps and Grad-CAM.
- ``hygiene``     – study splits, near-duplicates and what a leaked split does to a score.
- ``classifier``  – the command line, ``python -m helpers.classifier train|evaluate``.
"""
