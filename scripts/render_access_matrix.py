#!/usr/bin/env python3
"""Write docs/access-matrix.md from social_incidents/tests/access_matrix_data.py (no Odoo needed).

scripts/render_access_matrix.py          # rewrite the page
scripts/render_access_matrix.py --check  # exit 1 when the page is out of date
"""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "social_incidents" / "tests" / "access_matrix_data.py"
PAGE = ROOT / "docs" / "access-matrix.md"


def render():
    spec = importlib.util.spec_from_file_location("access_matrix_data", DATA)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render_markdown()


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(
                f"{PAGE.relative_to(ROOT)} is out of date: run scripts/render_access_matrix.py",
                file=sys.stderr,
            )
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
