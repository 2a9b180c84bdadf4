"""A class on one JupyterHub, for real: what ``python3 course.py hub-test`` runs (``scripts/hub_test.py``).

It starts a real JupyterHub on loopback with the settings of ``deploy/zero-to-jupyterhub/config.yaml``
(:mod:`.settings`), installs what it needs beside the checkout (:mod:`.tools`), runs it (:mod:`.hub`), lets N
simulated students log in, pull the course with nbgitpuller and run notebook 03 through the kernel protocol as a
browser does (:mod:`.student`, :mod:`.kernel`), and prints what each one saw (:mod:`.report`).
Not part of the learners' ``helpers`` package: instructors and the test suite use it.
"""
