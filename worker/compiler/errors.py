"""Compile failures, located on the graph so the canvas can highlight the node."""

from __future__ import annotations

from backend.errors import DLStudioError, Problem


class CompileError(DLStudioError):
    status_code = 422
    code = "compile_error"

    def user_message(self) -> str:
        """One line for the run's status: the headline and every problem."""
        if not self.problems:
            return self.message
        return f"{self.message}: " + "; ".join(p.message for p in self.problems)


class WeightsUnavailable(CompileError):
    code = "weights_unavailable"


def node_error(node_id: str, message: str, *field: str) -> CompileError:
    loc: tuple[str, ...] = ("nodes", node_id, *field)
    return CompileError("The model graph could not be built", [Problem(loc, message)])
