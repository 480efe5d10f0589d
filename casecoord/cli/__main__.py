"""``python -m casecoord.cli``: the same program as the ``casecoord`` console script."""

import sys

from casecoord.cli import main

sys.exit(main())
