#!/usr/bin/env python3
"""world.toml: every country an answer may name that
templates/countries.toml does not hold (the partners of part 14).

Sources, both under permissive licences:
- country names in English, French, German, Spanish, Italian, Dutch,
  Portuguese and Polish: CLDR (Unicode licence), through Babel 2.16.0;
- English adjectives (demonyms): countryinfo 1.0.1 (MIT).
Run: pip install --target /tmp/gen babel==2.16.0 countryinfo==1.0.1
     PYTHONPATH=/tmp/gen python3 tools/make_world.py > templates/world.toml
"""
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

from babel import Locale
import countryinfo

ROOT = Path(__file__).resolve().parent.parent
LANGS = ["en", "fr", "de", "es", "it", "nl", "pt", "pl"]
# Names CLDR does not give that answers write.
EXTRA = {
    "CV": ["Cabo Verde", "Cape Verde Islands"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "CD": ["Democratic Republic of the Congo", "Democratic Republic of Congo", "DR Congo",
           "DRC", "Congo-Kinshasa", "Congo Kinshasa", "RD Congo", "RDC"],
    "CG": ["Republic of the Congo", "Republic of Congo", "Congo-Brazzaville", "Congo Brazzaville"],
    "RU": ["Russian Federation"],
    "SY": ["Syrian Arab Republic"],
    "IR": ["Islamic Republic of Iran"],
    "VN": ["Viet Nam"],
    "LA": ["Lao PDR", "Lao People's Democratic Republic"],
    "KR": ["Republic of Korea"],
    "KP": ["Democratic People's Republic of Korea", "DPRK"],
    "MM": ["Burma"],
    "SZ": ["Swaziland"],
    "US": ["United States of America", "USA"],
    "AE": ["UAE"],
    "PS": ["Palestinian Territories", "Occupied Palestinian Territory", "West Bank", "Gaza"],
    "BY": ["Belorussia"],
    "TL": ["East Timor"],
}
# The name a compilation shows, where CLDR's is not the usual one.
NAME = {
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "CI": "Côte d'Ivoire",
    "MM": "Myanmar",
    "HK": "Hong Kong",
    "MO": "Macao",
    "PS": "Palestine",
}
ADJECTIVES = {"CV": ["Cape Verdean"]}
# Names that stand for more than one country: kept as written.
AMBIGUOUS = ["Congo", "Korea"]
# Regions, groupings and unknowns CLDR lists among territories.
SKIP = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AQ", "BV", "HM", "UM", "TF", "IO",
        "AC", "CP", "DG", "EA", "IC", "TA", "CQ",
        # Parts of a member state, and places whose names are ordinary words
        # ("reunion", "jersey", "man").
        "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF", "JE", "GG", "IM", "SJ", "AX"}


def fold(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", s).split())


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    members = tomllib.loads((ROOT / "templates/countries.toml").read_text())["country"]
    taken = {fold(w) for c in members for w in
             [c["name"], *c.get("aliases", []), *c.get("adjectives", [])]}
    member_iso = {c.get("iso2") for c in members}
    en = Locale("en").territories
    demonyms = {}
    import json
    data = Path(countryinfo.__file__).parent / "data"
    for f in sorted(data.glob("*.json")):
        info = json.loads(f.read_text())
        iso = (info.get("ISO") or {}).get("alpha2")
        for d in (info.get("demonym") or "").split(","):
            if iso and d.strip():
                demonyms.setdefault(d.strip(), set()).add(iso)
    out = ["# " + __doc__.strip().replace("\n", "\n# ").replace("# \n", "#\n"),
           "# Do not edit by hand: change tools/make_world.py and run it again.", ""]
    out.append("ambiguous = [" + ", ".join(q(a) for a in AMBIGUOUS) + "]\n")
    seen = set(taken) | {fold(a) for a in AMBIGUOUS}
    for iso in sorted(en):
        if not re.fullmatch(r"[A-Z]{2}", iso) or iso in SKIP or iso in member_iso:
            continue
        name = NAME.get(iso, en[iso].replace(" & ", " and "))
        names = []
        if name != en[iso]:
            seen.add(fold(name))
        for lang in LANGS:
            for n in [Locale(lang).territories.get(iso)] + (EXTRA.get(iso, []) if lang == "en" else []):
                if not n:
                    continue
                # "Congo - Kinshasa": both forms.
                forms = {n, n.replace(" - ", "-"), n.replace("’", "'"), n.replace(" & ", " and ")}
                for form in sorted(forms):
                    k = fold(form)
                    if len(k) <= 3 and form not in EXTRA.get(iso, []):
                        continue
                    if k in seen:
                        continue
                    seen.add(k)
                    if form != name:
                        names.append(form)
        adjectives = [d for d, isos in demonyms.items() if isos == {iso}
                      and fold(d) not in seen and len(fold(d)) > 3]
        adjectives += [a for a in ADJECTIVES.get(iso, []) if fold(a) not in seen]
        for d in adjectives:
            seen.add(fold(d))
        out.append("[[country]]")
        out.append(f"iso2 = {q(iso)}")
        out.append(f"name = {q(name)}")
        out.append("names = [" + ", ".join(q(n) for n in names) + "]")
        out.append("adjectives = [" + ", ".join(q(a) for a in sorted(adjectives)) + "]")
        out.append("")
    sys.stdout.write("\n".join(out))


main()
