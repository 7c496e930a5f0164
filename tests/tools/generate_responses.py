#!/usr/bin/env python3
"""Compose response files from independent random choices, each written by a
real writer, with the truth about each: for tests/generator.rs.

Usage: generate_responses.py SEED N OUTDIR [--libreoffice]

Writes N responses to the query of tests/support/mod.rs (`QUERY`: questions
"1" to "4", requested by Austria on 26 July 2010) into OUTDIR:

    OUTDIR/qNN/responses/FILE   the files, in batches: one query folder per
                                batch, no country twice in a batch (the test
                                writes each folder's query.toml)
    OUTDIR/convert/FMT/gNNNN.xlsx
                                with --libreoffice only: workbooks for the
                                test to convert to FMT (ods, xls) with
                                LibreOffice, in one call per format, and to
                                move to their `convert.dest`
    OUTDIR/truth.json           a list, one object per response (see `truth`)

Every choice is drawn from `random.Random(SEED)` alone, so the same SEED and
N give the same files (the writers' own timestamps are fixed too) and the
same truth. Each choice a response was made with is in its truth's
`choices`, so a failure can be traced to the choices that lead to it.

The truth of a response:
    country      the EU code it must be compiled under
    flag         "yes" or "no": "no" when its flag says No, and also when
                 restriction wording stands anywhere in it or around it
                 (a cell, a comment, a page header, a document property, its
                 file name, its archive): such a response must not reach a
                 wider output whatever its flag says
    contradiction  restriction wording against a flag of Yes or a blank one
                 (the tool may stop such a file with an error, by design)
    answers      question id -> the text it must be compiled with (compared
                 with runs of white space, line breaks included, as one space)
    markers      strings that occur in this response's answers and nowhere
                 else ("zq7k-0017-q3"): none may be in a wider output when
                 flag is "no"
"""

import csv
import datetime
import io
import json
import os
import random
import re
import sys
import zipfile

import docx
import openpyxl
from openpyxl.comments import Comment

FIXED_TIME = datetime.datetime(2010, 8, 30, 9, 0, 0)

QUESTIONS = [
    ("1", "Do you currently or in the past have/had a Migration Partnership with a third country?"),
    ("2", "If yes which third countries are/were involved?"),
    ("3", "Which areas of focus are/were covered by the Migration Partnership?"),
    ("4", "What are/were your experiences (positive and negative) with Migration Partnerships?"),
]

# The network on 26 July 2010 (EU without Denmark, before Croatia; the
# United Kingdom; Norway): code, English name, ISO 3166 alpha-2, alpha-3,
# the name in its own language, the English adjective.
COUNTRIES = [
    ("AT", "Austria", "AT", "AUT", "Österreich", "Austrian"),
    ("BE", "Belgium", "BE", "BEL", "België", "Belgian"),
    ("BG", "Bulgaria", "BG", "BGR", "България", "Bulgarian"),
    ("CY", "Cyprus", "CY", "CYP", "Κύπρος", "Cypriot"),
    ("CZ", "Czech Republic", "CZ", "CZE", "Česká republika", "Czech"),
    ("DE", "Germany", "DE", "DEU", "Deutschland", "German"),
    ("EE", "Estonia", "EE", "EST", "Eesti", "Estonian"),
    ("EL", "Greece", "GR", "GRC", "Ελλάδα", "Greek"),
    ("ES", "Spain", "ES", "ESP", "España", "Spanish"),
    ("FI", "Finland", "FI", "FIN", "Suomi", "Finnish"),
    ("FR", "France", "FR", "FRA", "République française", "French"),
    ("HU", "Hungary", "HU", "HUN", "Magyarország", "Hungarian"),
    ("IE", "Ireland", "IE", "IRL", "Éire", "Irish"),
    ("IT", "Italy", "IT", "ITA", "Italia", "Italian"),
    ("LT", "Lithuania", "LT", "LTU", "Lietuva", "Lithuanian"),
    ("LU", "Luxembourg", "LU", "LUX", "Lëtzebuerg", "Luxembourgish"),
    ("LV", "Latvia", "LV", "LVA", "Latvija", "Latvian"),
    ("MT", "Malta", "MT", "MLT", "Repubblika ta' Malta", "Maltese"),
    ("NL", "Netherlands", "NL", "NLD", "Nederland", "Dutch"),
    ("PL", "Poland", "PL", "POL", "Polska", "Polish"),
    ("PT", "Portugal", "PT", "PRT", "República Portuguesa", "Portuguese"),
    ("RO", "Romania", "RO", "ROU", "România", "Romanian"),
    ("SE", "Sweden", "SE", "SWE", "Sverige", "Swedish"),
    ("SI", "Slovenia", "SI", "SVN", "Slovenija", "Slovenian"),
    ("SK", "Slovak Republic", "SK", "SVK", "Slovensko", "Slovak"),
    ("UK", "United Kingdom", "GB", "GBR", "Great Britain", "British"),
    ("NO", "Norway", "NO", "NOR", "Norge", "Norwegian"),
]

# Labels of the country and of the flag, by language. The English, French
# and German flag labels and the English country labels are in
# templates/labels.toml; the others may not be.
LABELS = {
    "en": (["Country", "Member State", "Country:"], ["Wider Dissemination?", "Wider dissemination", "For wider dissemination (Yes/No)"]),
    "en-long": (["Responding country", "Country NCP"], ["May this response be disseminated further?", "Can this reply be used for wider dissemination?"]),
    "fr": (["Pays", "État membre"], ["Diffusion élargie ?", "Diffusion élargie"]),
    "de": (["Land", "Mitgliedstaat"], ["Weitergabe?", "Weitere Verbreitung"]),
    "es": (["País", "Estado miembro"], ["¿Difusión más amplia?"]),
    "it": (["Paese", "Stato membro"], ["Diffusione più ampia?"]),
    "nl": (["Land", "Lidstaat"], ["Verdere verspreiding?"]),
    "pl": (["Państwo", "Państwo członkowskie"], ["Szersze rozpowszechnianie?"]),
    "sv": (["Land", "Medlemsstat"], ["Vidare spridning?"]),
    "fi": (["Maa", "Jäsenvaltio"], ["Laajempi levitys?"]),
    "hu": (["Ország", "Tagállam"], ["Szélesebb körű terjesztés?"]),
}

# Yes and No by language, for the flag.
FLAG_WORDS = {
    "en": ("Yes", "No"),
    "en-caps": ("YES", "NO"),
    "fr": ("Oui", "Non"),
    "de": ("Ja", "Nein"),
    "cs": ("Ano", "Ne"),
    "es": ("Sí", "No"),
    "sv": ("Ja", "Nej"),
    "pl": ("Tak", "Nie"),
    "fi": ("Kyllä", "Ei"),
    "hu": ("Igen", "Nem"),
    "nl": ("Ja", "Nee"),
}

QUESTION_LABELS = ["1", "1.", "Q1", "Question 1", "1. text", "text", "a)", "Frage 1", "1 | text"]

RESTRICTION_TEXTS = [
    "RESTRICTED – not for wider dissemination",
    "Confidential – do not disseminate further",
    "Not for wider dissemination",
    "CONFIDENTIEL – ne pas diffuser",
    "VERTRAULICH – bitte nicht weitergeben",
    "For EMN NCPs only",
    "Please do not share this response beyond the EMN",
    "Sensitive – not for publication",
]
RESTRICTION_NAME_WORDS = ["CONFIDENTIAL", "RESTRICTED", "not for wider dissemination", "internal use only"]

TITLES = [
    "Ad-Hoc Query on Migration Partnerships",
    "EMN Ad-Hoc Query 2010.12 – Migration Partnerships",
    "Response of the {adj} EMN NCP",
    "Requested by AT EMN NCP on 26th July 2010",
    "Reply to AHQ 2010.12",
    "Responses should be sent by 31 August 2010",
]

THIRD = ["Moldova", "Cape Verde", "Georgia", "Morocco", "Tunisia", "Senegal", "Ukraine", "Armenia", "Mali"]
AREAS = [
    "legal and labour migration",
    "readmission and return",
    "visa facilitation",
    "border management",
    "the fight against trafficking in human beings",
    "migration and development",
    "capacity building in the partner country",
    "information campaigns on the risks of irregular migration",
]
EXPERIENCE = [
    "Cooperation with the partner authorities improved steadily",
    "The administrative burden of the projects was high",
    "Funding remained the main obstacle",
    "The exchange of information worked well",
    "Results took longer than expected to materialise",
    "Coordination between the ministries involved was demanding",
]
NEUTRAL_MARKER_WORDS = [
    "Access to the labour market is restricted for seasonal workers in the first year.",
    "Confidential counselling is offered to returnees.",
]
INSTRUCTIONS = [
    "Instructions",
    "Please answer each question in the sheet with the questions.",
    "Write one answer per question; you may use several lines.",
    "Return the file to the requesting NCP by 31 August 2010.",
]
NUMBERS = [["Year", "Applications", "Returns"]] + [[str(y), str(100 + 37 * i), str(40 + 11 * i)] for i, y in enumerate(range(2005, 2010))]
SHEET_NAMES = ["Sheet1", "Response", "Reply", "AHQ", "Tabelle1", "Feuil1", "Answers"]


def marker(n, qid, part=""):
    return f"zq7k-{n:04d}-q{qid}{part}"


class Response:
    """One response: every choice, drawn in a fixed order."""

    def __init__(self, rng, n, country, libreoffice):
        self.n = n
        self.code, self.name, self.iso2, self.iso3, self.native, self.adj = country
        r = rng
        formats = ["xlsx"] * 5 + ["docx"] * 2 + ["csv"] * 2
        if libreoffice:
            formats += ["ods", "xls"]
        self.format = r.choice(formats)
        if self.format == "docx":
            self.orientation = r.choice(["table", "table", "paragraphs", "across"])
        else:
            self.orientation = r.choice(["down", "down", "across"])
        self.q_label = r.choice(QUESTION_LABELS)
        self.label_lang = r.choice(["en", "en", "en", "en-long", "fr", "de", "es", "it", "nl", "pl", "sv", "fi", "hu"])
        countries, flags = LABELS[self.label_lang]
        self.country_label = r.choice(countries)
        self.flag_label = r.choice(flags)
        self.country_form = r.choice(["name", "name", "iso2", "iso3", "native", "ncp", "upper"])
        self.flag_value = r.choice(["yes", "yes", "no", "no", "blank"])
        self.flag_lang = r.choice(list(FLAG_WORDS))
        down = self.orientation in ("down", "table")
        self.flag_form = r.choice(["word", "word", "boxes"]) if down and self.flag_value != "blank" else "word"
        in_cells = ["in-cell", "brackets"]
        self.box_style = r.choice(in_cells if self.format == "docx" else ["under", "beside"] + in_cells)
        self.box_mark = r.choice(["X", "x", "☒", "✓"])
        self.titles = r.choice([0, 0, 1, 2, 3])
        self.title_lines = r.sample(TITLES, self.titles)
        self.start_row = r.randint(1, 5)
        self.start_col = r.randint(1, 3)
        self.decoy = r.choice(["none", "none", "instructions", "blank-before", "blank-after", "numbers"])
        if self.orientation == "paragraphs" and self.decoy.startswith("blank"):
            self.decoy = "none"  # a blank copy is a table; paragraphs have none
        self.split = r.choice(["none", "none", "none", "cells", "rows"]) if down else "none"
        self.split_q = r.choice(["3", "4"])
        self.one_cell = r.choice(["none", "none", "country", "flag", "both"]) if down else "none"
        if self.flag_form == "boxes" and self.box_style in ("under", "beside"):
            # Boxes in cells of their own cannot share the label's cell.
            self.one_cell = {"flag": "none", "both": "country"}.get(self.one_cell, self.one_cell)
        self.extra_rows = r.choice(["none", "none", "contact", "date"])
        self.restricted = r.random() < 0.3
        self.restriction_text = r.choice(RESTRICTION_TEXTS)
        self.restriction_name_word = r.choice(RESTRICTION_NAME_WORDS)
        places = {
            "xlsx": ["cell-above", "cell-below", "cell-beside", "comment", "header", "subject", "sheet-name", "file-name", "zip-name", "zip-entry", "zip-comment"],
            "ods": ["cell-above", "cell-below", "comment", "header", "subject", "sheet-name", "file-name"],
            "xls": ["cell-above", "cell-below", "comment", "header", "subject", "sheet-name", "file-name"],
            "docx": ["paragraph", "table-row", "header", "subject", "file-name", "zip-name", "zip-entry", "zip-comment"],
            "csv": ["cell-above", "cell-below", "file-name", "zip-name", "zip-entry", "zip-comment"],
        }[self.format]
        self.restriction_place = r.choice(places) if self.restricted else "none"
        can_zip = self.format in ("xlsx", "docx", "csv")
        zipped = self.restriction_place.startswith("zip-") or (can_zip and r.random() < 0.08)
        self.container = "zip" if zipped else "file"
        self.file_name_style = r.choice(["code", "name", "native", "plain", "reply"])
        self.sheet_name = r.choice(SHEET_NAMES + [self.code, self.name])
        self.csv_delimiter = r.choice([",", ";", "\t"])
        self.csv_encoding = r.choice(["utf-8", "utf-8-sig", "cp1252"])
        self.neutral_marker_word = r.random() < 0.06
        self.multiline = r.random() < 0.15
        self.answers = self.compose_answers(r)

    # -- what is written -------------------------------------------------

    def compose_answers(self, r):
        """Question id -> list of parts (one, or two when split)."""
        n = self.n
        ans = {}
        opening = r.choice(["Yes.", "No.", "Yes,", "No,", ""])
        partner = r.choice(THIRD)
        q1 = f"{opening} Reference {marker(n, '1')}: a Mobility Partnership with {partner} was signed in {r.randint(2007, 2010)}.".strip()
        ans["1"] = [q1]
        partners = r.sample(THIRD, r.randint(1, 3))
        ans["2"] = [f"{', '.join(partners)} (see {marker(n, '2')})"]
        areas = r.sample(AREAS, r.randint(1, 3))
        q3 = f"The partnership covered {' and '.join(areas)}; ref. {marker(n, '3')}."
        if self.neutral_marker_word:
            q3 += " " + r.choice(NEUTRAL_MARKER_WORDS)
        ans["3"] = [q3]
        exp = r.sample(EXPERIENCE, r.randint(1, 3))
        sep = "\n" if self.multiline else " "
        ans["4"] = [sep.join(f"{e} ({marker(n, '4')})." if i == 0 else f"{e}." for i, e in enumerate(exp))]
        if r.random() < 0.05:
            ans[r.choice(["2", "4"])] = [""]
        if self.split != "none" and ans[self.split_q][0]:
            q = self.split_q
            ans[q] = [ans[q][0], f"In addition, see {marker(n, q, 'b')} for the later projects."]
        return ans

    def truth_answers(self):
        return {q: " ".join(" ".join(parts).split()) for q, parts in self.answers.items()}

    def markers(self):
        out = []
        for q, parts in self.answers.items():
            for i, p in enumerate(parts):
                if p:
                    out.append(marker(self.n, q, "b" if i else ""))
        return out

    def country_text(self):
        return {
            "name": self.name,
            "iso2": self.iso2,
            "iso3": self.iso3,
            "native": self.native,
            "ncp": f"{self.adj} EMN NCP",
            "upper": self.name.upper(),
        }[self.country_form]

    def q_labels(self):
        """Per question: the label cells (one, or two for "1 | text")."""
        out = []
        for i, (qid, text) in enumerate(QUESTIONS):
            style = self.q_label
            if style == "1 | text":
                out.append([qid, text])
                continue
            out.append([{
                "1": qid,
                "1.": f"{qid}.",
                "Q1": f"Q{qid}",
                "Question 1": f"Question {qid}",
                "1. text": f"{qid}. {text}",
                "text": text,
                "a)": f"{'abcd'[i]})",
                "Frage 1": f"Frage {qid}",
            }[style]])
        return out

    def flag_truth(self):
        said_no = self.flag_value == "no"
        return "no" if said_no or self.restricted else "yes"

    def contradiction(self):
        return self.restricted and self.flag_value != "no"

    def flag_cells(self):
        """The flag's rows, label first: a list of rows (lists of cells)."""
        yes, no = FLAG_WORDS[self.flag_lang]
        label = self.flag_label
        if self.flag_form == "word":
            value = {"yes": yes, "no": no, "blank": ""}[self.flag_value]
            if self.one_cell in ("flag", "both"):
                return [[f"{label.rstrip('?: ')}: {value}".rstrip()]]
            return [[label, value]]
        chosen_yes = self.flag_value == "yes"
        m = self.box_mark
        if self.box_style == "under":
            return [[label, yes, no], ["", m if chosen_yes else "", "" if chosen_yes else m]]
        if self.box_style == "beside":
            return [[label, yes, m if chosen_yes else "", no, "" if chosen_yes else m]]
        if self.box_style == "in-cell":
            cell = f"{'☒' if chosen_yes else '☐'} {yes} {'☐' if chosen_yes else '☒'} {no}"
        else:
            cell = f"[{'x' if chosen_yes else ' '}] {yes} [{' ' if chosen_yes else 'x'}] {no}"
        if self.one_cell in ("flag", "both"):
            return [[f"{label.rstrip('?: ')}: {cell}"]]
        return [[label, cell]]

    def country_cells(self):
        if self.one_cell in ("country", "both"):
            return [f"{self.country_label.rstrip(':')}: {self.country_text()}"]
        return [self.country_label, self.country_text()]

    def extra(self):
        if self.extra_rows == "contact":
            return [["Contact person", "Maria Novak, EMN NCP"]]
        if self.extra_rows == "date":
            return [["Date", "30 August 2010"]]
        return []

    def titles_for(self):
        return [t.replace("{adj}", self.adj) for t in self.title_lines]

    def down_pairs(self, blank=False):
        """The label-and-value orientation's rows before offsets, each as
        (label cells, value cells); a blank copy keeps the labels only."""
        pairs = []
        country = self.country_cells()
        pairs.append((country[:1], country[1:]))
        for row in self.flag_cells() + self.extra():
            pairs.append((row[:1], row[1:]))
        for (qid, _), labels in zip(QUESTIONS, self.q_labels()):
            parts = self.answers[qid]
            if len(parts) == 2 and self.split == "cells":
                pairs.append((labels, parts))
            elif len(parts) == 2 and self.split == "rows":
                pairs.append((labels, [parts[0]]))
                pairs.append(([""] * len(labels), [parts[1]]))
            else:
                pairs.append((labels, [parts[0]]))
        if blank:
            pairs = [(labels, []) for labels, _ in pairs if any(labels)]
        return pairs

    def down_rows(self, blank=False):
        return [labels + values for labels, values in self.down_pairs(blank)]

    def across_rows(self, blank=False):
        """A header row of labels and a row of values."""
        yes, no = FLAG_WORDS[self.flag_lang]
        head = [self.country_label, self.flag_label]
        vals = [self.country_text(), {"yes": yes, "no": no, "blank": ""}[self.flag_value]]
        for (qid, _), labels in zip(QUESTIONS, self.q_labels()):
            head.append(labels[-1] if len(labels) == 1 else f"{labels[0]}. {labels[1]}")
            vals.append(" ".join(self.answers[qid]))
        return [head] if blank else [head, vals]

    def grid(self, blank=False):
        """The response sheet's rows with titles, restriction notes and offsets."""
        body = self.down_rows(blank) if self.orientation == "down" else self.across_rows(blank)
        rows = []
        if not blank:
            rows += [[t] for t in self.titles_for()]
            if self.restriction_place == "cell-above":
                rows.append([self.restriction_text])
        lead = self.start_row - 1
        rows = [[] for _ in range(lead)] + rows + body
        if not blank and self.restriction_place == "cell-below":
            rows += [[], [self.restriction_text]]
        if not blank and self.restriction_place == "cell-beside":
            # Beside the flag's row, two columns to the right of its cells.
            for i, row in enumerate(rows):
                if row and row[0] and row[0].startswith(self.flag_label.rstrip("?: ")[:6]):
                    rows[i] = row + ["", self.restriction_text]
                    break
            else:
                rows.append([self.restriction_text])
        pad = [""] * (self.start_col - 1)
        return [pad + r if r else r for r in rows]

    def file_stem(self):
        base = {
            "code": f"{self.iso2 if self.n % 2 else self.code}_AHQ_2010.12",
            "name": f"AHQ Migration Partnerships - {self.name}",
            "native": f"EMN AHQ 2010.12 {self.native}",
            "plain": f"response_{self.n:04d}",
            "reply": f"{self.name} reply",
        }[self.file_name_style]
        if self.restriction_place == "file-name":
            base += f" - {self.restriction_name_word}"
        return base

    # -- writers -----------------------------------------------------------

    def xlsx_bytes(self):
        wb = openpyxl.Workbook()
        wb.properties.created = FIXED_TIME
        wb.properties.modified = FIXED_TIME
        wb.properties.creator = "NCP"
        if self.restriction_place == "subject":
            wb.properties.subject = self.restriction_text
        ws = wb.active
        sheet_name = self.sheet_name
        if self.restriction_place == "sheet-name":
            sheet_name = "Confidential reply"
        ws.title = sheet_name
        sheets = [("fill", ws)]
        if self.decoy == "instructions":
            inst = wb.create_sheet("Instructions", 0)
            for i, line in enumerate(INSTRUCTIONS):
                inst.cell(row=i + 1, column=1, value=line)
        elif self.decoy == "numbers":
            data = wb.create_sheet("Data")
            for i, row in enumerate(NUMBERS):
                for j, v in enumerate(row):
                    data.cell(row=i + 1, column=j + 1, value=int(v) if v.isdigit() else v)
        elif self.decoy in ("blank-before", "blank-after"):
            blank = wb.create_sheet("Template", 0 if self.decoy == "blank-before" else 1)
            sheets.append(("blank", blank))
        for kind, sheet in sheets:
            for i, row in enumerate(self.grid(blank=kind == "blank")):
                for j, v in enumerate(row):
                    if v != "":
                        sheet.cell(row=i + 1, column=j + 1, value=v)
        if self.restriction_place == "comment":
            # On the flag's value cell (or label when the flag is one cell).
            target = None
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith(self.flag_label.rstrip("?: ")[:6]):
                        target = ws.cell(row=c.row, column=c.column + 1) if self.orientation == "down" else ws.cell(row=c.row + 1, column=c.column)
                        break
                if target is not None:
                    break
            if target is None:
                target = ws.cell(row=1, column=1)
            target.comment = Comment(self.restriction_text, "NCP")
        if self.restriction_place == "header":
            ws.oddHeader.center.text = self.restriction_text
        buf = io.BytesIO()
        wb.save(buf)
        return fixed_times(buf.getvalue())

    def csv_bytes(self):
        text = io.StringIO()
        w = csv.writer(text, delimiter=self.csv_delimiter, lineterminator="\r\n")
        for row in self.grid():
            w.writerow(row)
        s = text.getvalue()
        enc = self.csv_encoding
        try:
            return s.encode(enc)
        except UnicodeEncodeError:
            self.csv_encoding = "utf-8-sig"
            return s.encode("utf-8-sig")

    def docx_bytes(self):
        d = docx.Document()
        cp = d.core_properties
        cp.created = FIXED_TIME
        cp.modified = FIXED_TIME
        cp.last_modified_by = "NCP"
        cp.author = "NCP"
        cp.revision = 1
        if self.restriction_place == "subject":
            cp.subject = self.restriction_text
        if self.restriction_place == "header":
            d.sections[0].header.paragraphs[0].text = self.restriction_text
        for t in self.titles_for():
            d.add_paragraph(t)
        if self.restriction_place == "paragraph":
            d.add_paragraph(self.restriction_text)
        if self.decoy == "instructions":
            for line in INSTRUCTIONS:
                d.add_paragraph(line)

        def table(rows):
            width = max(len(r) for r in rows)
            t = d.add_table(rows=len(rows), cols=width)
            for i, row in enumerate(rows):
                for j, v in enumerate(row):
                    if v:
                        cell = t.cell(i, j)
                        lines = v.split("\n")
                        cell.paragraphs[0].text = lines[0]
                        for line in lines[1:]:
                            cell.add_paragraph(line)
            return t

        def filled_rows(blank=False):
            if self.orientation == "across":
                return self.across_rows(blank)
            # Label cells, then the value cells as one cell of paragraphs.
            rows = [labels + (["\n".join(v for v in values if v)] if values else []) for labels, values in self.down_pairs(blank)]
            if not blank and self.restriction_place == "table-row":
                rows.insert(2, ["Note", self.restriction_text])
            return rows

        if self.decoy == "blank-before" and self.orientation != "paragraphs":
            table(filled_rows(blank=True))
            d.add_paragraph("")
        if self.orientation == "paragraphs":
            # A paragraph of the label, then a paragraph per line of its value.
            for labels, values in self.down_pairs():
                labels = [c for c in labels if c]
                if labels:
                    d.add_paragraph(labels[0] if len(labels) == 1 else f"{labels[0]}. {labels[1]}")
                for v in values:
                    for line in v.split("\n"):
                        if line:
                            d.add_paragraph(line)
            if self.restriction_place == "table-row":
                d.add_paragraph(f"Note: {self.restriction_text}")
        else:
            table(filled_rows())
            if self.orientation == "across" and self.restriction_place == "table-row":
                # A table across has no row to spare: the note under it.
                d.add_paragraph(f"Note: {self.restriction_text}")
        if self.decoy == "blank-after" and self.orientation != "paragraphs":
            d.add_paragraph("")
            table(filled_rows(blank=True))
        if self.decoy == "numbers":
            d.add_paragraph("")
            table(NUMBERS)
        buf = io.BytesIO()
        d.save(buf)
        return fixed_times(buf.getvalue())


def fixed_times(data):
    """The same zip (an xlsx, a docx) with every entry, and the document's
    modification time, at FIXED_TIME: the same seed gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                # openpyxl stamps the time of saving.
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2010-08-30T09:00:00Z", data)
            out.writestr(info, data)
    return buf.getvalue()


def zip_bytes(entry_name, data, comment):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo(entry_name, date_time=(2010, 8, 30, 9, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
        if comment:
            z.comment = comment.encode("utf-8")
    return buf.getvalue()


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    if len(args) != 3 or any(f not in ("--libreoffice",) for f in flags):
        sys.exit("usage: generate_responses.py SEED N OUTDIR [--libreoffice]")
    seed, count, outdir = int(args[0]), int(args[1]), args[2]
    libreoffice = "--libreoffice" in flags
    rng = random.Random(seed)
    truth = []
    per_batch = len(COUNTRIES)
    for start in range(0, count, per_batch):
        batch = f"q{start // per_batch:02d}"
        order = COUNTRIES[:]
        rng.shuffle(order)
        responses_dir = os.path.join(outdir, batch, "responses")
        os.makedirs(responses_dir, exist_ok=True)
        for k, country in enumerate(order[: min(per_batch, count - start)]):
            n = start + k
            r = Response(rng, n, country, libreoffice)
            stem = r.file_stem()
            convert = None
            if r.format == "xlsx":
                data, ext = r.xlsx_bytes(), "xlsx"
            elif r.format == "docx":
                data, ext = r.docx_bytes(), "docx"
            elif r.format == "csv":
                data, ext = r.csv_bytes(), "csv"
            else:
                # Written as xlsx here; the test converts it with LibreOffice.
                src = os.path.join("convert", r.format, f"g{n:04d}.xlsx")
                os.makedirs(os.path.join(outdir, "convert", r.format), exist_ok=True)
                with open(os.path.join(outdir, src), "wb") as f:
                    f.write(r.xlsx_bytes())
                data, ext = None, r.format
            file_name = f"{stem}.{ext}"
            seen_as = file_name
            if r.container == "zip":
                entry = file_name
                zip_stem = stem
                comment = None
                if r.restriction_place == "zip-entry":
                    entry = f"{stem} - {r.restriction_name_word}.{ext}"
                elif r.restriction_place == "zip-name":
                    zip_stem = f"{stem} - {r.restriction_name_word}"
                elif r.restriction_place == "zip-comment":
                    comment = r.restriction_text
                file_name = f"{zip_stem}.zip"
                data = zip_bytes(entry, data, comment)
                seen_as = f"{file_name}/{entry}"
            path = os.path.join(batch, "responses", file_name)
            if data is not None:
                with open(os.path.join(outdir, path), "wb") as f:
                    f.write(data)
            else:
                convert = {"format": r.format, "src": src, "dest": path}
            truth.append({
                "n": n,
                "batch": batch,
                "path": path,
                "file": seen_as,
                "convert": convert,
                "country": r.code,
                "flag": r.flag_truth(),
                "contradiction": r.contradiction(),
                "answers": r.truth_answers(),
                "markers": r.markers(),
                "choices": {
                    "format": r.format,
                    "container": r.container,
                    "orientation": r.orientation,
                    "q_label": r.q_label,
                    "label_lang": r.label_lang,
                    "country_label": r.country_label,
                    "flag_label": r.flag_label,
                    "country_form": r.country_form,
                    "flag_value": r.flag_value,
                    "flag_lang": r.flag_lang,
                    "flag_form": r.flag_form if r.flag_form == "word" else f"boxes-{r.box_style}",
                    "titles": r.titles,
                    "start_row": r.start_row,
                    "start_col": r.start_col,
                    "decoy": r.decoy,
                    "split": ("none" if len(r.answers[r.split_q]) != 2 else "paragraphs" if r.format == "docx" and r.split == "cells" else r.split),
                    "one_cell": r.one_cell,
                    "extra_rows": r.extra_rows,
                    "restriction": r.restriction_place,
                    "file_name": r.file_name_style,
                    "sheet_name": r.sheet_name if r.format not in ("csv", "docx") else "-",
                    "csv": f"{r.csv_encoding} {r.csv_delimiter!r}" if r.format == "csv" else "-",
                    "neutral_marker_word": r.neutral_marker_word,
                    "multiline": r.multiline,
                },
            })
    with open(os.path.join(outdir, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
