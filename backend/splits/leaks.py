"""A split that leaks does not start a run unless the user says why it should."""

from __future__ import annotations

from backend.errors import InvalidInput, Problem
from backend.splits.schemas import Leak, LeakageAudit

WHAT = {
    "group": "value(s) of '{column}' fall in more than one part",
    "source_recording": "recording(s) ('{column}') have segments in more than one part",
    "exact_duplicate": "pair(s) of identical images sit in different parts",
    "near_duplicate": "pair(s) of near-identical images sit in different parts",
}


class SplitLeaks(InvalidInput):
    code = "split_leaks"


def describe(leak: Leak) -> str:
    text = f"{leak.count} " + WHAT[leak.kind].format(column=leak.column)
    example = leak.examples[0] if leak.examples else None
    if example and "value" in example:
        parts = ", ".join(f"{part} {n}" for part, n in example["parts"].items())
        text += f", e.g. '{example['value']}' ({parts})"
    elif example and "items" in example:
        pair = " and ".join(f"{i['path']} ({i['part']})" for i in example["items"])
        text += f", e.g. {pair}"
    return text


def refuse_unless_overridden(audit: LeakageAudit, override: str | None) -> None:
    if audit.clean or override:
        return
    problems = [
        Problem(("body", "split", "leaks", leak.kind), describe(leak)) for leak in audit.leaks
    ]
    kinds = ", ".join(f"{leak.kind} ({leak.count})" for leak in audit.leaks)
    raise SplitLeaks(
        f"The split leaks: {kinds}. Group the split by the leaking column (group_by), or start "
        "anyway by sending leakage_override with your reason; it is recorded on the run.",
        problems,
    )
