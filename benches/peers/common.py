"""What both peers share: finding the answers in a sheet's rows, and the two
compilations' content. Written as a coordinator would write it for the
layouts of the synthetic archive (benches/run.sh, examples/make-archive.rs):
labelled rows, one numbered "Response" cell, a table of countries.

The content must equal ahq's (benches/peers/check.py compares them), so the
fixed texts are read from ahq's own templates/."""

import os
import re
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "..", "..", "templates")
NETWORK, CONTACT_POINT = "EMN", "NCP"


def template(name):
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as f:
        text = f.read().strip()
    return text.replace("{network}", NETWORK).replace("{contact_point}", CONTACT_POINT)


STATEMENT = template("statement.txt")
DISCLAIMER = template("disclaimer.txt")

COUNTRIES = {
    "Austria": "AT", "Belgium": "BE", "Bulgaria": "BG", "Croatia": "HR", "Cyprus": "CY",
    "Czech Republic": "CZ", "Estonia": "EE", "Finland": "FI", "France": "FR",
    "Germany": "DE", "Greece": "EL", "Hungary": "HU", "Ireland": "IE", "Italy": "IT",
    "Latvia": "LV", "Lithuania": "LT", "Luxembourg": "LU", "Malta": "MT",
    "Netherlands": "NL", "Poland": "PL", "Portugal": "PT", "Romania": "RO",
    "Slovak Republic": "SK", "Slovenia": "SI", "Spain": "ES", "Sweden": "SE",
}
QUESTIONS = ["1", "2", "3", "4"]
NUMBERED = re.compile(r"(?:^|\n)([1-4])\.\s")


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN: pandas' empty cell
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def records(rows):
    """The responses in a sheet's rows (lists of cell values)."""
    rows = [[cell_text(v) for v in row] for row in rows]
    for i, row in enumerate(rows):
        if len(row) > 2 and row[0] == "Country" and row[1] == "Wider Dissemination":
            cols = {h: c for c, h in enumerate(row) if h in QUESTIONS}
            out = []
            for r in rows[i + 1:]:
                if r and r[0]:
                    out.append({
                        "country": r[0],
                        "flag": r[1],
                        "answers": {q: r[c] if c < len(r) else "" for q, c in cols.items()},
                    })
            return out
    rec = {"country": None, "flag": "Yes", "answers": {}}
    for row in rows:
        if len(row) < 2:
            continue
        label, value = row[0], row[1]
        if label == "Country":
            rec["country"] = value
        elif label.lower() == "wider dissemination":
            rec["flag"] = value or "Yes"
        elif label in QUESTIONS:
            rec["answers"][label] = value
        elif label == "Response":
            parts = NUMBERED.split(value)
            # ['', '1', text, '2', text, ...]
            for q, text in zip(parts[1::2], parts[2::2]):
                rec["answers"][q] = text.strip()
    return [rec] if rec["country"] else []


def compile_rows(recs, wider):
    """Rows of the Responses sheet: country, flag, one cell per question."""
    rows = []
    for rec in sorted(recs, key=lambda r: r["country"]):
        restricted = rec["flag"] != "Yes"
        flag = "No" if restricted else "Yes"
        cells = [STATEMENT if (wider and restricted) else rec["answers"].get(q, "") for q in QUESTIONS]
        rows.append([rec["country"], flag] + cells)
    return rows


def query_info(qdir):
    with open(os.path.join(qdir, "query.toml"), "rb") as f:
        q = tomllib.load(f)
    return q


def cover_lines(q, recs, wider):
    names = sorted(r["country"] for r in recs)
    return [
        f"Ad-Hoc Query on {q['title']}",
        f"Requested by Belgium {NETWORK} {CONTACT_POINT} on {q['requested_on']}",
        f"Compilation produced on {q.get('compiled_on', '')}",
        "For wider dissemination" if wider else f"For {NETWORK} members only",
        f"Responses from {', '.join(names)} ({len(names)} in Total)",
        DISCLAIMER,
    ] + [f"{x['id']}. {x['text']}" for x in q["questions"]]


def summary_rows(recs, wider):
    restricted = sorted(r["country"] for r in recs if r["flag"] != "Yes")
    rows = [["Received", len(recs)], ["Not for wider dissemination", len(restricted), ", ".join(restricted)]]
    for qid in QUESTIONS:
        answered = sorted(
            r["country"] for r in recs
            if r["answers"].get(qid) and not (wider and r["flag"] != "Yes")
        )
        rows.append([f"Question {qid} answered", len(answered), ", ".join(answered)])
    return rows


def queries(archive):
    return sorted(
        os.path.join(archive, d) for d in os.listdir(archive)
        if os.path.isfile(os.path.join(archive, d, "query.toml"))
    )


def main(read_rows, write_workbook):
    """Compiles every query of ARCHIVE into OUT/<query>/compilation-{full,wider}.xlsx."""
    import argparse
    p = argparse.ArgumentParser(description="Compiles every query of ARCHIVE into OUT.")
    p.add_argument("archive", help="a folder of query folders (examples/make-archive)")
    p.add_argument("out", help="the folder to write, one folder per query")
    args = p.parse_args()
    archive, out = args.archive, args.out
    for qdir in queries(archive):
        q = query_info(qdir)
        recs = []
        rdir = os.path.join(qdir, "responses")
        for name in sorted(os.listdir(rdir)):
            recs.extend(records(read_rows(os.path.join(rdir, name))))
        target = os.path.join(out, os.path.basename(qdir))
        os.makedirs(target, exist_ok=True)
        for wider in (False, True):
            write_workbook(
                os.path.join(target, f"compilation-{'wider' if wider else 'full'}.xlsx"),
                cover_lines(q, recs, wider),
                compile_rows(recs, wider),
                summary_rows(recs, wider),
            )
