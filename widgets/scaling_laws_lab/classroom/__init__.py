"""A class session: learners' answers to the checks go to a store only the teacher reads.

- :mod:`.store`: the SQLite store (UI-free);
- :mod:`.client`: what a learner's kernel does when a check is answered (records it when a
  class is configured by ``SLL_CLASS_STORE``; outside a class, nothing);
- :mod:`.session`: creating a class (store, key) and the Voila command that serves it;
- :mod:`.teacher`: the teacher's view (ipywidgets and bqplot), behind the class key.

Start a class with ``python -m scaling_laws_lab.classroom start --name NAME``.
"""

#: Set by the class command on the Voila server: the store's path. Unset (Binder, a laptop,
#: JupyterLab): nothing is recorded anywhere.
STORE_ENV = "SLL_CLASS_STORE"
