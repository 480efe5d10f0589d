"""Signed request bundles: ASiC-E containers, CMS signatures and encryption, the request letter.

No database, no Textual: services hand in a request document, a letter and attachment streams,
and get back files and reports. Modules, one job each:

- ``identity``: the officer's signing (EC/RSA) and encryption (RSA) keys and certificates;
- ``cms``: CAdES-B-B detached signatures, their verification, envelopes (AES-256-GCM);
- ``document``: request.json validation and canonical bytes;
- ``manifest``: the ASiCManifest listing every data object's SHA-256;
- ``names``: safe attachment names when writing, refusal of dangerous names when reading;
- ``writer``: streaming, atomic bundle export;
- ``reader``: defensive ZIP access with zip-bomb limits;
- ``verify``: the verification report and the verified extractor used by import;
- ``letter``: the formal request letter (PDF, English/Spanish).

Nothing is imported here so that ``import casecoord.bundle`` stays cheap for the CLI's cold start.
"""
