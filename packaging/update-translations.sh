#!/bin/sh
# Refreshes the translation catalog mailclient/translations/mailclient.ts (source strings) from
# the tr() and QT_TRANSLATE_NOOP() calls of mailclient/ui, keeps translations already made in
# mailclient_<lang>.ts files in step, and compiles those to the mailclient_<lang>.qm files that
# mailclient.ui.i18n.install_translators loads.
set -eu
cd "$(dirname "$0")/.."
bin=${VENV_BIN:-.venv/bin}
dest=mailclient/translations
for tool in pyside6-lupdate pyside6-lrelease; do
    if [ ! -x "$bin/$tool" ]; then
        echo "$bin/$tool is missing: install PySide6 in the venv (or set VENV_BIN)" >&2
        exit 2
    fi
done
mkdir -p "$dest"
raw="$dest/.mailclient.raw.ts"  # beside the catalog: its locations are relative to it
trap 'rm -f "$raw"' EXIT
# lupdate puts a bare tr() (one outside a class) in an empty context, and one inside a class
# in the class's; our tr() always translates in the context "mailclient": merge them into it.
"$bin/pyside6-lupdate" -locations absolute -no-obsolete mailclient/ui/*.py -ts "$raw" >/dev/null
"$bin/python" - "$raw" "$dest/mailclient.ts" <<'EOF'
import sys
import xml.etree.ElementTree as ET

CONTEXT = "mailclient"
raw, out = sys.argv[1:]
tree = ET.parse(raw)
root = tree.getroot()
merged = ET.Element("context")
ET.SubElement(merged, "name").text = CONTEXT
seen: dict[tuple[str, str], ET.Element] = {}
for context in root.findall("context"):
    for message in context.findall("message"):
        key = (message.findtext("source") or "", message.findtext("comment") or "")
        if key in seen:  # the same text in two places: one entry, both locations
            first = seen[key]
            index = len(first.findall("location"))
            for location in message.findall("location"):
                first.insert(index, location)
                index += 1
            continue
        seen[key] = message
        merged.append(message)
    root.remove(context)
root.append(merged)
ET.indent(tree, "    ")
with open(out, "wb") as handle:
    handle.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
    tree.write(handle, encoding="utf-8")
    handle.write(b"\n")
print(f"{len(seen)} source texts in the context {CONTEXT!r}")
EOF
for ts in "$dest"/mailclient_*.ts; do
    [ -e "$ts" ] || continue
    # a language's catalog: take in new source texts, keep its translations, then compile it
    "$bin/pyside6-lupdate" -locations absolute -no-obsolete mailclient/ui/*.py -ts "$ts" >/dev/null
    "$bin/python" - "$ts" <<'EOF'
import sys
import xml.etree.ElementTree as ET

path = sys.argv[1]
tree = ET.parse(path)
root = tree.getroot()
contexts = root.findall("context")
target = next((c for c in contexts if c.findtext("name") == "mailclient"), None)
if target is None:
    target = ET.SubElement(root, "context")
    ET.SubElement(target, "name").text = "mailclient"
known = {(m.findtext("source"), m.findtext("comment")) for m in target.findall("message")}
for context in contexts:
    if context is target:
        continue
    for message in context.findall("message"):
        key = (message.findtext("source"), message.findtext("comment"))
        if key not in known:
            known.add(key)
            target.append(message)
    root.remove(context)
ET.indent(tree, "    ")
with open(path, "wb") as handle:
    handle.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
    tree.write(handle, encoding="utf-8")
    handle.write(b"\n")
EOF
    "$bin/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
done
echo "wrote $dest/mailclient.ts; translators copy it to mailclient_<lang>.ts (e.g. _de) and run"
echo "this script again to compile mailclient_<lang>.qm"
