"""`python -m leninsmoscow.cli`: the same as the `leninsmoscow` command."""

import sys

from leninsmoscow.cli import main

sys.exit(main())
