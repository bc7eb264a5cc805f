"""GraphSpec -> Keras model. ``compile_graph`` is the entry point."""

from worker.compiler.compile import check_output, compile_graph
from worker.compiler.errors import CompileError, WeightsUnavailable

__all__ = ["CompileError", "WeightsUnavailable", "check_output", "compile_graph"]
