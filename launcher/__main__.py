"""``python -m launcher``: the same as the ``pseudocode-translator`` command."""

import sys

from launcher import main

sys.exit(main())
