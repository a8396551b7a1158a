"""Memory between builds: one key scheme (:mod:`.keys`), one store (:mod:`.state`) and the ledger of what an
output folder holds (:mod:`.outputs`). Nothing here knows Pelican, the analysis or the site."""
