"""``python -m pipelines.coding.petrarch``: the command line in ``command``."""

import sys

from pipelines.coding.petrarch.command import main

sys.exit(main())
