"""The model card as Markdown, for people; model_card.json holds the same facts for tools."""

from __future__ import annotations

from typing import Any


def render(card: dict[str, Any], fmt: str) -> str:
    model, graph, dataset = card["model"], card["graph"], card["dataset"]
    lines = [
        f"# Model card: {model['name']}",
        "",
        f"Model version {model['id']} (the run id), created {model['created']}; "
        f"this bundle: {fmt}.",
        f"Input: {model['input']['height']}x{model['input']['width']}x"
        f"{model['input']['channels']} raw 0-255 pixels (see preprocessing.json). "
        f"Classes, in output order: {', '.join(model['classes'])}.",
        "",
        "## Metrics",
        *_metrics(card["metrics"]),
        "",
        "## Provenance",
        f"- Graph: {graph['name']} v{graph['version']} (content hash `{graph['content_hash']}`)",
        f"- Dataset: {dataset['name']}, {dataset['num_items']} items (content hash "
        f"`{dataset['content_hash']}`)" + (", spectrograms from audio: recipe.json"
                                            if dataset["from_audio"] else ""),
        f"- Parameters: {model['num_params']}",
        *_split(card["split"]),
        *_leakage(card["leakage_audit"]),
        "",
        "## Hyperparameters",
        *(f"- {key}: {value}" for key, value in card["hyperparameters"].items()),
        "",
        "## Software",
        *(f"- {key}: {value}" for key, value in card["software"].items()),
        "",
    ]
    return "\n".join(lines)


def _metrics(metrics: dict[str, Any]) -> list[str]:
    if metrics["source"] != "evaluation.json":
        values = metrics["values"]
        if not values:
            return ["No held-out metrics: the run had no test part and no evaluation."]
        return [f"- {key}: {value:.4g}" for key, value in sorted(values.items())] + [
            f"({metrics['note']})"]
    lines = [f"On the {metrics['split']} part ({metrics['n']} items, {metrics['checkpoint']} "
             f"checkpoint{_epoch(metrics.get('best_epoch'))}):"]
    for key in ("accuracy", "balanced_accuracy"):
        value = metrics.get(key) or {}
        if "value" in value:
            low, high = value.get("ci95") or (None, None)
            interval = f" (95% CI {low:.3f}-{high:.3f})" if low is not None else ""
            lines.append(f"- {key.replace('_', ' ')}: {value['value']:.3f}{interval}")
    if metrics.get("macro_f1") is not None:
        lines.append(f"- macro F1: {metrics['macro_f1']:.3f}")
    for name, row in (metrics.get("per_class") or {}).items():
        lines.append(f"  - {name}: precision {row['precision']:.3f}, recall {row['recall']:.3f}"
                     f", F1 {row['f1']:.3f}, support {row['support']}")
    return lines


def _epoch(best: Any) -> str:
    return f", epoch {best}" if best is not None else ""


def _split(split: dict[str, Any]) -> list[str]:
    parts = split.get("parts") or {}
    counts = ", ".join(f"{name} {part.get('count', 0)}" for name, part in parts.items())
    lines = [f"- Split: {counts or 'not recorded'}" + (
        f" (spec {split['spec']})" if split.get("spec") else "")]
    lines += [f"  - warning: {w}" for w in split.get("warnings") or []]
    return lines


def _leakage(audit: dict[str, Any]) -> list[str]:
    report = audit.get("report")
    if report is None:
        return ["- Leakage audit: none recorded (run from before audits)"]
    if report.get("clean"):
        checked = ", ".join(report.get("checked") or [])
        return [f"- Leakage audit: clean (checked: {checked})"]
    leaks = "; ".join(f"{leak['count']} {leak['kind']}" for leak in report.get("leaks", []))
    override = audit.get("override")
    return [f"- Leakage audit: LEAKS FOUND ({leaks})"
            + (f"; started anyway, reason given: {override}" if override else "")]
