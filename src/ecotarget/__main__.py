import sys

from ecotarget.cli import main

sys.exit(main())
