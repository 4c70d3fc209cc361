"""Print the project's requirements (dependencies plus the given extras) from pyproject.toml.

The Makefile installs these into .venv with `pip install -r`, rather than `pip install -e .`:
the project is run from its source tree, not installed, and this leaves no build/ or
*.egg-info behind in the work tree.
"""

import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
lines = list(project["dependencies"])
for extra in sys.argv[1:]:
    lines += project["optional-dependencies"][extra]
print("\n".join(lines))
