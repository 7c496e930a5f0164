"""Writes one reply workbook with openpyxl, as a contact point's Excel would
save it, for the tests of versions and decisions (tests/versions.rs).

    python3 reply.py SPEC_JSON

SPEC_JSON: {"path": ..., "rows": [[label, value], ...],
            "saved": "2010-09-01T10:00:00Z",   # the document's modified property
            "mtime": "2010-09-01"}             # the file's time (optional)

openpyxl stamps the modified property with the time of saving; it is set
afterwards in docProps/core.xml, as a later save by Excel would leave it.
"""

import json
import os
import re
import sys
import time
import zipfile

import openpyxl


def main():
    spec = json.loads(sys.argv[1])
    path = spec["path"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = spec.get("sheet", "Response")
    for row in spec["rows"]:
        ws.append(row)
    wb.save(path)
    saved = spec.get("saved", "2010-09-01T10:00:00Z")
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    lambda m: m.group(1) + saved + m.group(2),
                    text,
                )
                data = text.encode("utf-8")
            z.writestr(info, data)
    if "mtime" in spec:
        t = time.mktime(time.strptime(spec["mtime"], "%Y-%m-%d")) + 12 * 3600
        os.utime(path, (t, t))


if __name__ == "__main__":
    main()
