"""Sandbox simulators of the providers Switchboard talks to (SPEC §7): Plivo and Slack."""
