#!/usr/bin/env bash
# Re-extract every tr("...") string into posapp/locale/posapp.pot and merge it into each catalogue.
# New strings arrive untranslated in the .po files; translate them there (empty msgstr = English).
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
"$PYBABEL" extract -k tr --no-location --sort-output --project posapp \
    -o posapp/locale/posapp.pot posapp printing sync ui
for po in posapp/locale/*/LC_MESSAGES/posapp.po; do
    locale="$(basename "$(dirname "$(dirname "$po")")")"
    "$PYBABEL" update --no-fuzzy-matching -l "$locale" -i posapp/locale/posapp.pot -o "$po"
done
