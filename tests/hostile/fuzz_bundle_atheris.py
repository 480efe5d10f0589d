"""Coverage-guided fuzzing of bundle verification with atheris (optional; not a pytest test).

Hypothesis (test_hostile_bundles.py) mutates the control blindly and runs in the suite; atheris
follows coverage into the reader, the manifest parser, the CMS code and the schema, and can run
for hours. The contract is the same: ``verify_bundle`` returns a report for any bytes and never
raises; a report is ok only for bytes whose signed manifest, digests and request all check out.

    pip install atheris        # a wheel for CPython 3.11 on x86-64 Linux
    python tests/hostile/fuzz_bundle_atheris.py -max_total_time=300 tests/hostile/corpus

Give the corpus folder as the seed (libFuzzer reads every file in it, README included, which is
harmless); add a second, empty folder first to keep what it finds: ``… NEW_DIR tests/hostile/corpus``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["casecoord"]):
    from casecoord.bundle.identity import fingerprint
    from casecoord.bundle.verify import VerificationReport, verify_bundle

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.hostile.make_corpus import CONTROL, CORPUS, IDENTITY, load_keys  # noqa: E402

_KEYS = load_keys(IDENTITY)
_PINNED = {fingerprint(_KEYS["signer"].cert): "TEST signer"}
_DECRYPTION = (_KEYS["other"].cert, _KEYS["other"].key)
_CONTROL = (CORPUS / CONTROL).read_bytes()


def one_input(data: bytes) -> None:
    """Any exception escaping verify_bundle is a finding; so is an ok report for bytes other
    than the control's (the only file in reach whose signature the pinned key made)."""
    report = verify_bundle(data, _PINNED, decryption=_DECRYPTION)
    if not isinstance(report, VerificationReport):
        raise AssertionError("verify_bundle returned something other than a report")
    if report.ok and data != _CONTROL:
        _check_accepted(data, report)


def _check_accepted(data: bytes, report: VerificationReport) -> None:
    """A mutant may stay valid by touching only unsigned bytes (dates, the ZIP comment); it
    must then still carry exactly the control's signed content."""
    import hashlib
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as mutant, zipfile.ZipFile(io.BytesIO(_CONTROL)) as ok:
        for name in ok.namelist():
            if hashlib.sha256(mutant.read(name)).digest() != hashlib.sha256(ok.read(name)).digest():
                raise AssertionError(f"accepted with {name} changed: {report.lines()}")


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
