"""Write a PNG of the first page of each kind of request document into screens/.

Run: ``python scripts/make_document_screens.py`` (needs poppler's ``pdftoppm``; a few seconds).
The documents are the fictional specimens of ``casecoord.bundle.specimens``, rendered by the same
code as an exported bundle's request.pdf, one per kind (MLA, extradition, provisional arrest, EAW
form, EIO Annex A) and per language of the demo's country pairs (English, Spanish, Dutch).
Prints the files written.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from casecoord.bundle.letter import render_letter
from casecoord.bundle.specimens import KINDS, specimen

OUT = Path(__file__).resolve().parent.parent / "screens"
LANGUAGES = ("en", "es", "nl")
RESOLUTION = "60"  # dots per inch: a readable A4 page at about 500 x 700 pixels
FINGERPRINT = ":".join(["5E", "0C", "A1", "77"] * 8)


def main() -> int:
    tool = shutil.which("pdftoppm")
    if tool is None:
        print("pdftoppm is missing: apt-get install poppler-utils", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in KINDS:
            for language in LANGUAGES:
                pdf = Path(tmp) / f"{kind}-{language}.pdf"
                pdf.write_bytes(
                    render_letter(
                        specimen(kind, language), language, signer_fingerprint=FINGERPRINT
                    )
                )
                stem = OUT / f"document-{kind}-{language}"
                subprocess.run(
                    [tool, "-png", "-r", RESOLUTION, "-f", "1", "-l", "1", "-singlefile"]
                    + [str(pdf), str(stem)],
                    check=True,
                    timeout=60,
                )
                print(f"{stem}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
