"""How many status evaluations one core does per second.

Run it as a script (`make bench`, or `python bench/bench_engine.py [--seconds S]`). It
uses the project's settings when they exist (DJANGO_SETTINGS_MODULE, default
config.settings) and otherwise a bare i18n-enabled configuration, so it also runs on
a checkout without a configured environment.

The mix is the dashboard's: applications with interviews and follow-ups, some still in
the applied phase, some closed or likely closed, each evaluated on dates a few weeks
around its events, so every branch of the engine and of its date formatting is
exercised. The headline figure is measured as a page sees the engine, with the
language active; the line above it gives the figure with none active. Each figure is
the fastest of many short rounds, so that a busy machine lowers it as little as it can.
"""

import argparse
import importlib.util
import os
import secrets
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> str:
    import django
    from django.conf import settings

    module = os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        found = importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        found = False
    if found:
        # The bench signs nothing and serves nothing: a throwaway key is enough for
        # settings that (rightly) refuse to start without one.
        # A throwaway key strong enough for the production checks; plain HTTP on loopback.
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        os.environ.setdefault("HEARBACK_PLAIN_HTTP", "on")
        django.setup()
        return module
    del os.environ["DJANGO_SETTINGS_MODULE"]
    settings.configure(USE_I18N=True)
    django.setup()
    return "settings.configure(USE_I18N=True)"


def workload():
    """(facts, as_of) pairs: a realistic mix of application shapes and dates."""
    from applications.status import (
        CHECK_IN,
        NEXT_ROUND,
        REJECTED,
        RESPONSE,
        THANK_YOU,
        ApplicationFacts,
        FollowUpFacts,
        InterviewFacts,
    )

    day = date(2026, 11, 2)
    shapes = []
    for offset in range(0, 28, 3):
        start = day + timedelta(offset)

        def on(n, start=start):
            return start + timedelta(n)

        # The reference shape: two interviews and three follow-ups, given out of order.
        shapes.append(
            ApplicationFacts(
                applied_on=start,
                interviews=(
                    InterviewFacts(
                        on(20), decision_from=on(24), decision_by=on(27), contacts=(2, 3)
                    ),
                    InterviewFacts(on(9), decision_by=on(13), contacts=(1,)),
                ),
                follow_ups=(
                    FollowUpFacts(on(21), THANK_YOU, contact=2),
                    FollowUpFacts(on(9), THANK_YOU, contact=1),
                    FollowUpFacts(on(14), RESPONSE, outcome=NEXT_ROUND),
                ),
            )
        )
        shapes.append(
            ApplicationFacts(
                applied_on=start,
                interviews=(InterviewFacts(on(6)),),
                follow_ups=(
                    FollowUpFacts(on(13), CHECK_IN),
                    FollowUpFacts(on(6), THANK_YOU),
                    FollowUpFacts(on(21), CHECK_IN),
                ),
            )
        )
        shapes.append(ApplicationFacts(applied_on=start))
        shapes.append(
            ApplicationFacts(
                applied_on=start,
                interviews=(InterviewFacts(on(5), decision_by=on(12)),),
                follow_ups=(
                    FollowUpFacts(on(15), CHECK_IN),
                    FollowUpFacts(on(16), RESPONSE, new_decision_by=on(30)),
                ),
                snoozed_until=on(35),
            )
        )
        shapes.append(
            ApplicationFacts(
                applied_on=start,
                interviews=(InterviewFacts(on(4)),),
                follow_ups=(FollowUpFacts(on(11), RESPONSE, outcome=REJECTED),),
            )
        )
    dates = [day + timedelta(n) for n in range(0, 70, 2)]
    return [(facts, as_of) for facts in shapes for as_of in dates]


def measure(pairs, seconds: float, *, rules=None, words=False) -> tuple[float, float]:
    """Evaluations per second over many short rounds within `seconds`: (best, median).

    Like timeit, the fastest round is the headline: the machine can only make a round
    slower (another process, a hypervisor's steal), never faster. The median shows how
    much a busy machine took away. With `words`, each answer's reason is also written
    out, as a page showing it does.
    """
    from applications.status import DEFAULT_RULES, evaluate

    rules = rules or DEFAULT_RULES
    rates = []
    deadline = time.perf_counter() + seconds
    while True:
        started = time.perf_counter()
        for facts, as_of in pairs:
            status = evaluate(facts, rules, as_of)
            if words:
                status.reason  # noqa: B018 - written out, as a page does
        finished = time.perf_counter()
        rates.append(len(pairs) / (finished - started))
        if finished >= deadline:
            return max(rates), statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=3.0, help="total time to measure (default 3)"
    )
    arguments = parser.parse_args()

    source = setup_django()
    from django.conf import settings
    from django.utils import translation

    pairs = workload()
    reference = [(facts, as_of) for facts, as_of in pairs if len(facts.interviews) == 2]
    seconds = arguments.seconds
    # Pages run with the visitor's language active (LocaleMiddleware); commands such as
    # the digest or export may run with none, where each translation lookup costs more.
    from applications.status import Rules

    # Holidays on: the public holidays of the United States count as days off (rule 8).
    holidays_on = Rules(holiday_country="US")
    with translation.override(settings.LANGUAGE_CODE):
        measure(pairs, 0.2)  # warm the translation caches and the interpreter
        rate = measure(pairs, seconds, rules=holidays_on)
        plain_rate = measure(pairs, seconds / 3)
        words_rate = measure(pairs, seconds / 3, rules=holidays_on, words=True)
        reference_rate = measure(reference, seconds / 3)
    translation.deactivate()
    inactive_rate = measure(pairs, seconds / 3, words=True)

    def line(label, rates):
        best, median = rates
        return f"  {label}: {best:,.0f} evaluations/s (median round {median:,.0f})"

    print(f"settings: {source}; {len(pairs)} (application, as_of) pairs")
    print(line("2 interviews + 3 follow-ups alone", reference_rate))
    print(line("the mix, no holidays", plain_rate))
    print(line("the mix, holidays on, each reason written out too", words_rate))
    print(line("the same with no language active (outside a request)", inactive_rate))
    print(line("the mix, holidays on", rate))
    print(f"engine: {rate[0]:,.0f} evaluations/s with holidays on (one core)")


if __name__ == "__main__":
    main()
