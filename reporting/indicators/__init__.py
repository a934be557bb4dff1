"""The built-in indicators, by area, each module holding the sections of the return
(`reporting.registry.GROUPS`) for its part of the work:

- `cases`: referrals and triage; timeliness of first contact; caseload; cases closed and
  risk; digital and cyber stalking.
- `casework`: risk management and safety planning; one-to-one and group support;
  police, courts and orders; signposting and handovers; awareness raising, compliments
  and complaints.
- `clients`: outcomes for clients; equality and diversity of the clients supported.

`common` holds the period rules and the ways of counting they share. Importing this
package registers every indicator; the reporting app does so once, when Django starts
(`ReportingConfig.ready`). The registry knows nothing of these modules: each imports the
registry, never the other way round."""

from . import cases, casework, clients  # noqa: F401 - imported for their @indicator registrations
