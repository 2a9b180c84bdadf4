"""The compiled kernels' tests, run once more with numba's bounds checking on.

numba does not check array bounds by default: a kernel that allocates a scratch array one element short, or reads
one slot past a window, corrupts memory silently and can still pass every test. With ``NUMBA_BOUNDSCHECK=1`` every
such access raises ``IndexError`` instead. The flag is read when numba starts, so the kernel tests run in a fresh
interpreter, with their own numba cache (a bounds-checked build must not be cached for, or loaded by, training).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_kernel_tests_pass_with_numba_bounds_checking_on(tmp_path):
    env = {**os.environ, "NUMBA_BOUNDSCHECK": "1", "NUMBA_CACHE_DIR": str(tmp_path / "numba-cache")}
    code = ("import sys, pytest\n"
            "from numba.core import config\n"
            "assert config.BOUNDSCHECK, 'numba did not read NUMBA_BOUNDSCHECK'\n"
            "sys.exit(pytest.main(sys.argv[1:]))\n")
    result = subprocess.run(
        [sys.executable, "-c", code, str(TESTS / "test_word2vec_kernels.py"), "-q", "-p", "no:cacheprovider",
         "-p", "no:xdist", "-W", "ignore::pytest.PytestAssertRewriteWarning"],
        cwd=TESTS.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        encoding="utf-8", errors="replace", timeout=600,
    )
    assert result.returncode == 0, f"the kernel tests fail with bounds checking on:\n{result.stdout[-6000:]}"
    assert " passed" in result.stdout and " failed" not in result.stdout, result.stdout[-2000:]
