"""The containers every loader returns: a :class:`Dataset` of named :class:`Split` s.

    ds = data.load_dataset("pneumoniamnist")
    train = ds.split("train")        # train.images (N, H, W, C) uint8, train.labels (N,) int64
    print(ds.describe())             # class counts per split
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: The split names, in the order they are listed.
SPLITS = ("train", "val", "test")


@dataclass
class Split:
    """One split: ``images`` (N, H, W, C) uint8 in [0, 255]; ``labels`` (N,) int64."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


@dataclass
class Dataset:
    """A labelled image data set with some of the splits "train", "val" and "test".

    ``label_names[i]`` names class ``i``; ``task`` is "binary-class" or "multi-class" (or
    MedMNIST's "ordinal-regression" for graded classes such as RetinaMNIST's);
    ``source`` says where the images came from (a file, a folder, or synthetic);
    ``positive_class`` (two classes only, None when unknown) is the index of the class a
    diagnostic report calls positive, the disease (the manifest's, e.g. 0 = malignant for
    BreastMNIST).
    """

    name: str
    splits: dict[str, Split]
    label_names: list[str]
    task: str
    source: str
    positive_class: int | None = None

    def split(self, name: str) -> Split:
        """The split called ``name``; ``ValueError`` naming the available splits when absent."""
        if name not in self.splits:
            available = ", ".join(self.splits) or "none"
            raise ValueError(
                f"{self.name} has no {name!r} split (source: {self.source}); "
                f"available splits: {available}"
            )
        return self.splits[name]

    def evaluation_split(self) -> tuple[Split, str]:
        """``(split, name)`` to report a model on: the official "test" split when the data set
        has one, else "val" (the copies the checks use hold train and val only); never the
        training images. ``ValueError`` when there is neither."""
        for name in ("test", "val"):
            if name in self.splits:
                return self.splits[name], name
        raise ValueError(f"{self.name} has neither a test nor a val split to evaluate on")

    def describe(self) -> str:
        """A short summary: one header line, then one line per split with its class counts."""
        first = next(iter(self.splits.values()), None)
        shape = "×".join(map(str, first.images.shape[1:])) if first is not None else "?"
        lines = [f"{self.name}: {self.task}, {len(self.label_names)} classes, "
                 f"images {shape} uint8 — {self.source}"]
        if self.positive_class is not None:
            lines.append(f"  positive class: {self.positive_class} "
                         f"({self.label_names[self.positive_class]})")
        width = max(len(str(len(s))) for s in self.splits.values()) if self.splits else 1
        for name in [*SPLITS, *(s for s in self.splits if s not in SPLITS)]:
            if name not in self.splits:
                lines.append(f"  {name:<5} absent (not in this source)")
                continue
            split = self.splits[name]
            counts = np.bincount(split.labels, minlength=len(self.label_names))
            total = max(len(split), 1)
            parts = ", ".join(f"{label} {count} ({100 * count / total:.1f} %)"
                              for label, count in zip(self.label_names, counts, strict=False))
            lines.append(f"  {name:<5} {len(split):>{width}} images: {parts}")
        return "\n".join(lines)
