"""Engine overhead per step, journal on SQLite included, against the same operations called directly.

Workload: a manual trigger and 10 text-helpers `concatenate` steps, each reading the previous
step's result through a jsonpath. Baseline: the same 10 operation calls, in a plain loop, with
the same values, in the same process and run. Figures: µs per step for both, the engine's
overhead per step (the difference), runs/s, and the ratio to the baseline.

    .venv/bin/python bench/engine.py [--runs 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from switchboard.connectors.registry import discover
from switchboard.connectors.text_helpers import Concatenate, concatenate
from switchboard.definition import check_workflow
from switchboard.engine.plan import compile_plan
from switchboard.engine.runner import Engine
from switchboard.store.database import open_database
from switchboard.store.journal import SqlJournal

STEPS = 10


def workflow() -> dict[str, Any]:
    steps = [
        {
            "connector": "text-helpers",
            "operation": "concatenate",
            "input": {"values": ["{$.steps.trigger.word}", "-0"]},
        }
    ]
    for n in range(1, STEPS):
        steps.append(
            {
                "connector": "text-helpers",
                "operation": "concatenate",
                "input": {"values": [f"{{$.steps.text-helpers-{n}.result}}", f"-{n}"]},
            }
        )
    return {"version": 1, "title": "bench", "trigger": {"type": "manual"}, "steps": steps}


async def baseline(runs: int) -> float:
    """Seconds per run when the operations are called directly."""
    start = time.perf_counter()
    for _ in range(runs):
        previous = "go"
        for n in range(STEPS):
            previous = (await concatenate(Concatenate(values=[previous, f"-{n}"]))).result
    return (time.perf_counter() - start) / runs


async def engine_runs(runs: int, engine: Engine, plan: Any, concurrency: int = 1) -> float:
    """Seconds per run through the engine, every step journaled, `concurrency` runs at a time."""

    async def worker(count: int) -> None:
        for _ in range(count):
            run = await engine.run(plan, {"word": "go"})
            assert run.status == "succeeded", run.error

    start = time.perf_counter()
    await asyncio.gather(*(worker(runs // concurrency) for _ in range(concurrency)))
    return (time.perf_counter() - start) / (runs // concurrency * concurrency)


async def main(runs: int, rounds: int, database_url: str | None, concurrency: int) -> None:
    registry = discover()
    plan = compile_plan(check_workflow(workflow(), registry), registry)
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(database_url or f"sqlite:///{Path(folder) / 'bench.db'}")
        journal = SqlJournal(database)
        engine = Engine(journal=journal)
        await engine_runs(50, engine, plan)  # warm-up: caches, SQLite pages
        await baseline(200)
        base, eng = [], []
        for _ in range(rounds):  # interleaved, so both see the same machine load
            base.append(await baseline(runs))
            eng.append(await engine_runs(runs, engine, plan, concurrency))
        journal.close()
        database.dispose()
    base_run, engine_run = statistics.median(base), statistics.median(eng)
    base_step, engine_step = base_run / STEPS * 1e6, engine_run / STEPS * 1e6
    print(
        f"workload: manual trigger + {STEPS} text-helpers.concatenate steps; "
        f"{rounds} rounds x {runs} runs (median), {concurrency} at a time, "
        f"journal on {'SQLite' if database_url is None else database_url.split(':')[0]}"
    )
    print(f"baseline (direct calls):      {base_step:8.1f} us/step   {1 / base_run:10.0f} runs/s")
    print(f"engine + journal:             {engine_step:8.1f} us/step   {1 / engine_run:10.0f} runs/s")
    print(f"engine overhead per step:     {engine_step - base_step:8.1f} us   (target < 200 us)")
    print(f"engine time / baseline time:  {engine_run / base_run:8.1f} x")
    print(
        f"journal writes per run:       {1 + 2 * STEPS + 1} (run start with its trigger, 2 per step, run end)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--database-url", help="an empty database to journal to (default: a temporary SQLite file)"
    )
    parser.add_argument("--concurrency", type=int, default=1, help="runs executing at once")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.runs, arguments.rounds, arguments.database_url, arguments.concurrency))
