"""Whatever goes out comes back: write, verify, read back (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bundle_examples import MINIMAL_PDF, bytes_source, example_request_doc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecoord.bundle.identity import OfficerIdentity
from casecoord.bundle.verify import open_verified
from casecoord.bundle.writer import write_bundle
from casecoord.domain.text import BIDI_CONTROLS

# Control characters in a name are refused at both ends (casecoord.domain.text), so a
# round trip is only defined for names without them.
names = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters=BIDI_CONTROLS
    ),
    min_size=1,
    max_size=40,
)
contents = st.binary(max_size=4096)
prose = st.text(  # what may travel: no controls, surrogates or bidi overrides (refused on import)
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters=BIDI_CONTROLS
    ),
    min_size=1,
    max_size=300,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    attachments=st.lists(st.tuples(names, contents), max_size=4),
    facts=prose,
    family=prose,
    measures=st.lists(prose, min_size=1, max_size=3),
)
def test_written_bundle_reads_back_identically(
    officer: OfficerIdentity,
    attachments: list[tuple[str, bytes]],
    facts: str,
    family: str,
    measures: list[str],
) -> None:
    doc = example_request_doc()
    doc["request"]["facts"] = facts
    doc["request"]["measures"] = measures
    doc["request"]["persons"][0]["family_name"] = family[:2000]
    sources = [bytes_source(name, data) for name, data in attachments]
    with tempfile.TemporaryDirectory() as folder:
        info = write_bundle(Path(folder) / "b.asice", doc, MINIMAL_PDF, sources, officer)
        with open_verified(info.path, {officer.fingerprint: officer.name}) as verified:
            got_doc = dict(verified.request_doc)
            got = [b"".join(verified.open_attachment(a)) for a in verified.attachments]
    sent_attachments = got_doc.pop("attachments")
    doc.pop("attachments")
    assert got_doc == doc
    assert got == [data for _, data in attachments]
    assert [a["size"] for a in sent_attachments] == [len(d) for _, d in attachments]
    assert len({a["name"].casefold() for a in sent_attachments}) == len(attachments)
