"""A class on one JupyterHub: ``python3 course.py hub-test --students N`` (default 30).

Starts a real JupyterHub on 127.0.0.1 with the per-student settings of deploy/zero-to-jupyterhub/config.yaml, then
N students at once: each logs in, starts a server, pulls the course with nbgitpuller from a local clone of this
checkout, runs notebook 03 top to bottom through the kernel protocol and presses Step (comm messages, as the
browser does) --steps times, waiting for each new frame. Prints what each saw and ``K/N students succeeded``; exits
0 only if every student did. Everything it starts is stopped on the way out, Ctrl+C included.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hubload import settings as class_settings  # noqa: E402
from hubload.hub import LocalHub  # noqa: E402
from hubload.report import lines, summary_json, verdict  # noqa: E402
from hubload.student import NOTEBOOK, Visit, visit  # noqa: E402
from hubload.tools import ToolError, check_jupyterhub, proxy_command  # noqa: E402


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="course.py hub-test", description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30, help="how many students log in at once (default 30)")
    parser.add_argument("--steps", type=int, default=50, help="Step presses per student (default 50)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds the whole class may take before the rest count as failed (default 900)")
    parser.add_argument("--ramp", type=float, default=0,
                        help="spread the logins over this many seconds (default 0: all at once)")
    parser.add_argument("--step-timeout", type=float, default=30, help="seconds one Step may take (default 30)")
    parser.add_argument("--cell-timeout", type=float, default=300, help="seconds one cell may take (default 300)")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the hub's temporary folder (homes, log)")
    args = parser.parse_args(argv)
    if not 1 <= args.students <= 200 or not 0 <= args.steps <= 1000:
        parser.error("--students must be 1..200 and --steps 0..1000")
    return args


async def sample_forever(hub: LocalHub) -> None:
    while True:
        hub.sample()
        await asyncio.sleep(0.5)


async def run_class(hub: LocalHub, args: argparse.Namespace, visits: list[Visit]) -> None:
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=4 * args.students + 10)
    sampler = asyncio.ensure_future(sample_forever(hub))

    async def one(student: Visit, delay: float) -> None:
        await asyncio.sleep(delay)
        student.started = time.monotonic()
        try:
            await visit(student, hub.url, hub.password, hub.settings, args.steps, args.step_timeout,
                        args.cell_timeout)
        except asyncio.CancelledError:
            student.failure = student.failure or f"did not finish within --timeout {args.timeout:.0f} s"
            raise
        except Exception as error:  # noqa: BLE001 -- any failure is this student's result, reported with its stage
            student.failure = f"{type(error).__name__}: {error}"

    tasks = [asyncio.ensure_future(one(student, args.ramp * i / max(1, args.students - 1)))
             for i, student in enumerate(visits)]
    done, pending = await asyncio.wait(tasks, timeout=args.timeout)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for student in visits:
        if not student.ok and student.failure is None:
            student.failure = f"did not finish within --timeout {args.timeout:.0f} s"
    sampler.cancel()
    hub.sample()


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    try:
        version = check_jupyterhub()
        proxy = proxy_command()
    except ToolError as error:
        print(f"hub-test: {error}", file=sys.stderr)
        return 1
    settings = class_settings.load()
    hub = LocalHub(settings, proxy, keep=args.keep)
    atexit.register(hub.stop)  # also on an exit nobody planned for
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops the hub as Ctrl+C does
    visits = [Visit(f"student{i + 1:02d}") for i in range(args.students)]
    load_before, start = os.getloadavg(), time.monotonic()
    try:
        print(f"hub-test: JupyterHub {version} on {hub.url} (loopback only), {args.students} students, "
              f"{args.steps} steps each; settings from {settings_path()}", flush=True)
        hub.start()
        print(f"hub-test: the hub answered after {time.monotonic() - start:.1f} s; the class starts", flush=True)
        asyncio.run(run_class(hub, args, visits))
    except KeyboardInterrupt:
        print("\nhub-test: interrupted; stopping the hub and every server it started", file=sys.stderr)
        hub.stop()
        return 130
    except Exception as error:  # the hub itself did not come up: nobody can succeed
        for student in visits:
            student.failure = student.failure or f"the hub failed: {error}"
    finally:
        stopping = time.monotonic()
        hub.stop()
        print(f"hub-test: everything stopped in {time.monotonic() - stopping:.1f} s", flush=True)
    failed = verdict(visits, hub.peaks, settings)
    sources = {}
    import json
    notebook = json.loads((class_settings.ROOT / NOTEBOOK).read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        sources[index] = "".join(cell["source"]).splitlines()[0] if cell["source"] else ""
    for line in lines(visits, hub.peaks, settings, sources, time.monotonic() - start,
                      (load_before, os.getloadavg()), os.cpu_count() or 1):
        print(line)
    if args.json:
        args.json.write_text(summary_json(visits, hub.peaks) + "\n")
    print(f"processes of the hub, its proxy, servers and kernels: {len(hub._seen)} started, "
          f"{len(hub.leftover)} left running after the stop{' ' + str(hub.leftover) if hub.leftover else ''}")
    succeeded = len(visits) - len(failed)
    print(f"\n{succeeded}/{len(visits)} students succeeded", flush=True)
    return 0 if not failed and not hub.leftover else 1


def settings_path() -> str:
    return str(class_settings.CONFIG.relative_to(class_settings.ROOT))


if __name__ == "__main__":
    sys.exit(main())
