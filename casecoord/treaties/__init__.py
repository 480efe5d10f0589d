"""Treaty catalogue, legal-basis resolver and deadline engine: pure, no database, no Textual.

Import the submodules directly (``catalogue``, ``resolver``, ``languages``, ``deadlines``,
``calendars``, ``model``); nothing is imported here so that ``import casecoord.treaties`` stays
cheap and the catalogue is only read when first asked for.
"""
