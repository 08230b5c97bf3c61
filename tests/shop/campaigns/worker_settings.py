"""Worker processes of the campaign chaos test: the worker tests' settings with a short
campaign lease, so the worker that carries on after a kill waits seconds, not a minute."""

from tests.workers.settings import *  # noqa: F403
from tests.workers.settings import CAMPAIGNS

CAMPAIGNS = {**CAMPAIGNS, "LEASE_SECONDS": 4}
