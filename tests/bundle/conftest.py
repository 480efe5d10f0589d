"""Fixtures for the bundle layer: identities are costly (RSA-3072), so make them once a session."""

from __future__ import annotations

import pytest

from casecoord.bundle.identity import OfficerIdentity, generate_identity


@pytest.fixture(scope="session")
def officer() -> OfficerIdentity:
    return generate_identity("Ayşe Yılmaz", "Politie Nederland", "NL", "ayse.yilmaz@politie.nl")


@pytest.fixture(scope="session")
def counterpart() -> OfficerIdentity:
    return generate_identity("José Núñez", "Fiscalía General de la Nación", "CO")


@pytest.fixture(scope="session")
def stranger() -> OfficerIdentity:
    return generate_identity("Łukasz Wiśniewski", "Unknown", "PL")
