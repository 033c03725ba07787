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

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SITE_JS = ROOT / "site"
BINDER = "https://mybinder.org/v2/gh/scaling-laws-lab/scaling-laws-lab/HEAD"
#: MathJax 2 pieces the ``TeX-AMS_CHTML-full`` configuration loads (the whole package is 73 MB).
MATHJAX_PARTS = ("MathJax.js", "config", "extensions", "jax/input/TeX", "jax/output/CommonHTML",
                 "jax/element", "localization/en", "fonts/HTML-CSS/TeX/woff")


#: The widget libraries the explorers use besides ipywidgets, from the installed Python packages.
WIDGET_MODULES = ("bqplot", "bqscales")


def notebooks(only=None) -> list[pathlib.Path]:
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if only:
        paths = [p for p in paths if p.name[:2] in only]
    return paths


def short_answer(nb) -> str:
    """The **Short answer.** paragraph of the notebook's first cell, without the label."""
    for para in nb.cells[0].source.split("\n\n"):
        if para.startswith("**Short answer.**"):
            return " ".join(para.replace("**Short answer.**", "").split())
    return ""


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
    return (
        "<div class='sll-static-banner' style='background:#fff8e1;border:1px solid #e0c060;"
        "padding:8px 14px;margin:8px 0 16px;font:14px sans-serif'>"
        "<b>A static page:</b> the figures show what the notebook computed; the sliders and "
        "buttons need Python and do nothing here. "
        f"<a href='{binder}'>Open it live in JupyterLab (Binder)</a> · "
        f"<a href='{voila}'>as an app (Voilà)</a> · <a href='index.html'>all notebooks</a></div>"
    )


def export(nb, nb_path: pathlib.Path, out: pathlib.Path) -> pathlib.Path:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.require_js_url = "static/require.js"
    exporter.widget_renderer_url = "@jupyter-widgets/html-manager/dist/embed-amd.js"
    exporter.mathjax_url = "static/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    body, _ = exporter.from_notebook_node(nb)
    # The notebooks link to their screenshots in the repository; the site carries a copy.
    body = body.replace("../docs/screenshots/", "screenshots/")
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
    from nbclient import NotebookClient

    nb = nbformat.read(nb_path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(nb_path.parent)}}).execute()
    return nb


def index(pages: list[tuple[pathlib.Path, str, str]], out: pathlib.Path) -> None:
    rows = []
    for nb_path, title, answer in pages:
        name = nb_path.name
        rows.append(
            f"<li><h2><a href='{html.escape(nb_path.with_suffix('.html').name)}'>"
            f"{html.escape(title)}</a></h2><p>{html.escape(answer)}</p><p>"
            f"<a href='{BINDER}?labpath=notebooks%2F{name}'>live in JupyterLab (Binder)</a> · "
            f"<a href='{BINDER}?urlpath=voila%2Frender%2Fnotebooks%2F{name}'>as an app "
            "(Voilà)</a></p></li>")
    (out / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Scaling Laws Lab"
        "</title><style>body{font:16px/1.5 sans-serif;max-width:860px;margin:2em auto;"
        "padding:0 1em}li{list-style:none;margin-bottom:1.5em}h2{margin-bottom:.2em}</style>"
        "</head><body><h1>Scaling Laws Lab</h1><p>Notebooks that teach neural scaling laws, "
        "executed: every figure as the notebook computed it. The controls need Python: each "
        "page links to a live version.</p><ol>" + "".join(rows) + "</ol></body></html>")


def build(out: pathlib.Path, only=None) -> list[pathlib.Path]:
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
