"""`make bench`: every benchmark in turn."""

from bench import nearby

nearby.main()
