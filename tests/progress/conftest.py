"""Progress fixtures on top of the shared personas: a frozen clock and the sample plan set up and handed out."""

from datetime import date

import pytest
import time_machine

from ecotarget.progress import services

from .helpers import at


@pytest.fixture
def clock():
    """Travel to a day (10:00 in Shanghai): `clock(date(2022, 5, 10))`; the clock does not tick."""
    travellers = []

    def travel(day: date, hour: int = 10):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(at(day, hour), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield travel
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def published(plan, personas, clock, settings, tmp_path):
    """The sample plan with default reporting (monthly, due the 25th), handed out on 1 March 2022."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ECOTARGET_WEBHOOK_BACKOFF_MS = 10
    clock(date(2022, 3, 1))
    services.plan_publish(plan=plan, user=personas.coordinator)
    return plan
