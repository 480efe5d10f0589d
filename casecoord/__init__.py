"""casecoord: offline, encrypted coordination of cross-border criminal cases.

The package is layered (see docs/ARCHITECTURE.md): ``domain`` < ``vault`` < ``treaties``/``bundle`` <
``services`` < ``tui`` < ``cli``. Nothing heavy is imported here so that ``casecoord --help``
starts fast and no engine is built at import time.
"""

__version__ = "0.1.0"
