"""The environment we promise: exact pins, Binder in step, the science free of UI imports."""

import json
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def pins(path):
    out = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            name, _, version = line.partition("==")
            assert version, f"{path.name}: {line!r} is not pinned exactly"
            out[name.lower()] = version
    return out


def test_runtime_pins_are_exact_and_binder_matches():
    root, binder = pins(ROOT / "requirements.txt"), pins(ROOT / "binder" / "requirements.txt")
    for name in ("jupyterlab", "ipywidgets", "bqplot", "voila", "ipykernel", "numpy", "scipy"):
        assert name in root
    assert binder == root
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert "pip install" in (ROOT / "binder" / "postBuild").read_text()


def test_test_tools_are_not_runtime_pins():
    root = pins(ROOT / "requirements.txt")
    assert not {"pytest", "nbclient", "hypothesis", "playwright"} & set(root)


def test_installed_versions_match_the_pins():
    from importlib.metadata import version

    for name, pinned in pins(ROOT / "requirements.txt").items():
        assert version(name) == pinned, name


#: The UI-free layers: what the papers say (science), your own lab (lab), the question bank.
UI_FREE = ["science", "lab", "teaching"]


def test_every_package_is_a_named_layer():
    # A new package must join a layer on purpose: UI-free (tested below) or the UI.
    root = ROOT / "widgets" / "scaling_laws_lab"
    packages = {p.parent.name for p in root.glob("*/__init__.py")}
    assert packages == {*UI_FREE, "kit", "explorers", "classroom"}


@pytest.mark.parametrize("layer", UI_FREE)
def test_ui_free_layers_import_no_ui(layer):
    # The layer rule: every module in scaling_laws_lab/science, /lab and /teaching imports
    # neither the UI libraries nor the kit and explorers, in a fresh interpreter and in its
    # source.
    root = ROOT / "widgets" / "scaling_laws_lab" / layer
    paths = sorted(root.rglob("*.py"))
    modules = [".".join(p.relative_to(root).with_suffix("").parts) for p in paths]
    modules = [m.removesuffix(".__init__") for m in modules if m != "__init__"]
    if layer == "science":
        assert {"laws", "papers", "units", "transformer", "fitting"} <= set(modules)
    if layer == "lab":
        assert {"trainer", "sweep", "budget_game", "transfer", "transfer_study"} <= set(modules)
    code = ("import sys\n"
            + f"import scaling_laws_lab.{layer}\n"
            + "".join(f"import scaling_laws_lab.{layer}.{m}\n" for m in modules)
            + (f"import scaling_laws_lab.{layer}.bank as b; b.all_questions()\n"
               if layer == "teaching" else "")
            + "bad = [m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'bqplot') "
              "or m.startswith(('scaling_laws_lab.kit', 'scaling_laws_lab.explorers'))]\n"
              "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
    for path in paths:
        text = path.read_text()
        assert not re.search(r"^\s*(import|from)\s+(ipywidgets|bqplot|\.+kit|\.+explorers)",
                             text, re.M), path.name


def _imports(path, module, modules):
    # Every module of the package that ``path`` imports, deferred imports inside functions
    # included: ``from . import laws``, ``from ..science.papers import X``, ``import a.b``.
    import ast

    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level \
                else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                if f"{target}.{alias.name}" in modules:
                    found.add(f"{target}.{alias.name}")
                elif target in modules:
                    found.add(target)
    return found - {module}


def import_graph(*layers):
    """{module: modules of ``layers`` it imports}, for the UI-free layers' modules."""
    root = ROOT / "widgets" / "scaling_laws_lab"
    paths = {}
    for path in root.rglob("*.py"):
        parts = ["scaling_laws_lab", *path.relative_to(root).with_suffix("").parts]
        paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    chosen = {m for m in paths if m.split(".")[1:2] and m.split(".")[1] in layers}
    return {m: _imports(paths[m], m, paths) & chosen for m in chosen}


def cycle(graph):
    """One import cycle of ``graph`` as a list of modules, or None."""
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == "open":
                return stack[stack.index(d):] + [d]
            if d not in state and (found := visit(d)):
                return found
        state[m] = "done"
        stack.pop()
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_ui_free_modules_import_each_other_one_way():
    # No import circle in science, lab and teaching, deferred imports inside functions
    # included: papers holds the fits (each with its own allocation rule), laws imports papers,
    # and papers never imports laws.
    graph = import_graph(*UI_FREE)
    assert "scaling_laws_lab.science.papers" in graph["scaling_laws_lab.science.laws.allocation"]
    assert not any(m.startswith("scaling_laws_lab.science.laws")
                   for m in graph["scaling_laws_lab.science.papers"])
    assert cycle(graph) is None, " -> ".join(cycle(graph))
    # The check can fail: the circle that papers and laws used to form is found.
    broken = {**graph, "scaling_laws_lab.science.papers": {"scaling_laws_lab.science.laws"}}
    assert cycle(broken) is not None


def test_the_package_is_not_named_widgets():
    # A student's widgets.py beside a notebook must not shadow the collection's package.
    import scaling_laws_lab

    assert pathlib.Path(scaling_laws_lab.__file__).parent == ROOT / "widgets" / "scaling_laws_lab"
    code = "import importlib.util; print(importlib.util.find_spec('widgets'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "notebooks", capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "None"


def test_news_toast_override_is_installed_with_the_package():
    path = pathlib.Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(path.read_text())
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false" and notification["checkForUpdates"] is False


# Read back the way each server reads it, in a child process so this test's own Jupyter
# isolation (JUPYTER_CONFIG_DIR in a temp dir) applies and nothing in ~/.jupyter interferes.
VOILA_EXECUTOR_CONFIG = {
    "voila": "from voila.app import Voila\n"
             "app = Voila(); app.initialize([]); print(json.dumps(dict(app.config.VoilaExecutor)))",
    "server": "from jupyter_server.serverapp import ServerApp\n"
              "app = ServerApp(); app.initialize(['--port=0', '--ServerApp.open_browser=False'])\n"
              "print(json.dumps(dict(app.config.VoilaExecutor)))",
}


@pytest.mark.parametrize("app", sorted(VOILA_EXECUTOR_CONFIG))
def test_voila_waits_for_a_loaded_kernels_output(app, tmp_path):
    # nbclient's default 4 s wait for a cell's output after the kernel replies dropped the
    # explorer from every page when 30 students opened an app at once (bench.classroom).
    # Standalone `voila` reads <env>/etc/jupyter/voila.json; Voila inside JupyterLab,
    # Binder and JupyterHub runs on the Jupyter server's config instead.
    code = "import json\n" + VOILA_EXECUTOR_CONFIG[app]
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()[-1]
    config = json.loads(out)
    assert config["iopub_timeout"] >= 300 and config["startup_timeout"] >= 180


def test_every_explorer_is_exported():
    import scaling_laws_lab
    import scaling_laws_lab.explorers

    assert set(scaling_laws_lab.explorers.__all__) == set(scaling_laws_lab.EXPLORERS)
    for name in scaling_laws_lab.EXPLORERS:
        assert getattr(scaling_laws_lab, name).__name__ == name


def test_voila_renders_progressively(tmp_path):
    # Thirty pages at once on 2 cores: without progressive rendering most pages waited minutes
    # for the server's executor; with it all rendered (bench.classroom). It applies to
    # standalone Voila and, through the same voila.json, to Voila inside the Jupyter server.
    code = ("from voila.app import Voila\n"
            "app = Voila(); app.initialize([]); print(app.voila_configuration.progressive_rendering)")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()[-1]
    assert out == "True"


def test_voila_culls_kernels_of_closed_pages(tmp_path):
    # A class of 40 on one hub: a kernel is ~100 MB and Voila keeps a closed page's kernel
    # alive unless culled (docs/teaching.md, "Before class"). The package's voila.json culls
    # kernels idle for 30 min with no page connected; the kernel manager Voila really builds
    # must carry those settings (a config key Voila ignored would pass a file check).
    code = ("from voila.app import Voila\n"
            "app = Voila(); app.initialize([]); app.init_settings(); km = app.kernel_manager\n"
            "print(km.cull_idle_timeout, km.cull_interval, km.cull_connected)")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()[-1]
    timeout, interval, connected = out.split()
    assert 0 < int(timeout) <= 3600 and 0 < int(interval) <= 300 and connected == "False"


def test_every_binder_link_launches_the_release_tag():
    # A class on Binder must not meet a rebuild mid-term: README badges, the docs, the static
    # site's banners and share links all launch this release's tag, which follows the version.
    import scaling_laws_lab
    from scaling_laws_lab.kit import share

    from harness import site

    pins = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert pins.group(1) == scaling_laws_lab.__version__
    tag = scaling_laws_lab.RELEASE_TAG
    assert tag == f"v{scaling_laws_lab.__version__}"
    texts = {p.name: p.read_text(encoding="utf-8") for p in
             [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")),
              *sorted((ROOT / "notebooks").rglob("*.ipynb"))]}
    refs = {(name, ref) for name, text in texts.items()
            for ref in re.findall(r"mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/([^?/\s)`\"]+)", text)}
    assert len({name for name, _ in refs}) >= 2 and {ref for _, ref in refs} == {tag}, refs
    for url in (share.BINDER, site.BINDER):
        assert url.endswith(f"/{tag}"), url


def test_an_app_imports_only_its_own_explorer():
    # Thirty students opening one app start thirty kernels: each pays for every import.
    code = ("import sys; from scaling_laws_lab import ComputeExplorer; ComputeExplorer(); "
            "extra = sorted(m for m in sys.modules if m.startswith('scaling_laws_lab.explorers.') "
            "or m == 'scipy.optimize'); print(extra)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "['scaling_laws_lab.explorers.compute']"


def test_readme_has_exactly_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    commands = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    assert [c for c in commands if c] == ["make lab", "make test"]
    local = [i for i in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme) if "://" not in i]
    assert local, "the README shows a screenshot from the browser tests"
    for image in local:
        assert (ROOT / image).exists(), image
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize("flag, folder", [("", "build"), ("1", "docs")])
def test_browser_screenshots_replace_the_readmes_only_when_asked(flag, folder):
    # `make test` must never rewrite tracked files; `make screenshots` sets SLL_SCREENSHOTS=1.
    code = "import tests.test_browser as t; print(t.SHOTS.relative_to(t.ROOT).parts[0])"
    env = {k: v for k, v in __import__("os").environ.items() if k != "SLL_SCREENSHOTS"}
    env |= {"SLL_SCREENSHOTS": flag} if flag else {}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == folder
    assert re.search(r"^screenshots:.*\n\tSLL_SCREENSHOTS=1 ", (ROOT / "Makefile").read_text(), re.M)


def test_bench_does_not_import_tests():
    # Servers and the browser are shared from harness/; bench and tests never import each other.
    for path in (ROOT / "bench").glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+tests\b", path.read_text(), re.M), path.name
    for path in (ROOT / "tests").glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+bench\b", path.read_text(), re.M), path.name
