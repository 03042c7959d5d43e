from setlist.cli import main

raise SystemExit(main())
