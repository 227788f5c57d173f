import sys

from kgan.cli import main

sys.exit(main())
