"""The Binder environment, reproduced: binder/requirements.txt in a fresh venv, postBuild, then
every notebook and app executed with that environment's own Jupyter (we cannot build the
Binder image here, so we test what it installs)."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.binder
def test_binder_environment_runs_every_notebook(tmp_path):
    venv = tmp_path / "binder-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    pip = [str(py), "-m", "pip", "install", "--quiet"]
    subprocess.run(pip + ["-r", str(ROOT / "binder" / "requirements.txt")], check=True, env=env)
    # repo2docker runs postBuild from the repository root
    subprocess.run(["bash", str(ROOT / "binder" / "postBuild")], check=True, cwd=ROOT,
                   env={**env, "PATH": f"{venv / 'bin'}:{env['PATH']}"})
    override = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(override.read_text())["@jupyterlab/apputils-extension:notification"]
    for name in ("voila.json", "jupyter_server_config.json"):  # the classroom timeouts
        config = json.loads((venv / "etc" / "jupyter" / name).read_text())
        assert config["VoilaExecutor"]["iopub_timeout"] >= 300, name
    # The Voila template that keeps waiting pages still (tests/test_browser.py checks it works).
    assert json.loads((venv / "etc" / "jupyter" / "voila.json").read_text())[
        "VoilaConfiguration"]["template"] == "sll"
    assert (venv / "share" / "jupyter" / "voila" / "templates" / "sll" / "index.html.j2").is_file()
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    notebooks += sorted((ROOT / "notebooks" / "apps").glob("*.ipynb"))
    jupyter_env = {**env, **{f"JUPYTER_{k}_DIR": str(tmp_path / k.lower())
                             for k in ("CONFIG", "DATA", "RUNTIME")}}
    for nb in notebooks:
        result = subprocess.run(
            [str(venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
             "--ExecutePreprocessor.timeout=600", "--output-dir", str(tmp_path / "out"),
             str(nb)], cwd=nb.parent, env=jupyter_env, capture_output=True, text=True)
        assert result.returncode == 0, f"{nb.name}:\n{result.stderr[-3000:]}"
    assert len(list((tmp_path / "out").glob("*.ipynb"))) == len({p.name for p in notebooks})
