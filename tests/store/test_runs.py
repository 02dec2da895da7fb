"""Run retention: finished journals older than the period go; running ones stay."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from switchboard.engine.records import RunState, StepEntry, now
from switchboard.store.database import Database
from switchboard.store.journal import SqlJournal, load_run
from switchboard.store.runs import RunFilter, list_runs, prune_runs


async def test_prune_deletes_finished_runs_older_than_the_cutoff_and_keeps_the_rest(
    database: Database,
) -> None:
    journal = SqlJournal(database)
    old = now() - timedelta(days=40)
    for run_id, status, started in (
        ("old-done", "succeeded", old),
        ("old-running", "running", old),
        ("new", "failed", now()),
    ):
        run = RunState(id=run_id, workflow_id="w", workflow_version=1, status=status, started_at=started)  # type: ignore[arg-type]
        await journal.run_started(run)
        await journal.save_step(
            run, StepEntry(name="trigger", connector="manual", operation="manual", started_at=started)
        )
    journal.close()
    assert prune_runs(database, now() - timedelta(days=30)) == 1
    remaining = [r["id"] for r in list_runs(database, RunFilter(workflow_id="w"))["items"]]
    assert remaining == ["new", "old-running"]


async def test_writes_that_share_a_commit_fail_alone(database: Database) -> None:
    journal = SqlJournal(database)
    run = RunState(id="real", workflow_id="w", workflow_version=1)
    await journal.run_started(run)
    orphan = RunState(id="missing", workflow_id="w", workflow_version=1)  # never started: no run row
    good = StepEntry(name="step-1", connector="c", operation="o")
    bad = StepEntry(name="step-1", connector="c", operation="o")
    results = await asyncio.gather(
        journal.save_step(run, good), journal.save_step(orphan, bad), return_exceptions=True
    )
    journal.close()
    assert results[0] is None
    assert isinstance(results[1], Exception)  # foreign keys are enforced on SQLite too
    assert [e.name for e in load_run(database, "real").steps] == ["step-1"]
