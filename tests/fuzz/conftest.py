"""Fuzz suite plumbing: hypothesis profiles and a per-target tally of inputs.

Profiles, chosen by ``HYPOTHESIS_PROFILE``:

- ``ci`` (default): a few dozen derandomized examples per target, so the suite is reproducible and
  stays within a couple of minutes;
- ``fuzz``: at least 1,000 examples per target (``make fuzz``).

The profile is applied to every hypothesis test under ``tests/fuzz`` that has no ``@settings`` of
its own (tests elsewhere keep hypothesis' defaults). A test that needs its own settings should build
them on the profile: ``@settings(fuzz_profile(), ...)``.

Every call of a target's body (one generated input) is counted, and so is every call that raised
(inputs hypothesis discarded itself, having run out of data or failed an ``assume``, are not);
the terminal summary prints "target: N inputs, F failed" per target. Under pytest-xdist the
workers send their tallies to the controller."""

import functools
import os
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.errors import StopTest, UnsatisfiedAssumption

FUZZ_DIR = Path(__file__).parent

_COMMON = {
    "deadline": None,
    # Targets use the database fixtures; each input checks its own row counts.
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=25, derandomize=True, **_COMMON)
settings.register_profile("fuzz", max_examples=1000, **_COMMON)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")


def fuzz_profile():
    """The settings of the chosen profile (``ci`` unless ``HYPOTHESIS_PROFILE`` says otherwise)."""
    return settings.get_profile(PROFILE)


DISCARDED = (StopTest, UnsatisfiedAssumption)

# target -> Counter(inputs=..., failed=...)
TALLY: dict[str, Counter] = {}


# The target running now: a parametrized test is one function for all its cases, so the wrapper
# looks the case up at call time (set by pytest_runtest_setup) instead of binding the first one.
CURRENT = {"target": None}


def _counted(inner):
    @functools.wraps(inner)
    def run(*args, **kwargs):
        tally = TALLY.setdefault(CURRENT["target"], Counter(inputs=0, failed=0))
        try:
            result = inner(*args, **kwargs)
        except DISCARDED:  # hypothesis gave up on this input (ran out of data, assume() failed)
            raise
        except BaseException:
            tally["inputs"] += 1
            tally["failed"] += 1
            raise
        tally["inputs"] += 1
        return result

    return run


def _target(item):
    return item.nodeid.split("::", 1)[-1] if "::" in item.nodeid else item.nodeid


def pytest_collection_modifyitems(config, items):
    for item in items:
        test = getattr(item, "obj", None)
        path = Path(str(item.path))
        if not getattr(test, "is_hypothesis_test", False) or FUZZ_DIR not in path.parents:
            continue
        if not getattr(test, "_hypothesis_internal_settings_applied", False):
            settings(fuzz_profile())(test)
        hyp = test.hypothesis
        if not getattr(hyp.inner_test, "_fuzz_counted", False):
            hyp.inner_test = _counted(hyp.inner_test)
            hyp.inner_test._fuzz_counted = True


def pytest_runtest_setup(item):
    CURRENT["target"] = _target(item)


def pytest_runtest_teardown(item):
    """With ``FUZZ_TALLY_FILE`` set, each finished target appends its line there (a long ``make
    fuzz`` can be followed while it runs, also under xdist)."""
    name = os.environ.get("FUZZ_TALLY_FILE")
    counts = TALLY.get(_target(item))
    if name and counts and counts["inputs"]:
        with open(name, "a", encoding="utf-8") as handle:
            handle.write(f"{_target(item)}: {counts['inputs']} inputs, {counts['failed']} failed\n")


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the tally to the controller
        workeroutput["fuzz_tally"] = {k: dict(v) for k, v in TALLY.items()}


def pytest_testnodedown(node, error):
    for target, counts in getattr(node, "workeroutput", {}).get("fuzz_tally", {}).items():
        TALLY.setdefault(target, Counter(inputs=0, failed=0)).update(counts)


def pytest_terminal_summary(terminalreporter):
    if getattr(terminalreporter.config, "workerinput", None) is not None or not TALLY:
        return
    ran = {target: counts for target, counts in TALLY.items() if counts["inputs"]}
    if not ran:
        return
    terminalreporter.section(f"fuzz targets (profile {PROFILE})")
    width = max(len(target) for target in ran)
    for target in sorted(ran):
        counts = ran[target]
        terminalreporter.write_line(
            f"{target:<{width}}: {counts['inputs']} inputs, {counts['failed']} failed")
    total = sum(c["inputs"] for c in ran.values())
    failed = sum(c["failed"] for c in ran.values())
    terminalreporter.write_line(f"{'total':<{width}}: {total} inputs, {failed} failed")
