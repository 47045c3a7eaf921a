#!/usr/bin/env bash
# The date-sensitive tiers with the clock set to days that catch a test choosing its dates badly:
#   2026-12-21  three days before julafton: weekly series cross julafton, nyårsafton, nyårsdagen
#   2027-03-26  långfredagen; påskdagen, two days on, is also the night the clocks go forward
#   2027-06-18  the week before midsommarafton
#   2027-12-30  the turn of the year: "this year" and "next year" change within days
# libfaketime (Debian package faketime) shifts the clock of pytest and, through LD_PRELOAD, of the
# uvicorn server and the Chromium it starts; from the given instant (10:00 in Stockholm) the clock
# runs on. PostgreSQL's own clock is not shifted: the code never asks it for the time.
#
# usage: tests/any_day.sh                          the browser and API tiers and crash safety
#        tests/any_day.sh tests/browser -k booking  any pytest arguments instead
#        DATES="2027-03-26" AT=23:30 tests/any_day.sh tests/api/test_bad_input.py
set -uo pipefail
cd "$(dirname "$0")/.."

command -v faketime >/dev/null || { echo "faketime is not installed (apt-get install faketime)" >&2; exit 2; }
DATES=${DATES:-"2026-12-21 2027-03-26 2027-06-18 2027-12-30"}
AT=${AT:-"10:00"}
PYTEST=${PYTEST:-.venv/bin/pytest}
[ $# -gt 0 ] || set -- tests/browser tests/api tests/integration/test_crash_safety.py
export BOOKING_REQUIRE_BROWSER=${BOOKING_REQUIRE_BROWSER:-1}
export BOOKING_REQUIRE_POSTGRES=${BOOKING_REQUIRE_POSTGRES:-1}
export BOOKING_TEST_POSTGRES_URL=${BOOKING_TEST_POSTGRES_URL:-postgresql+asyncpg://postgres@127.0.0.1:5432/postgres}
unset FAKETIME_DONT_FAKE_MONOTONIC  # Chromium crawls when only the wall clock is shifted
trap 'echo "interrupted" >&2; exit 130' INT TERM  # pytest survives Ctrl-C with exit 2: stop the loop too

summary=()
status=0
for day in $DATES; do
    # An offset rather than an absolute time, so the instant is Stockholm's whatever TZ says.
    target=$(TZ=Europe/Stockholm date -d "$day $AT" +%s) || exit 2
    offset=$((target - $(date +%s)))
    echo "== $day $AT Europe/Stockholm: faketime -f +${offset}s $PYTEST -q -p no:cacheprovider $*"
    log=$(mktemp)
    faketime -f "+${offset}s" "$PYTEST" -q -p no:cacheprovider "$@" 2>&1 | tee "$log"
    result=${PIPESTATUS[0]}
    counts=$(grep -E '^=*.*[0-9]+ (passed|failed|error)' "$log" | tail -1 | sed 's/=//g; s/^ *//; s/ *$//')
    rm -f "$log"
    summary+=("$day: ${counts:-no result} (exit $result)")
    [ "$result" -eq 0 ] || status=1
done
echo
printf '%s\n' "${summary[@]}"
exit $status
