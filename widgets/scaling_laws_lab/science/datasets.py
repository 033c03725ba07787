"""Published data, fetched from its source and checked, never committed: Chinchilla's runs.

In the manner of ``sklearn.datasets.fetch_*``: :func:`load_chinchilla_runs` downloads Epoch AI's
extraction of the runs in Hoffmann et al. 2022's Figure 4 from the public repository at a pinned
commit, checks its SHA-256, keeps it in the user's cache folder and returns the runs with their
provenance. The repository states no licence for the file, so this project fetches and cites it
and does not ship a copy.

Where from: Besiroglu, Erdil, Barnett and You (2024), *Chinchilla Scaling: A replication
attempt*, arXiv:2404.10102, repository epoch-research/analyzing-chinchilla,
``data/svg_extracted_data.csv``. Columns: ``Model Size`` (N, parameters), ``Training FLOP``
(C) and ``loss``; tokens are D = C / (6N), as the paper's C ≈ 6ND.

Environment: ``SLL_DATA_HOME`` moves the cache (default ``$XDG_CACHE_HOME/scaling-laws-lab`` or
``~/.cache/scaling-laws-lab``); ``SLL_CHINCHILLA_URL`` fetches from elsewhere (the tests serve a
copy on loopback).
"""

from __future__ import annotations

import hashlib
import os
import pathlib
import urllib.error
import urllib.request
from dataclasses import dataclass

import numpy as np

from . import fitting

REPOSITORY = "epoch-research/analyzing-chinchilla"
COMMIT = "92258837425e1b5f2851d624287f0120583a3d0e"
PATH = "data/svg_extracted_data.csv"
URL = f"https://raw.githubusercontent.com/{REPOSITORY}/{COMMIT}/{PATH}"
SHA256 = "193478df4e90f040016431996c45682659306840ecdadf83cfb9cd5ca0aa1b30"
FILENAME = f"chinchilla_svg_extracted_data_{COMMIT[:12]}.csv"
N_RUNS = 245
DROPPED = 5  #: Besiroglu et al. drop the five highest-loss runs before fitting

CITATION = ("Hoffmann et al. 2022, arXiv:2203.15556, Fig 4 (the runs); extracted from the figure's "
            f"SVG by Besiroglu et al. 2024, arXiv:2404.10102 ({REPOSITORY}, {PATH}, commit "
            f"{COMMIT[:12]})")
CAVEATS = (
    "Read from the figure, not from a table: N and C come from the SVG's positions and the loss "
    "from each marker's colour on the colour bar, so every value carries an extraction error.",
    "Tokens are derived as D = C / (6N) from the extracted compute.",
    "Besiroglu et al. drop the five runs with the highest loss before fitting; "
    "load_chinchilla_runs returns all 245 and names the five.",
    "Later discussion reports extraction errors in some points; they are not corrected here.",
)


class DataUnavailable(OSError):
    """The file could not be fetched or failed its checksum; the message says which, in a line."""


@dataclass(frozen=True)
class ChinchillaRuns:
    """The 245 runs (``runs``: N, D = C/6N, loss) with where they came from."""

    runs: fitting.Runs
    flops: np.ndarray  #: C as extracted, FLOPs
    dropped: tuple[int, ...]  #: indices of the five highest-loss runs Besiroglu et al. leave out
    citation: str = CITATION
    caveats: tuple[str, ...] = CAVEATS
    path: str = ""  #: the cached file

    def without_dropped(self) -> fitting.Runs:
        """The 240 runs Besiroglu et al. fit."""
        return fitting.drop_highest_loss(self.runs, DROPPED)


def cache_dir() -> pathlib.Path:
    home = os.environ.get("SLL_DATA_HOME")
    if home:
        return pathlib.Path(home)
    base = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(base) / "scaling-laws-lab"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_chinchilla_csv(*, url: str | None = None, timeout: float = 20.0) -> pathlib.Path:
    """The checked file in the cache, downloading it first if it is not there.

    Raises :class:`DataUnavailable` with one line saying why (offline, HTTP error, checksum).
    """
    target = cache_dir() / FILENAME
    if target.exists() and _sha256(target.read_bytes()) == SHA256:
        return target
    url = url or os.environ.get("SLL_CHINCHILLA_URL") or URL
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (https or loopback)
            data = response.read()
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise DataUnavailable(f"Chinchilla's runs could not be fetched from {url} ({reason}); "
                              "offline? The notebook carries on with the SYNTHETIC demo.") from None
    digest = _sha256(data)
    if digest != SHA256:
        raise DataUnavailable(f"the file from {url} is not the pinned one (SHA-256 {digest[:12]}…, "
                              f"expected {SHA256[:12]}…): refused, nothing cached")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(target)  # atomic: a half-written file is never taken for the real one
    return target


def load_chinchilla_runs(*, url: str | None = None) -> ChinchillaRuns:
    """Chinchilla's 245 runs (Hoffmann et al. 2022, Fig 4) as extracted by Epoch AI.

    Returns N (``Model Size``), D = C/(6N) and the loss of each run, the five highest-loss runs
    Besiroglu et al. drop (by index), the citation and the known caveats. Raises
    :class:`DataUnavailable` (one clear line) when the file cannot be had.
    """
    path = fetch_chinchilla_csv(url=url)
    text = path.read_text()
    # The reader takes 'Model Size' as parameters and 'Training FLOP' as compute (D = C/6N).
    parsed = fitting.read_runs_csv(text)
    import csv
    import io

    flops = np.array([float(r["Training FLOP"]) for r in csv.DictReader(io.StringIO(text))])
    if parsed.n_params.size != N_RUNS:
        raise DataUnavailable(f"expected {N_RUNS} runs, read {parsed.n_params.size}")
    dropped = tuple(int(i) for i in np.argsort(parsed.loss)[::-1][:DROPPED])
    runs = fitting.Runs(parsed.n_params, parsed.n_tokens, parsed.loss,
                        ("Chinchilla's runs (Hoffmann et al. 2022, Fig 4) as extracted by Epoch AI; "
                         "D = C / 6N",))
    return ChinchillaRuns(runs, flops, tuple(sorted(dropped)), path=str(path))
