"""Everything the course downloads, fetched once into one folder: the classroom without internet.

    python -m helpers.data.offline FOLDER          # or: make offline-data DIR=FOLDER

On a machine with internet this downloads, with a progress bar each:

- the official MedMNIST files of every data set the notebooks load (:data:`COURSE_DATASETS`),
  each checked against the MD5 of the course's manifest (:func:`helpers.data.medmnist.download`);
- the ImageNet weights of lesson 08's MobileNetV2 backbone (about 2 MB), checked by loading them
  into the backbone (Keras publishes no checksum for them).

A file already in FOLDER and intact is not downloaded again, so the command can be re-run after
an interruption. Copy FOLDER to every machine of the room (a USB stick, a shared drive) and
start the course there with ``CNN_COURSE_DATA=FOLDER``: the notebooks then find every file in
it and never need the network (:func:`helpers.data.locations.cache_dir`,
:func:`helpers.transfer.imagenet.weights_file`).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from helpers.data import locations, medmnist

#: The MedMNIST data sets the notebooks load (04-05, 07-10: chest X-rays; 06, 08: retina;
#: 08: breast ultrasound). A test keeps this list in step with the notebooks.
COURSE_DATASETS = ("pneumoniamnist", "breastmnist", "retinamnist")
#: The input side of lesson 08's ImageNet backbone.
BACKBONE_SIZE = 96


def fetch_course_data(folder: str | Path, *, flags: Sequence[str] = COURSE_DATASETS,
                      weights: bool = True, progress: bool = True, url: str | None = None,
                      weights_url: str | None = None,
                      builder: Callable[..., object] | None = None) -> list[str]:
    """Download every file of the course into ``folder``; return one line per file.

    ``url`` replaces the MedMNIST manifest's URLs (as ``CNN_COURSE_MEDMNIST_URL`` does) and
    ``weights_url`` the ImageNet weights' base URL (both for mirrors and tests); ``builder``
    is what loads the weights to check them (:func:`helpers.transfer.imagenet.build_backbone`).
    Raises :class:`helpers.data.DownloadError` (MedMNIST) or ``RuntimeError`` (weights) with
    what to do; the files fetched before the failure stay in ``folder``.
    """
    from helpers.transfer import imagenet

    folder = Path(folder).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for flag in flags:
        path = medmnist.download(flag, folder, progress, url=url)
        lines.append(f"{flag:<16}{_megabytes(path):>8}  MD5 checked   {path}")
    if weights:
        path = imagenet.fetch_weights(folder, BACKBONE_SIZE, url=weights_url, progress=progress,
                                      builder=builder)
        lines.append(f"{'ImageNet weights':<16}{_megabytes(path):>8}  loaded, ok    {path}")
    return lines


def _megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def how_to_use(folder: str | Path) -> str:
    """What to do with the folder on every machine of the room."""
    quoted = shlex.quote(str(Path(folder).expanduser().resolve()))
    return ("Copy this folder to every machine (keep its contents as they are) and start the "
            "course there with\n"
            f"    {locations.CACHE_VARIABLE}={quoted} make start\n"
            f"(or set {locations.CACHE_VARIABLE} in the environment of the JupyterHub server): "
            "the notebooks then read every data set and the ImageNet weights from it, with no "
            "network.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.data.offline",
        description="Download every data set and weight file the course uses into one folder, "
                    "to copy to machines without internet.")
    parser.add_argument("folder", help="where to put the files (created if missing)")
    parser.add_argument("--no-weights", action="store_true",
                        help="skip the ImageNet weights of lesson 08 (it then trains from "
                             "scratch only)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    try:
        lines = fetch_course_data(args.folder, flags=COURSE_DATASETS,
                                  weights=not args.no_weights, progress=not args.quiet)
    except (medmnist.DownloadError, RuntimeError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    print(how_to_use(args.folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
