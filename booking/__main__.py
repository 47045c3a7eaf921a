"""`python -m booking ...` is the `booking` command."""

from booking.cli import main

raise SystemExit(main())
