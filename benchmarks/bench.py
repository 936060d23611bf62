#!/usr/bin/env python3
"""Benchmark this repository's micrograd against micrograd 0.1.0 from PyPI.

    python3 benchmarks/bench.py            # the full run: about two minutes of CPU time
    python3 benchmarks/bench.py --quick    # fewer rounds, to try the script

Both packages are named `micrograd`, so each runs in its own worker process: ours with
PYTHONPATH at the repository root, 0.1.0 from a virtual environment that this script
creates under benchmarks/.envs/ (pip installs it from PyPI the first time). The driver
sends the same work to both, one round at a time (ours, 0.1.0, ours, 0.1.0, ...), so a
change in the machine's load hits both alike, and it prints a Markdown table of medians.

The benchmark code below uses only 0.1.0's API, so the very same lines run on both.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REFERENCE = "micrograd==0.1.0"
REFERENCE_ENV = HERE / ".envs" / "micrograd-0.1.0"
RAISED_RECURSION_LIMIT = 10**7
LOSS_RTOL = 1e-6  # both engines must agree on every training step's loss to this relative tolerance
# CPU time by default: on a shared machine, wall-clock time also counts the time other processes
# ran, which inflates long runs (a 1 s step, a 10^6 chain) more than short ones.
CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}


# ---------------------------------------------------------------- the work (runs in a worker)

def train_step(Value: Any, model: Any, X: list[list[float]], y: list[int], k: int, alpha: float = 1e-4) -> float:
    """One SGD step on max-margin loss + alpha * L2, learning rate 1 - 0.9 k / 100; returns the loss."""
    inputs = [list(map(Value, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) / len(losses)
    reg_loss = alpha * sum(p * p for p in model.parameters())
    loss = data_loss + reg_loss
    model.zero_grad()
    loss.backward()
    lr = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= lr * p.grad
    value: float = loss.data
    return value


def readme_expression(Value: Any) -> tuple[Any, Any, Any]:
    """micrograd 0.1.0's README example, forward and backward: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return g, a, b


class Worker:
    """The worker side: answers one JSON command per line with one JSON result per line."""

    def __init__(self, clock: str) -> None:
        from micrograd.engine import Value
        from micrograd.nn import MLP

        self.Value, self.MLP = Value, MLP
        self.clock = CLOCKS[clock]
        self.model: Any = None
        self.X: list[list[float]] = []
        self.y: list[int] = []
        self.in_gc = 0.0  # time spent in the cyclic collector, added up by _time_gc
        self._gc_start = 0.0
        gc.callbacks.append(self._time_gc)

    def _time_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_start = self.clock()
        else:
            self.in_gc += self.clock() - self._gc_start

    def info(self) -> dict[str, Any]:
        from importlib.metadata import PackageNotFoundError, version

        import micrograd

        try:
            dist = version("micrograd")
        except PackageNotFoundError:  # ours runs from the source tree, not installed under that name
            dist = getattr(micrograd, "__version__", "unknown")
        return {"file": micrograd.__file__, "version": dist, "python": platform.python_version()}

    def moons_init(self, X: list[list[float]], y: list[int], weights: list[float]) -> dict[str, Any]:
        self.model = self.MLP(2, [16, 16, 1])
        params = self.model.parameters()
        if len(params) != len(weights):
            raise ValueError(f"MLP(2, [16, 16, 1]) has {len(params)} parameters, got {len(weights)} weights")
        for p, w in zip(params, weights):
            p.data = w
        self.X, self.y = X, y
        return {"parameters": len(params)}

    def moons_weights(self) -> dict[str, Any]:
        return {"weights": [p.data for p in self.model.parameters()]}

    def moons_step(self, k: int) -> dict[str, Any]:
        self.in_gc = 0.0
        start = self.clock()
        loss = train_step(self.Value, self.model, self.X, self.y, k)
        seconds = self.clock() - start
        return {"seconds": seconds, "loss": loss, "gc_share": self.in_gc / seconds}

    def readme(self, repeat: int) -> dict[str, Any]:
        start = self.clock()
        for _ in range(repeat):
            g, a, b = readme_expression(self.Value)
        return {"seconds": (self.clock() - start) / repeat, "g": g.data, "da": a.grad, "db": b.grad}

    def chain(self, n: int, recursion_limit: int | None = None) -> dict[str, Any]:
        """Time backward() of v = x + 1 + 1 + ... (n additions); the build is not timed."""
        if recursion_limit:
            sys.setrecursionlimit(recursion_limit)
        gc.disable()  # building is not measured: skip the collector's passes over a growing graph
        x = self.Value(1.0)
        v = x
        for _ in range(n):
            v = v + 1.0
        gc.enable()
        gc.collect()  # settle the collector so the timed part pays only for its own allocations
        start = self.clock()
        try:
            v.backward()
        except RecursionError as error:
            return {"error": f"RecursionError: {error}"}
        return {"seconds": self.clock() - start, "grad": x.grad, "data": v.data}


def serve(clock: str) -> None:
    """Worker main loop: run each command and print its result; `quit` exits at once."""
    worker = Worker(clock)
    for line in sys.stdin:
        command = json.loads(line)
        op = command.pop("op")
        if op == "quit":
            sys.stdout.flush()
            os._exit(0)  # skip tearing down the graphs still alive (0.1.0's cycles take seconds to free)
        print(json.dumps(getattr(worker, op)(**command)), flush=True)


# ---------------------------------------------------------------- the driver

class WorkerDied(RuntimeError):
    """A worker process ended without answering (a crash, or an exception it did not catch)."""


class Process:
    """A worker process running one implementation, driven over its stdin/stdout."""

    def __init__(self, name: str, python: str, env: dict[str, str], clock: str) -> None:
        self.name = name
        self.stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - lives as long as the worker; close() closes it
        self.proc = subprocess.Popen([python, str(Path(__file__).resolve()), "--worker", clock], env=env, cwd=HERE,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True)

    def call(self, op: str, **args: Any) -> dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        try:
            self.proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass  # reported below, with how the process ended
        line = self.proc.stdout.readline()
        if not line:
            raise WorkerDied(f"{self.name} worker {self._ending()} during {op}")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _ending(self) -> str:
        code = self.proc.wait()
        self.stderr.seek(0)
        last = [s for s in self.stderr.read().splitlines() if s.strip()][-1:]
        how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with status {code}"
        return how + (f" ({last[0].strip()})" if last else "")

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin
            try:
                self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
            self.proc.wait()
        self.stderr.close()


@contextmanager
def workers(start: Callable[[], tuple[Process, Process]]) -> Iterator[tuple[Process, Process]]:
    """A pair of worker processes (ours, 0.1.0), closed on the way out."""
    ours, ref = start()
    try:
        yield ours, ref
    finally:
        ours.close()
        ref.close()


def pin(cpu: int | None) -> int | None:
    """Run this process, and so every worker it starts, on one CPU; returns it (None where unsupported).

    On a shared machine one core can be busier than another (another program on its
    hyperthread twin, say); on the same core, ours and 0.1.0 meet the same conditions.
    """
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = max(os.sched_getaffinity(0)) if cpu is None else cpu
    os.sched_setaffinity(0, {cpu})
    return cpu


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def reference_python() -> str:
    """The virtual environment's Python with micrograd 0.1.0, created on first use."""
    bindir = "Scripts" if os.name == "nt" else "bin"
    python = REFERENCE_ENV / bindir / ("python.exe" if os.name == "nt" else "python")
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('micrograd'))"]
    if python.exists() and subprocess.run(probe, capture_output=True, text=True).stdout.strip() == "0.1.0":
        return str(python)
    log(f"creating {REFERENCE_ENV.relative_to(ROOT)} with {REFERENCE} from PyPI ...")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(REFERENCE_ENV)], check=True)
    pip = subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", REFERENCE],
                         capture_output=True, text=True)
    if pip.returncode != 0:
        sys.exit(f"could not install {REFERENCE} into {REFERENCE_ENV}:\n{pip.stderr.strip()}")
    return str(python)


def start_ours(clock: str) -> Process:
    """This repository's package: the worker finds it through PYTHONPATH."""
    return Process("ours", sys.executable, {**os.environ, "PYTHONPATH": str(ROOT)}, clock)


def start_reference(python: str, clock: str) -> Process:
    """micrograd 0.1.0 from its environment, with nothing else on the path that could shadow it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONNOUSERSITE"] = "1"
    return Process("0.1.0", python, env, clock)


def check_identity(ours: Process, ref: Process) -> dict[str, dict[str, Any]]:
    """Make sure each worker imported the package it is meant to measure."""
    info = {"ours": ours.call("info"), "ref": ref.call("info")}
    if not Path(info["ours"]["file"]).resolve().is_relative_to(ROOT / "micrograd"):
        sys.exit(f"the 'ours' worker imported micrograd from {info['ours']['file']}, not from {ROOT}")
    if info["ref"]["version"] != "0.1.0" or not Path(info["ref"]["file"]).resolve().is_relative_to(REFERENCE_ENV):
        sys.exit(f"the reference worker imported micrograd {info['ref']['version']} from {info['ref']['file']}")
    return info


def moons_data(seed: int = 0) -> tuple[list[list[float]], list[int], list[float]]:
    """100 points from our make_moons, and one list of initial weights for both engines."""
    import random

    sys.path.insert(0, str(ROOT))
    from micrograd.data import make_moons
    from micrograd.nn import MLP

    X, y = make_moons(100, noise=0.1, rng=random.Random(seed))
    weights = [p.data for p in MLP(2, [16, 16, 1], rng=random.Random(seed + 1)).parameters()]
    return X, y, weights


def bench_moons(pair: Callable[[], tuple[Process, Process]], rounds: int, warmup: int,
                steps: int) -> dict[str, list[float]]:
    """(a): `rounds` rounds, each with a fresh pair of workers that run `steps` training steps each.

    Fresh workers, because 0.1.0 slows down the longer its process lives (its cyclic garbage
    piles up), so a long-lived worker would time a state no real script of a few steps is in.
    A worker runs its steps back to back, as training does (one second of 0.1.0 leaves the CPU
    caches cold), and its first `warmup` steps are not counted. Both start each round from the
    weights ours reached, every step's loss must agree, and which engine goes first alternates.
    """
    X, y, weights = moons_data()
    times: dict[str, list[float]] = {"ours": [], "ref": [], "ours_gc": [], "ref_gc": [], "ratios": []}
    for r in range(rounds):
        ks = range(r * steps, (r + 1) * steps)
        with workers(pair) as (ours, ref):
            check_identity(ours, ref)
            results: dict[str, list[dict[str, Any]]] = {}
            for name, p in ((("ours", ours), ("ref", ref)) if r % 2 == 0 else (("ref", ref), ("ours", ours))):
                p.call("moons_init", X=X, y=y, weights=weights)
                results[name] = [p.call("moons_step", k=k) for k in ks]
            weights = ours.call("moons_weights")["weights"]
        for k, a, b in zip(ks, results["ours"], results["ref"]):
            if abs(a["loss"] - b["loss"]) > LOSS_RTOL * max(abs(a["loss"]), abs(b["loss"])):
                sys.exit(f"step {k}: losses differ: ours {a['loss']!r}, 0.1.0 {b['loss']!r}")
            log(f"  moons step {k}: loss {a['loss']:.6f}, ours {fmt(a['seconds'])}, 0.1.0 {fmt(b['seconds'])}")
        for name in ("ours", "ref"):
            counted = results[name][warmup:]
            times[name] += [c["seconds"] for c in counted]
            times[f"{name}_gc"] += [c["gc_share"] for c in counted]
        times["ratios"].append(median([c["seconds"] for c in results["ref"][warmup:]])
                               / median([c["seconds"] for c in results["ours"][warmup:]]))
    return times


def bench_readme(pair: Callable[[], tuple[Process, Process]], pairs: int, warmup: int, rounds: int,
                 repeat: int) -> dict[str, list[float]]:
    """(b): the README expression, `repeat` times per round, alternating, in `pairs` fresh pairs of workers
    (for the same reason as in (a)); the first `warmup` rounds of each pair are not counted."""
    times: dict[str, list[float]] = {"ours": [], "ref": [], "ratios": []}
    for _ in range(pairs):
        with workers(pair) as (ours, ref):
            check_identity(ours, ref)
            these: dict[str, list[float]] = {"ours": [], "ref": []}
            for k in range(warmup + rounds):
                for name, p in (("ours", ours), ("ref", ref)):
                    result = p.call("readme", repeat=repeat)
                    got = (round(result["g"], 4), round(result["da"], 4), round(result["db"], 4))
                    if got != (24.7041, 138.8338, 645.5773):
                        sys.exit(f"{p.name}: README expression gave g, dg/da, dg/db = {got}")
                    if k >= warmup:
                        these[name].append(result["seconds"])
        times["ours"] += these["ours"]
        times["ref"] += these["ref"]
        times["ratios"].append(median(these["ref"]) / median(these["ours"]))
    return times


@dataclass
class ChainResult:
    """The timed runs of one implementation on one chain length, or why it failed."""

    times: list[float] = field(default_factory=list)
    error: str = ""


def chain_round(p: Process, n: int, result: ChainResult, **args: Any) -> None:
    """One timed backward of an n-op chain; a failure is recorded, not raised."""
    try:
        r = p.call("chain", n=n, **args)
    except WorkerDied as died:
        result.error = str(died)
        return
    if "error" in r:
        result.error = r["error"]
    elif r["grad"] != 1.0 or r["data"] != n + 1.0:
        sys.exit(f"{p.name}: chain of {n}: got data {r['data']}, grad {r['grad']}")
    else:
        result.times.append(r["seconds"])


def bench_chains(start_ours: Callable[[], Process], start_ref: Callable[[], Process],
                 sizes: dict[int, tuple[int, int]]) -> dict[str, dict[int, ChainResult]]:
    """(c): ours and 0.1.0 with its recursion limit raised alternate; 0.1.0 as shipped is tried once.

    Every attempt gets a fresh process, so each backward() starts from the same state: 0.1.0's
    chains are cycles that take seconds to free, and in a long-lived process the smaller chain
    would reuse memory that earlier rounds had already paged in.
    `sizes` maps n to (rounds for ours, rounds for 0.1.0 with the raised limit).
    """
    results: dict[str, dict[int, ChainResult]] = {"ours": {}, "ref": {}, "ref_raised": {}}

    def attempt(start: Callable[[], Process], n: int, result: ChainResult, **args: Any) -> None:
        p = start()
        try:
            chain_round(p, n, result, **args)
        finally:
            p.close()

    for n in sizes:
        log(f"  chain of {n:,}: 0.1.0 as shipped ...")
        attempt(start_ref, n, results["ref"].setdefault(n, ChainResult()))
    # the sizes take turns within each round, so a busy spell of the machine falls on both
    for r in range(max(max(rounds) for rounds in sizes.values())):
        for n, (ours_rounds, raised_rounds) in sizes.items():
            ours = results["ours"].setdefault(n, ChainResult())
            raised = results["ref_raised"].setdefault(n, ChainResult())
            if r < ours_rounds:
                attempt(start_ours, n, ours)
            if r < raised_rounds and not raised.error:
                attempt(start_ref, n, raised, recursion_limit=RAISED_RECURSION_LIMIT)
            log(f"  chain of {n:,}, round {r}: ours {', '.join(map(fmt, ours.times))}; "
                f"0.1.0 with the raised limit {', '.join(map(fmt, raised.times)) or raised.error or '-'}")
    return results


# ---------------------------------------------------------------- the report

def fmt(seconds: float) -> str:
    """A duration with a unit that keeps three significant digits."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def median(times: list[float]) -> float:
    return statistics.median(times)


def spread(values: list[float], unit: Callable[[float], str] = fmt) -> str:
    """The middle half of the values (25th to 75th percentile) as "lo to hi" with an en dash; all of them if < 4."""
    if len(values) < 4:
        return f"{unit(min(values))}–{unit(max(values))}"
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"{unit(q1)}–{unit(q3)}"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


def report(moons: dict[str, list[float]], readme: dict[str, list[float]], chains: dict[str, dict[int, ChainResult]],
           plan: Plan, info: dict[str, dict[str, Any]], load_before: str, clock: str, cpu: int | None) -> str:
    """The Markdown table: medians with the middle half of the runs, ratios (0.1.0's time over ours) and
    whether each target is met."""
    def verdict(ok: bool) -> str:
        return "yes" if ok else "**no**"

    def timed(r: ChainResult) -> str:
        if r.error:
            return f"fails: {r.error}"
        return f"{fmt(median(r.times))} ({spread(r.times)}, {len(r.times)} run{'s' * (len(r.times) != 1)})"

    def ratio(x: float) -> str:
        return f"{x:.1f}×"

    rows = ["| Benchmark | micrograd 0.1.0 | this repository | speed-up | target | met |",
            "|---|---|---|---|---|---|"]
    a_ref, a_ours = median(moons["ref"]), median(moons["ours"])
    a = a_ref / a_ours
    rows.append(f"| (a) moons training step: `MLP(2, [16, 16, 1])`, 100 points ({plan.moons_rounds} fresh pairs of "
                f"workers × {plan.moons_steps - plan.moons_warmup} steps) | {fmt(a_ref)} ({spread(moons['ref'])}) "
                f"| {fmt(a_ours)} ({spread(moons['ours'])}) | {a:.0f}× ({spread(moons['ratios'], ratio)} by pair) "
                f"| ≥ 80× | {verdict(a >= 80)} |")
    rows.append(f"| (a) the same step: share of its time in the cyclic garbage collector "
                f"| {median(moons['ref_gc']):.0%} | {median(moons['ours_gc']):.0%} | | | |")
    b_ref, b_ours = median(readme["ref"]), median(readme["ours"])
    b = b_ref / b_ours
    rows.append(f"| (b) README expression, forward + backward ({plan.readme_pairs} fresh pairs × "
                f"{plan.readme_rounds} rounds of {plan.repeat}) | {fmt(b_ref)} ({spread(readme['ref'])}) "
                f"| {fmt(b_ours)} ({spread(readme['ours'])}) | {b:.2f}× ({spread(readme['ratios'], ratio)} by pair) "
                f"| ≥ 4× | {verdict(b >= 4)} |")
    ours = chains["ours"]
    small, big = min(ours), max(ours)
    works = all(r.times and not r.error for r in ours.values())
    growth = median(ours[big].times) / median(ours[small].times) if works else math.nan
    by_round = [t_big / t_small for t_big, t_small in zip(ours[big].times, ours[small].times)]
    for n in sorted(ours):
        target = met = ""
        if n == big:
            target = f"works; t({big:,}) / t({small:,}) ≤ 12"
            met = f"{verdict(works and growth <= 12)} ({growth:.1f}; {spread(by_round, ratio)} by round)"
        rows.append(f"| (c) backward of a chain of {n:,} additions | {timed(chains['ref'][n])} | {timed(ours[n])} "
                    f"| — | {target} | {met} |")
    for n in sorted(ours):
        raised = chains["ref_raised"][n]
        if raised.times or raised.error:  # attempted in this run
            r = f"{median(raised.times) / median(ours[n].times):.1f}×" if raised.times and ours[n].times else "—"
            rows.append(f"| (c) the same, 0.1.0 after `sys.setrecursionlimit({RAISED_RECURSION_LIMIT:_})`, {n:,} "
                        f"| {timed(raised)} | {timed(ours[n])} | {r} | | |")
    what = "CPU time of the worker process (`time.process_time`)" if clock == "cpu" else "wall-clock time"
    return "\n".join([
        *rows,
        "",
        f"Medians, with the middle half of the runs (25th–75th percentile) in brackets; {what}"
        + (f"; every worker on CPU {cpu}." if cpu is not None else "."),
        f"(a): each pair of fresh workers runs {plan.moons_steps} steps per engine and counts the last "
        f"{plan.moons_steps - plan.moons_warmup}. (b): each pair runs {plan.readme_rounds} counted rounds after "
        f"{plan.readme_warmup} warm-up, alternating ours and 0.1.0. (c): every run is a fresh process.",
        f"Machine: {machine()}; Python {info['ours']['python']} (ours), {info['ref']['python']} (0.1.0).",
        f"Load average (1, 5, 15 min) before: {load_before}; after: {load()}.",
    ])


@dataclass(frozen=True)
class Plan:
    """How many rounds of what: the full run's counts, or --quick's."""

    moons_rounds: int = 8  # fresh pairs of workers
    moons_steps: int = 5  # steps per worker
    moons_warmup: int = 1  # of which not counted
    readme_pairs: int = 4
    readme_rounds: int = 8  # counted rounds per pair
    readme_warmup: int = 1
    repeat: int = 500  # expressions per round
    chains: tuple[tuple[int, int, int], ...] = ((10**5, 9, 3), (10**6, 9, 1))  # n, runs of ours, of raised 0.1.0


QUICK = Plan(moons_rounds=2, moons_steps=3, readme_pairs=1, readme_rounds=4, repeat=100,
             chains=((10**5, 2, 1), (10**6, 2, 0)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (fewer rounds) to try the script")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: process CPU time (default, steadier on a busy machine); wall: elapsed time")
    parser.add_argument("--cpu", type=int, help="the CPU to run every worker on (default: the last one available)")
    parser.add_argument("--worker", choices=sorted(CLOCKS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        serve(args.worker)
        return
    cpu = pin(args.cpu)
    plan = QUICK if args.quick else Plan()
    load_before = load()
    log(f"load average (1, 5, 15 min): {load_before}")
    ref_python = reference_python()

    def pair() -> tuple[Process, Process]:
        return start_ours(args.clock), start_reference(ref_python, args.clock)

    with workers(pair) as (ours, ref):
        info = check_identity(ours, ref)
    log(f"ours: {info['ours']['file']}; 0.1.0: {info['ref']['file']}")
    log("(a) moons training step")
    moons_times = bench_moons(pair, plan.moons_rounds, plan.moons_warmup, plan.moons_steps)
    log("(b) README expression")
    readme = bench_readme(pair, plan.readme_pairs, plan.readme_warmup, plan.readme_rounds, plan.repeat)
    log("(c) backward of long chains")
    chains = bench_chains(lambda: start_ours(args.clock), lambda: start_reference(ref_python, args.clock),
                          {n: (mine, raised) for n, mine, raised in plan.chains})
    print(report(moons_times, readme, chains, plan, info, load_before, args.clock, cpu))


if __name__ == "__main__":
    main()
