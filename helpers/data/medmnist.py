"""MedMNIST v2 files: the manifest, checked downloads into the cache, and what to do when they fail.

    path = medmnist.download("pneumoniamnist")     # <cache>/pneumoniamnist.npz, MD5 verified
    path = medmnist.download("breastmnist", size=128)  # <cache>/breastmnist_128.npz (MedMNIST+)
    path = medmnist.cached_file("pneumoniamnist")  # the same file, never touching the network

The manifest (``helpers/data/medmnist.json``, :data:`locations.MANIFEST_PATH`) lists each data
set's URL, MD5, label names, licence and citation. :func:`download` fetches a file with
``pooch`` into a private ``.partial-*`` folder of :func:`locations.cache_dir`, checks its MD5 and
only then moves it to ``<flag>.npz``; any failure raises :class:`DownloadError`, whose message
says what happened and what to do.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from helpers.data import locations

#: Seconds to wait for the server before a download is given up.
TIMEOUT_S = 60.0
#: Leftover download folders (``.partial-*``) untouched for this long are removed.
STALE_PARTIAL_S = 3600.0

_PARTIAL_PREFIX = ".partial-"


class DownloadError(RuntimeError):
    """A MedMNIST file could not be downloaded (or is not in the cache when downloads are off).

    The message says what happened and what to do; the attributes hold the details.
    """

    def __init__(self, flag: str, reason: str, *, url: str, path: Path, md5: str,
                 extra: str = "", attempted: bool = True) -> None:
        self.flag, self.reason, self.url, self.path, self.md5 = flag, reason, url, Path(path), md5
        host = urlsplit(url).netloc or url
        if attempted:
            first = ("Nothing was written to the cache.\n"
                     "What to do:\n"
                     "  - try again (dropped connections and server hiccups are often temporary);\n"
                     f"  - check the network: can this computer open {host} (e.g. in a browser)?\n")
        else:
            first = ("What to do:\n"
                     "  - allow the download: load_dataset(..., allow_download=True), the "
                     "default;\n")
        message = (
            f"Could not get {flag}: {reason}\n"
            f"{extra}{first}"
            "  - or download the file by hand:\n"
            f"        {url}\n"
            "    and save it exactly as\n"
            f"        {self.path}\n"
            f"    Its MD5 must be {md5} (check with `md5sum FILE` on Linux, `md5 FILE` on macOS,\n"
            "    `certutil -hashfile FILE MD5` on Windows).\n"
            "  - Offline? load_dataset(..., fallback=True) continues with synthetic images."
        )
        super().__init__(message)


# --------------------------------------------------------------------------------------------
# The manifest


def load_manifest() -> dict:
    """The parsed ``helpers/data/medmnist.json``: ``{"datasets": {flag: {...}}, ...}``.

    Each data set has ``url``, ``md5``, ``splits`` (sizes), ``label_names`` (index → name),
    ``task``, ``channels``, ``license``, ``citation`` and ``note``.
    """
    path = locations.MANIFEST_PATH
    try:
        with open(path, encoding="utf-8") as file:
            manifest = json.load(file)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"the data-set manifest {path} is missing: it is package data of `helpers`, so "
            "reinstall the course from its checkout (`make install`)."
        ) from None
    if not isinstance(manifest.get("datasets"), dict):
        raise ValueError(f"{path} has no 'datasets' table")
    return manifest


def known_flags(manifest: dict) -> list[str]:
    """The manifest's data-set flags, sorted (``["bloodmnist", "breastmnist", ...]``)."""
    return sorted(manifest["datasets"])


def manifest_entry(flag: str, manifest: dict | None = None) -> dict:
    """The manifest's entry for ``flag``; ``ValueError`` listing the known flags otherwise."""
    manifest = manifest if manifest is not None else load_manifest()
    if flag not in manifest["datasets"]:
        raise ValueError(f"unknown MedMNIST data set {flag!r}; known: "
                         f"{', '.join(known_flags(manifest))}")
    return manifest["datasets"][flag]


def label_names(entry: dict) -> list[str]:
    """An entry's class names in index order (the manifest stores them as ``{"0": name}``)."""
    names = entry["label_names"]
    return [names[str(i)] for i in range(len(names))]


def short_error(error: BaseException, limit: int = 240) -> str:
    """An exception as one line of at most ``limit`` characters, for error messages."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# The cache


#: The image size of the MedMNIST v2 files (``{flag}.npz``); the others are MedMNIST+.
BASE_SIZE = 28


def known_sizes(entry: dict) -> list[int]:
    """The image sizes (pixels per side) an entry has files for: 28 and its ``sizes``."""
    return sorted({BASE_SIZE, *(int(s) for s in entry.get("sizes", {}))})


def offered_sizes(manifest: dict | None = None) -> list[int]:
    """Every image size some data set of the manifest has files for (e.g. 28, 64, 128, 224)."""
    manifest = manifest if manifest is not None else load_manifest()
    return sorted({size for flag in known_flags(manifest)
                   for size in known_sizes(manifest_entry(flag, manifest))})


def file_stem(flag: str, size: int = BASE_SIZE) -> str:
    """The file name without ``.npz``: ``flag`` at 28 pixels, else ``{flag}_{size}``."""
    return flag if int(size) == BASE_SIZE else f"{flag}_{int(size)}"


def expected_md5(flag: str, size: int = BASE_SIZE, manifest: dict | None = None) -> str:
    """The manifest's MD5 of ``flag`` at ``size``; ``ValueError`` naming the known sizes."""
    entry = manifest_entry(flag, manifest)
    if isinstance(size, bool) or not isinstance(size, int | str) or \
            str(size).strip() not in {str(s) for s in known_sizes(entry)}:
        raise ValueError(f"unknown image size {size!r} for {flag}: use one of "
                         f"{', '.join(map(str, known_sizes(entry)))}")
    size = int(size)
    return (entry["md5"] if size == BASE_SIZE else entry["sizes"][str(size)]).lower()


def _resolve_url(flag: str, entry: dict, url: str | None, size: int = BASE_SIZE) -> str:
    stem = file_stem(flag, size)
    pattern = url or locations.mirror_url()
    if not pattern:
        if size == BASE_SIZE:
            return entry["url"]
        return load_manifest()["url_pattern_sized"].format(flag=flag, size=size)
    if "{flag}" in pattern:
        return pattern.format(flag=stem)
    return f"{pattern.rstrip('/')}/{stem}.npz"


def _plan(flag: str, cache: Path | None, url: str | None,
          size: int = BASE_SIZE) -> tuple[dict, str, Path, str]:
    """(manifest entry, expected MD5, target path in the cache, URL to fetch) for ``flag`` at
    ``size`` pixels."""
    entry = manifest_entry(flag)
    md5 = expected_md5(flag, size)
    size = int(size)
    folder = Path(cache).expanduser() if cache is not None else locations.cache_dir()
    return (entry, md5, folder / f"{file_stem(flag, size)}.npz",
            _resolve_url(flag, entry, url, size))


def _md5(path: Path) -> str:
    import pooch

    return pooch.file_hash(str(path), alg="md5")


def _remove_stale_partials(cache: Path) -> None:
    """Remove download folders left by a killed process (untouched for STALE_PARTIAL_S)."""
    now = time.time()
    for folder in cache.glob(f"{_PARTIAL_PREFIX}*"):
        if not folder.is_dir():
            continue
        try:
            newest = max([folder.stat().st_mtime,
                          *(p.stat().st_mtime for p in folder.rglob("*"))])
        except OSError:
            continue
        if now - newest > STALE_PARTIAL_S:
            shutil.rmtree(folder, ignore_errors=True)


def cached_file(flag: str, cache: Path | None = None, *, size: int = BASE_SIZE) -> Path:
    """The verified ``<cache>/<flag>.npz`` (``<flag>_<size>.npz`` for another ``size``) without
    any network access, else a :class:`DownloadError` saying how to get it (used when
    downloads are switched off)."""
    _, md5, target, url = _plan(flag, cache, None, size)
    if not target.is_file():
        raise DownloadError(flag, f"it is not in the cache ({target} does not exist) and "
                            "downloads are switched off (allow_download=False).",
                            url=url, path=target, md5=md5, attempted=False)
    found = _md5(target)
    if found != md5:
        raise DownloadError(flag, f"the cached file {target} has MD5 {found}, expected {md5} "
                            "(damaged or not the expected file), and downloads are switched "
                            "off (allow_download=False).", url=url, path=target, md5=md5,
                            attempted=False)
    return target


# --------------------------------------------------------------------------------------------
# Downloads


@contextlib.contextmanager
def quiet_pooch() -> Iterator[None]:
    """pooch logs its temporary paths at INFO; the course prints its own message instead."""
    import pooch

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _explain(error: BaseException, url: str, md5: str, cache: Path) -> str:
    """One sentence saying what went wrong, from pooch's / requests' exception."""
    import requests

    if isinstance(error, requests.HTTPError) and error.response is not None:
        code, why = error.response.status_code, error.response.reason
        if code == 404:
            return (f"the server answered HTTP 404 (Not Found) for {url}: the file is not at that "
                    "address (a mistyped URL or a moved record).")
        hint = " The server has a problem; try again later." if code >= 500 else ""
        return f"the server answered HTTP {code} ({why}) for {url}.{hint}"
    if isinstance(error, requests.exceptions.ChunkedEncodingError
                  | requests.exceptions.ContentDecodingError):
        text = str(error)
        counts = re.search(r"IncompleteRead\((\d+) bytes read, (\d+) more expected", text)
        if counts:
            detail = f"{int(counts[1]):,} bytes received, {int(counts[2]):,} more expected"
        elif "reset" in text.lower():
            detail = "the connection was reset"
        else:
            detail = short_error(error)
        return ("the connection was dropped before the whole file arrived (interrupted or "
                f"truncated download: {detail}).")
    if isinstance(error, requests.Timeout):
        return f"the server did not answer within {TIMEOUT_S:g} s ({short_error(error)})."
    if isinstance(error, requests.ConnectionError):
        return (f"could not connect to {urlsplit(url).netloc or url}, or the connection broke "
                f"({short_error(error)}).")
    if isinstance(error, requests.RequestException):
        return f"the download failed ({short_error(error)})."
    if isinstance(error, ValueError) and "hash" in str(error).lower():
        got = re.search(r"but got ([0-9a-fA-F]+)", str(error))
        found = f"its MD5 is {got.group(1)}" if got else "its MD5 does not match"
        return (f"the downloaded file is damaged or not the expected file: {found}, expected "
                f"{md5}.")
    if isinstance(error, OSError):
        return (f"could not write to the cache folder {cache} ({short_error(error)}); set "
                f"{locations.CACHE_VARIABLE} to a writable folder.")
    return f"{type(error).__name__}: {short_error(error)}"


def download(flag: str, cache: Path | None = None, progress: bool = True, *,
             url: str | None = None, size: int = BASE_SIZE) -> Path:
    """Return the path of ``<cache>/<flag>.npz``, downloading it first when needed.

    ``size`` (28, 64, 128 or 224, see :func:`known_sizes`) picks the MedMNIST+ file of that
    many pixels per side, ``<flag>_<size>.npz``, checked against its own MD5.

    A cached file is checked against the manifest's MD5 and reused without any network access.
    Otherwise the file is fetched with ``pooch`` (``progress`` shows a tqdm bar) into a private
    ``.partial-*`` folder inside the cache, its MD5 is verified, and only then is it moved to
    ``<flag>.npz`` in one atomic step: a failed, interrupted or corrupt download leaves nothing
    behind and raises :class:`DownloadError` saying what to do.

    ``url`` (or the environment variable ``CNN_COURSE_MEDMNIST_URL``) replaces the manifest's
    URL: a pattern with ``{flag}`` (replaced by the file stem, e.g. ``breastmnist_64``), or a
    base URL to which ``/<stem>.npz`` is appended.
    """
    import pooch

    flag = flag.strip().lower()
    entry, md5, target, source = _plan(flag, cache, url, size)
    cache = target.parent

    extra = ""
    if target.is_file():
        found = _md5(target)
        if found == md5:
            return target
        extra = (f"The file already at {target} has MD5 {found}, not {md5}: it is damaged or "
                 "not the expected file, and it is not used. Delete or replace it.\n")
        print(f"{target} has the wrong MD5 ({found}, expected {md5}): downloading it again.")

    def fail(error: BaseException) -> DownloadError:
        reason = _explain(error, source, md5, cache)
        return DownloadError(flag, reason, url=source, path=target, md5=md5, extra=extra)

    try:
        cache.mkdir(parents=True, exist_ok=True)
        _remove_stale_partials(cache)
        staging = Path(tempfile.mkdtemp(prefix=f"{_PARTIAL_PREFIX}{flag}-", dir=cache))
    except OSError as error:
        raise fail(error) from error
    try:
        if progress:
            print(f"Downloading {target.stem} ({entry.get('license', 'see its licence')}) from {source}\n"
                  f"  to {target}", flush=True)
        downloader = None  # pooch picks one for ftp:// and doi: mirrors
        if urlsplit(source).scheme in ("http", "https"):
            downloader = pooch.HTTPDownloader(progressbar=progress, timeout=TIMEOUT_S)
        with quiet_pooch():
            fetched = pooch.retrieve(source, known_hash=f"md5:{md5}", fname=target.name,
                                     path=staging, downloader=downloader, progressbar=progress)
        os.replace(fetched, target)  # same folder tree, so atomic
    except Exception as error:
        raise fail(error) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if progress:
        print(f"MD5 verified ({md5}); saved {target}", flush=True)
    return target
