"""Training past one device with TensorFlow's own engine, ``tf.distribute``.

The command line chooses it with ``--distribute`` (:data:`STRATEGIES`):

- ``"none"``: TensorFlow's default strategy, one device (one replica), as without this module;
- ``"mirrored"``: ``tf.distribute.MirroredStrategy`` over the GPUs of one machine (without a
  GPU, over its CPU devices: several only when they were split into logical devices before
  TensorFlow started, as the tests do); each device holds a copy (replica) of the model, takes
  its own part of every batch, and the gradients are summed across the copies;
- ``"multiworker"``: ``tf.distribute.MultiWorkerMirroredStrategy``, the same across machines.
  Each machine (worker) runs the same command; the environment variable ``TF_CONFIG`` tells it
  the addresses of all workers and which one it is (:func:`read_tf_config`).

The batch size of the course's settings is per replica: one step sees
``batch_size × replicas`` images (:func:`global_batch`), so the learning-rate schedule counts
steps of that global batch. The model must be built and compiled inside ``strategy.scope()``:
:func:`helpers.training.train_classifier` does both there.

TensorFlow is imported only when a strategy is made, so that argument errors come at once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from helpers import validate

#: The values of ``--distribute`` and of ``TrainSettings.distribute``.
STRATEGIES = ("none", "mirrored", "multiworker")

#: An example ``TF_CONFIG`` for the first of two workers (the second has ``"index": 1``).
EXAMPLE_TF_CONFIG = ('{"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
                     '"task": {"type": "worker", "index": 0}}')


def read_tf_config(environ: dict | None = None) -> dict:
    """The cluster description of a multi-worker run: ``TF_CONFIG`` parsed from ``environ``
    (default ``os.environ``).

    ``ValueError`` with a one-line message when it is missing, not valid JSON, or lacks
    ``cluster.worker`` (a list of "host:port" addresses) or ``task`` (its ``type`` and an
    ``index`` into the list of that type).
    """
    environ = os.environ if environ is None else environ
    text = environ.get("TF_CONFIG", "").strip()
    hint = f"set TF_CONFIG on every machine, e.g. TF_CONFIG='{EXAMPLE_TF_CONFIG}'"
    if not text:
        raise ValueError(f"--distribute multiworker needs the TF_CONFIG environment variable: "
                         f"{hint}")
    try:
        config = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"TF_CONFIG is not valid JSON ({error.msg} at character "
                         f"{error.pos}): {hint}") from error
    cluster = config.get("cluster") if isinstance(config, dict) else None
    workers = cluster.get("worker") if isinstance(cluster, dict) else None
    if not isinstance(workers, list) or not workers:
        raise ValueError(f"TF_CONFIG has no cluster.worker list of addresses: {hint}")
    task = config.get("task")
    if not isinstance(task, dict) or "type" not in task or "index" not in task:
        raise ValueError(f"TF_CONFIG has no task with a type and an index: {hint}")
    members = cluster.get(task["type"])
    if not isinstance(members, list):
        raise ValueError(f"TF_CONFIG's task type {task['type']!r} is not in its cluster: {hint}")
    try:
        validate.whole_number(task["index"], "TF_CONFIG's task index", minimum=0,
                              maximum=len(members) - 1)
    except ValueError as error:
        raise ValueError(f"{error}: {hint}") from error
    return config


def check_strategy(name: str, environ: dict | None = None) -> str:
    """``name`` when it is one of :data:`STRATEGIES` and can be made here (for
    ``"multiworker"``: ``TF_CONFIG`` is valid); else ``ValueError``. Needs no TensorFlow."""
    validate.one_of(name, STRATEGIES, "distribute")
    if name == "multiworker":
        read_tf_config(environ)
    return name


def strategy_for(name: str = "none"):
    """The ``tf.distribute.Strategy`` called ``name`` (one of :data:`STRATEGIES`).

    ``"mirrored"`` uses every GPU, or every (logical) CPU device when there is no GPU;
    ``strategy.num_replicas_in_sync`` says how many copies of the model train together.
    """
    check_strategy(name)
    from helpers import course

    tf = course.import_tensorflow_quietly()
    if name == "none":
        return tf.distribute.get_strategy()
    if name == "multiworker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    devices = tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("CPU")
    return tf.distribute.MirroredStrategy([device.name for device in devices])


def global_batch(batch_size: int, strategy) -> int:
    """Images per training step: ``batch_size`` per replica × the strategy's replicas."""
    return validate.whole_number(batch_size, "batch size") * int(strategy.num_replicas_in_sync)


def is_chief(environ: dict | None = None) -> bool:
    """True unless ``TF_CONFIG`` names this process a worker other than the first (or a
    non-chief task): the one whose saved model is the result of a multi-worker run."""
    environ = os.environ if environ is None else environ
    if not environ.get("TF_CONFIG", "").strip():
        return True
    config = read_tf_config(environ)
    task = config["task"]
    if "chief" in config["cluster"]:
        return task["type"] == "chief"
    return task["type"] == "worker" and int(task["index"]) == 0


def output_for_worker(out: Path, name: str, environ: dict | None = None) -> Path:
    """Where this process saves its model: ``out`` for a single machine and for the chief of a
    multi-worker run; ``out`` with ``.worker-<index>`` before ``.keras`` for the other workers
    (every worker has to save, but their copies must not overwrite the chief's)."""
    if name != "multiworker" or is_chief(environ):
        return out
    index = int(read_tf_config(environ)["task"]["index"])
    return out.with_name(f"{out.stem}.worker-{index}{out.suffix}")
