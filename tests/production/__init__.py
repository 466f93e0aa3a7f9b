"""The production-topology fault suite: every process of the Procfile, real faults."""
