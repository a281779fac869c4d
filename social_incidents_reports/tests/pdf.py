import os
import subprocess
import tempfile


def pdf_text(pdf):
    """The text of a PDF as pdftotext (poppler-utils) extracts it."""
    assert pdf.startswith(b"%PDF"), f"not a PDF: {pdf[:60]!r}"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf)
        result = subprocess.run(
            ["pdftotext", path, "-"], capture_output=True, check=True, timeout=60
        )
    return " ".join(result.stdout.decode().split())
