"""Progress pages, one module per job. Every view checks the member through `organisation.access` and scopes
every lookup to the member's region (another region's objects are 404); a reporter reaches only its own unit's
tasks and reports."""
