"""samples/letters/render_letters.py, the script that writes the sample letter as PDF, DOCX and HTML,
loaded as a module: it is a script in the samples, not part of the package."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

RENDER_SCRIPT = Path(__file__).resolve().parents[1] / "samples" / "letters" / "render_letters.py"


def load_sample_renderer(module_name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, RENDER_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
