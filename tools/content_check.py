"""Command line for volunteers and CI: check content/ and print every problem as file:line.

Run from the repository root, either way:
    python tools/content_check.py [content_dir] [--today YYYY-MM-DD]
    python -m tools.content_check [content_dir] [--today YYYY-MM-DD]
content_dir defaults to $BOT_CONTENT_DIR, else "content". Exit status: 0 clean or warnings
only, 1 errors found, 2 no such folder. The logic lives in core.content.check.main.
"""

from __future__ import annotations

import sys
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent
if str(_REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(_REPO_ROOT))

from core.content.check import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
