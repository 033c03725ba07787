"""``make site``: the collection as static HTML pages, executed, with the widgets' state embedded.

Every notebook is executed in a fresh kernel (nbclient, ``store_widget_state=True``) and
converted with nbconvert's ``lab`` template; the figures then render without a kernel. The
JavaScript comes from packages, never from a CDN at view time: the widget embed manager,
RequireJS and MathJax 2 from the npm registry (``site/package.json``, installed with ``npm ci``),
bqplot's from the installed Python package. Each page says at the top that its controls need
Python and links to the live versions (Binder, Voilà). An index page lists the series with each
notebook's short answer.

Usage: ``python -m harness.site [--out build/site] [--only 00,01]``. Publish by copying the
folder to any static host (GitHub Pages: push it to a ``gh-pages`` branch, or upload it with the
``actions/upload-pages-artifact`` action).
"""

from __future__ import annotations

import argparse
import html
import pathlib
import re
import shutil
import subprocess
import sys

import nbformat
from scaling_laws_lab import RELEASE_TAG

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SITE_JS = ROOT / "site"
#: Binder at this release's tag, like the README and the share links.
BINDER = f"https://mybinder.org/v2/gh/scaling-laws-lab/scaling-laws-lab/{RELEASE_TAG}"
#: MathJax 2 pieces the ``TeX-AMS_CHTML-full`` configuration loads (the whole package is 73 MB).
MATHJAX_PARTS = ("MathJax.js", "config", "extensions", "jax/input/TeX", "jax/output/CommonHTML",
                 "jax/element", "localization/en", "fonts/HTML-CSS/TeX/woff")


#: The widget libraries the explorers use besides ipywidgets, from the installed Python packages.
WIDGET_MODULES = ("bqplot", "bqscales")


#: The forum path answers the thread in one sitting: the index lists it first.
def notebooks(only=None) -> list[pathlib.Path]:
    """The numbered notebooks, in number order (the index arranges them as a path: GROUPS)."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if only:
        paths = [p for p in paths if p.name[:2] in only]
    return paths


def short_answer(nb) -> str:
    """The short-answer paragraph of the notebook's first cell (Markdown), without its label."""
    match = re.search(r"\*\*Short answer(.*?)(?:\n\n|$)", nb.cells[0].source, re.S)
    if not match:
        return ""
    # "**Short answer.** Yes…" or "**Short answer: no, on all three counts.** …": drop the label.
    text = re.sub(r"^[.:]?\s*", "", match.group(1))
    text = text[2:].lstrip() if text.startswith("**") else "**" + text
    return " ".join(text.split())


def markdown_html(text: str) -> str:
    """Markdown as HTML, the way nbconvert renders the notebooks' own cells."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


#: Where a file of the repository can be read on the web (links to solutions/ and docs/).
REPOSITORY = "https://github.com/scaling-laws-lab/scaling-laws-lab/blob/main"


def relink(body: str) -> str:
    """Links between notebooks become links between pages; no link points at a local file
    the site does not carry: an app opens live on Binder, any other repository file on GitHub."""
    body = re.sub(r'href="(\d\d_\w+)\.ipynb(#[^"]*)?"',
                  lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    body = re.sub(r'href="apps/([\w.-]+\.ipynb)"',
                  lambda m: f'href="{BINDER}?urlpath=voila%2Frender%2Fnotebooks%2Fapps%2F{m.group(1)}"',
                  body)
    return re.sub(r'href="(?!https?:|#|mailto:|screenshots/|\d\d_\w+\.html)(?:\.\./)?([^"]+)"',
                  lambda m: f'href="{REPOSITORY}/{_repo_path(m.group(1))}"', body)


def _repo_path(rel: str) -> str:
    """A link relative to notebooks/, as a path from the repository's root."""
    return rel if rel.startswith(("docs/", "README", "widgets/", "site/", "harness/")) \
        else f"notebooks/{rel}"


def for_the_site(nb):
    """The notebook as the site shows it: the first cell's pointer to this very page and to a
    screenshot ("No time to run it? Read it executed…") is dropped, since this IS that page.

    So is a Markdown cell tagged ``class-hide``: like class mode (the sll Voila template), a
    static page has no cells to run, and such a cell tells a JupyterLab reader how to run them
    (00's "Run All"). A code cell tagged ``class-hide`` stays: the site shows code beside its
    output, which class mode cannot.
    """
    first = nb.cells[0]
    first.source = "\n".join(line for line in first.source.splitlines()
                              if not line.startswith("*No time to run it?*"))
    nb.cells = [c for c in nb.cells
                if not (c.cell_type == "markdown" and "class-hide" in c.metadata.get("tags", []))]
    return nb


def copy_static(out: pathlib.Path) -> None:
    """The JavaScript, from the npm packages in site/ and the installed bqplot."""
    modules = SITE_JS / "node_modules"
    if not (modules / "@jupyter-widgets" / "html-manager").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=SITE_JS, check=True)
    static = out / "static"
    if static.exists():
        shutil.rmtree(static)
    # The embed manager resolves its fonts (Font Awesome, for the buttons' icons) from its own
    # module name, relative to the page: @jupyter-widgets/html-manager/dist/ and, for one of its
    # bundles, @jupyter-widgets/. It stands there, and its font files in both places.
    manager = out / "@jupyter-widgets"
    if manager.exists():
        shutil.rmtree(manager)
    dist = modules / "@jupyter-widgets" / "html-manager" / "dist"
    shutil.copytree(dist, manager / "html-manager" / "dist")
    for font in dist.iterdir():
        if font.suffix in {".woff", ".woff2", ".ttf", ".eot", ".svg"}:
            shutil.copy(font, manager / font.name)
    static.mkdir(parents=True)
    shutil.copy(modules / "requirejs" / "require.js", static / "require.js")
    for part in MATHJAX_PARTS:
        src, dst = modules / "mathjax" / part, static / "mathjax" / part
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
    for name in WIDGET_MODULES:  # the classic-notebook builds: AMD modules RequireJS can load
        shutil.copytree(pathlib.Path(sys.prefix) / "share" / "jupyter" / "nbextensions" / name,
                        static / name)


def _banner(nb_path: pathlib.Path) -> str:
    name = nb_path.name
    binder = f"{BINDER}?labpath=notebooks%2F{name}"
    voila = f"{BINDER}?urlpath=voila%2Frender%2Fnotebooks%2F{name}"
    # (the checks on this page work without Python: their options open to say why)
    return (
        "<div class='sll-static-banner' style='background:#fff8e1;border:1px solid #e0c060;"
        "padding:8px 14px;margin:8px 0 16px;font:14px sans-serif'>"
        "<b>A static page:</b> the figures show what the notebook computed; the sliders need "
        "Python and do nothing here, but every check works: decide, then open your option. "
        f"<a href='{binder}'>Open it live in JupyterLab (Binder)</a> · "
        f"<a href='{voila}'>as an app (Voilà)</a> · <a href='index.html'>all notebooks</a></div>"
    )


def export(nb, nb_path: pathlib.Path, out: pathlib.Path) -> pathlib.Path:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.require_js_url = "static/require.js"
    exporter.widget_renderer_url = "@jupyter-widgets/html-manager/dist/embed-amd.js"
    exporter.mathjax_url = "static/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    body, _ = exporter.from_notebook_node(for_the_site(nb))
    # The notebooks link to their screenshots in the repository; the site carries a copy.
    body = relink(body.replace("../docs/screenshots/", "screenshots/"))
    # The embed manager asks RequireJS for each widget module by name before any CDN: name
    # the local copies first.
    paths = ("<script>require.config({paths: {"
             + ", ".join(f"{m}: 'static/{m}/index'" for m in WIDGET_MODULES) + "}});</script>")
    body = re.sub(r'(<script[^>]*src="static/require\.js"[^>]*></script>)', r"\1" + paths, body,
                  count=1)
    body = body.replace("<main>", "<main>" + _banner(nb_path), 1) if "<main>" in body else \
        re.sub(r"(<body[^>]*>)", r"\1" + _banner(nb_path), body, count=1)
    target = out / nb_path.with_suffix(".html").name
    target.write_text(body)
    return target


def execute(nb_path: pathlib.Path):
    import os

    from nbclient import NotebookClient
    from scaling_laws_lab.kit.selfcheck import STATIC_ENV

    # The kernel inherits this: its checks render as HTML that works with no kernel.
    os.environ[STATIC_ENV] = "1"
    nb = nbformat.read(nb_path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(nb_path.parent)}}).execute()
    return nb


#: The forum path: the thread's question answered in one sitting.
FORUM_PAGE = "10_the_thread_in_20_minutes.html"
#: The index reads as a path: where to start, the thread's answer, then the depth.
GROUPS = (("Start here", ("00",)),
          ("Came from the forum thread? The answer in 20 minutes", ("10",)),
          ("Go deeper, one idea per notebook", tuple(f"{i:02d}" for i in range(1, 10))))


def index(pages: list[tuple[pathlib.Path, str, str]], out: pathlib.Path) -> None:
    by_number = {nb_path.name[:2]: (nb_path, title, answer) for nb_path, title, answer in pages}
    sections = []
    for heading, numbers in GROUPS:
        rows = []
        for number in numbers:
            if number not in by_number:
                continue
            nb_path, title, answer = by_number.pop(number)
            rows.append(_entry(nb_path, title, answer))
        if rows:
            sections.append(f"<section><h2>{html.escape(heading)}</h2><ul>{''.join(rows)}</ul></section>")
    if by_number:  # a notebook no group names still gets listed
        sections.append("<section><h2>More</h2><ul>"
                        + "".join(_entry(*by_number[k]) for k in sorted(by_number)) + "</ul></section>")
    (out / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><title>Scaling Laws Lab"
        "</title><style>body{font:16px/1.5 sans-serif;max-width:860px;margin:2em auto;"
        "padding:0 1em}ul{padding:0}li{list-style:none;margin-bottom:1.5em}"
        "h3{margin-bottom:.2em}section h2{border-bottom:1px solid #ddd}</style>"
        "</head><body><h1>Scaling Laws Lab</h1><p>Notebooks that teach neural scaling laws, "
        "executed: every figure as the notebook computed it, and every check answerable here. "
        "The sliders need Python: each page links to a live version.</p>"
        + "".join(sections) + "</body></html>")


def _entry(nb_path: pathlib.Path, title: str, answer: str) -> str:
    name = nb_path.name
    return (f"<li><h3><a href='{html.escape(nb_path.with_suffix('.html').name)}'>"
            f"{html.escape(title)}</a></h3>{markdown_html(answer)}<p>"
            f"<a href='{BINDER}?labpath=notebooks%2F{name}'>live in JupyterLab (Binder)</a> · "
            f"<a href='{BINDER}?urlpath=voila%2Frender%2Fnotebooks%2F{name}'>as an app "
            "(Voilà)</a></p></li>")


class DataMissing(SystemExit):
    """The site would publish a failed download: the build stops instead, saying why."""


def fetch_published_data() -> None:
    """Chinchilla's runs into the cache before notebook 06 runs, or stop the build.

    The site is the offline fallback: a page built without the data would show the loader's
    "could not be fetched" message to every reader, forever. The build runs online anyway (npm
    fetches the JavaScript), so refusing is the honest outcome; ``SLL_CHINCHILLA_URL`` points at
    a copy (the tests serve one on loopback).
    """
    from scaling_laws_lab.science import datasets

    try:
        datasets.fetch_chinchilla_csv()
    except datasets.DataUnavailable as err:
        why = str(err).split("; offline?")[0]
        raise DataMissing(f"make site stopped: notebook 06's page would show a failed download. "
                          f"{why}. Build the site online, or set SLL_CHINCHILLA_URL to a copy of "
                          "the file.") from None


def build(out: pathlib.Path, only=None) -> list[pathlib.Path]:
    if any(p.name.startswith("06_") for p in notebooks(only)):
        fetch_published_data()  # first: a build that cannot have the data writes nothing
    out.mkdir(parents=True, exist_ok=True)
    copy_static(out)
    shutil.copytree(ROOT / "docs" / "screenshots", out / "screenshots", dirs_exist_ok=True)
    pages, written = [], []
    for nb_path in notebooks(only):
        print(f"executing {nb_path.name} …", flush=True)
        nb = execute(nb_path)
        written.append(export(nb, nb_path, out))
        title = nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
        pages.append((nb_path, title, short_answer(nb)))
    index(pages, out)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the static executed site.")
    parser.add_argument("--out", default=str(ROOT / "build" / "site"))
    parser.add_argument("--only", default="", help="notebook numbers, e.g. 00,01")
    args = parser.parse_args()
    only = [x.strip() for x in args.only.split(",") if x.strip()] or None
    for page in build(pathlib.Path(args.out), only):
        print(page)


if __name__ == "__main__":
    main()
