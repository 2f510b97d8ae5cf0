from socplan.app import main

raise SystemExit(main())
