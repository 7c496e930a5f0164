"""Responses in forms no issue described (part 12), each made by a real
writer: openpyxl for workbooks, python-docx for Word documents.

    python3 unseen_forms.py OUTDIR

Every file answers the four questions of tests/support QUERY; the answers
are the same everywhere, so a test can tell a right reading from a wrong one.
"""
import os
import sys

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from openpyxl import Workbook
from openpyxl.comments import Comment

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
QUESTIONS = [
    "Do you currently or in the past have/had a Migration Partnership with a third country?",
    "If yes which third countries are/were involved?",
    "Which areas of focus are/were covered by the Migration Partnership?",
    "What are/were your experiences (positive and negative) with Migration Partnerships?",
]
ANSWERS = ["Yes, with Moldova.", "Moldova and Georgia.", "Return and reintegration.", "Positive overall."]
IDS = ["1", "2", "3", "4"]


def workbook(name, rows, more=None):
    wb = Workbook()
    ws = wb.active
    ws.title = "Response"
    for r in rows:
        ws.append(list(r))
    if more:
        more(wb, ws)
    wb.save(os.path.join(OUT, name))


def plain(country, flag, labels=IDS):
    return [("Country", country), ("Wider dissemination", flag)] + list(zip(labels, ANSWERS))


def comment_on_flag(wb, ws):
    ws["B2"].comment = Comment("Please do not disseminate this response further.", "NCP")


def page_header(wb, ws):
    ws.oddHeader.center.text = "RESTRICTED - not for wider dissemination"


def subject(wb, ws):
    wb.properties.subject = "Restricted: not for wider dissemination"


workbook("comment_on_blank_flag_BE.xlsx", plain("Belgium", None), comment_on_flag)
workbook("header_CZ.xlsx", plain("Czech Republic", None), page_header)
workbook("property_DK.xlsx", plain("Denmark", None), subject)
workbook("lettered_EE.xlsx", [("Country", "Estonia"), ("Wider dissemination", "Yes")]
         + [(f"{'abcd'[k]}) {QUESTIONS[k]}", ANSWERS[k]) for k in range(4)])
workbook("letters_alone_IE.xlsx", plain("Ireland", "Yes", ["a)", "b)", "c)", "d)"]))
workbook("roman_HR.xlsx", plain("Croatia", "Yes", ["I.", "II.", "III.", "IV."]))
workbook("frage_AT.xlsx", [("Land", "Österreich"), ("Verbreitung", "Ja")]
         + [(f"Frage {i}", a) for i, a in zip(IDS, ANSWERS)])
workbook("inline_SI.xlsx", [("Country: Slovenia",), ("Wider dissemination: No",)] + list(zip(IDS, ANSWERS)))
workbook("inline_fr_LU.xlsx", [("Pays : Luxembourg",), ("Diffusion élargie : Non",)] + list(zip(IDS, ANSWERS)))
workbook("inline_de_DE.xlsx", [("Land: Deutschland",), ("Verbreitung: Nein",)] + list(zip(IDS, ANSWERS)))
workbook("contact_point_AT.xlsx", [("Member State", "Austrian EMN NCP"), ("Wider dissemination", "Yes")]
         + list(zip(IDS, ANSWERS)))
workbook("guidance_HU.xlsx", [("If your response is not for wider dissemination, write No in the cell below.",)]
         + plain("Hungary", "Yes"))
workbook("marking_with_if_NL.xlsx", [("If possible, please do not disseminate our reply further.",)]
         + plain("Netherlands", "Yes"))


def document(country, flag):
    d = docx.Document()
    t = d.add_table(rows=0, cols=2)
    for k, v in plain(country, flag):
        r = t.add_row().cells
        r[0].text = k
        r[1].text = v or ""
    return d, t


d, t = document("Latvia", "Yes")
d.sections[0].header.paragraphs[0].text = "RESTRICTED – not for wider dissemination"
d.save(os.path.join(OUT, "word_header_LV.docx"))

d = docx.Document()
d.add_paragraph("Lithuania").style = d.styles["Heading 1"]
d.add_paragraph("May this response be disseminated further?: Ne")
for i, q, a in zip(IDS, QUESTIONS, ANSWERS):
    d.add_paragraph(f"{i}. {q}")
    d.add_paragraph(a)
d.save(os.path.join(OUT, "word_paragraphs_LT.docx"))

d, t = document("Malta", "Yes")
t.rows[2].cells[1].paragraphs[0].add_run(" SECRET DRAFT NOTE").font.hidden = True
d.save(os.path.join(OUT, "word_hidden_MT.docx"))

d, t = document("Finland", None)
cell = t.rows[1].cells[1].paragraphs[0]
d.add_comment(cell.add_run(" "), text="Not for wider dissemination please", author="NCP")
d.save(os.path.join(OUT, "word_comment_FI.docx"))

d, t = document("Poland", "Yes")
p = t.rows[2].cells[1].paragraphs[0]
p._p.append(parse_xml('<w:del %s w:id="1" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r>'
                      '<w:delText> OLD DELETED TEXT</w:delText></w:r></w:del>' % nsdecls("w")))
p._p.append(parse_xml('<w:ins %s w:id="2" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r>'
                      '<w:t xml:space="preserve"> inserted words</w:t></w:r></w:ins>' % nsdecls("w")))
d.save(os.path.join(OUT, "word_tracked_PL.docx"))


def content_control_box(checked):
    return parse_xml(
        '<w:sdt %s xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><w:sdtPr>'
        '<w14:checkbox><w14:checked w14:val="%d"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r>'
        '<w:t>%s</w:t></w:r></w:sdtContent></w:sdt>'
        % (nsdecls("w"), 1 if checked else 0, "☒" if checked else "☐"))


d, t = document("Romania", None)
p = t.rows[1].cells[1].paragraphs[0]
p._p.append(content_control_box(False))
p.add_run(" Yes ")
p._p.append(content_control_box(True))
p.add_run(" No")
d.save(os.path.join(OUT, "word_content_controls_RO.docx"))


def legacy_box(checked):
    return [
        parse_xml('<w:r %s><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="C"/><w:enabled/>'
                  '<w:checkBox><w:sizeAuto/><w:default w:val="%d"/></w:checkBox></w:ffData></w:fldChar></w:r>'
                  % (nsdecls("w"), 1 if checked else 0)),
        parse_xml('<w:r %s><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>' % nsdecls("w")),
        parse_xml('<w:r %s><w:fldChar w:fldCharType="end"/></w:r>' % nsdecls("w")),
    ]


d, t = document("Sweden", None)
p = t.rows[1].cells[1].paragraphs[0]
for x in legacy_box(False):
    p._p.append(x)
p.add_run(" Yes ")
for x in legacy_box(True):
    p._p.append(x)
p.add_run(" No")
d.save(os.path.join(OUT, "word_legacy_boxes_SE.docx"))

d, t = document("Slovak Republic", "Yes")
c = t.rows[5].cells[1]
c.paragraphs[0].text = ""
c.paragraphs[0]._p.append(parse_xml(
    '<w:sdt %s><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>Click or tap here to '
    'enter text.</w:t></w:r></w:sdtContent></w:sdt>' % nsdecls("w")))
d.save(os.path.join(OUT, "word_placeholder_SK.docx"))


# A blank copy of the response sheet before the filled one.
wb = Workbook()
blank = wb.active
blank.title = "Blank"
for r in plain(None, None):
    blank.append([r[0]])
filled = wb.create_sheet("Filled")
for r in plain("Finland", "Yes"):
    filled.append(list(r))
wb.save(os.path.join(OUT, "blank_copy_first_FI.xlsx"))

# Two filled sheets that disagree on an answer.
wb = Workbook()
draft = wb.active
draft.title = "Draft"
for r in [("Country", "Greece"), ("Wider dissemination", "Yes"), ("1", "No."), ("2", "None.")]:
    draft.append(list(r))
final = wb.create_sheet("Final")
for r in plain("Greece", "Yes"):
    final.append(list(r))
wb.save(os.path.join(OUT, "two_filled_sheets_EL.xlsx"))

# An answer typed across several cells of its row.
workbook("split_across_cells_FR.xlsx", [("Country", "France"), ("Wider dissemination", "Yes"),
                                        ("1", "Yes,", "with Moldova."), ("2", ANSWERS[1]),
                                        ("3", ANSWERS[2]), ("4", ANSWERS[3])])

# The network's compilation table returned whole: a blank corner, the
# flag's heading, the questions listed in one heading; only the sender's row filled.
wb = Workbook()
ws = wb.active
ws.title = "Responses"
ws.append(["Ad-Hoc Query on Migration Partnerships"])
ws.append([])
ws.append(["", "Wider Dissemination?", "\n".join(f"{i}. {q}" for i, q in zip(IDS, QUESTIONS))])
for c in ["Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czech Republic", "Spain", "Sweden"]:
    ws.append([c, None, None])
ws.append(["Portugal", "Yes", " ".join(f"{i}. {a}" for i, a in zip(IDS, ANSWERS))])
wb.save(os.path.join(OUT, "compilation_table_returned_PT.xlsx"))

# Text, and no answer anywhere the questions are.
workbook("no_answer_found_CY.xlsx", [("Country", "Cyprus"), ("Wider dissemination", "Yes"),
                                     ("Our reply is in the attached letter.",)])

# Flag labels longer than six words, or in a language of the network the
# vocabulary learnt late, with the value in the same cell.
workbook("long_flag_label_LT.xlsx", [("Country", "Lithuania"),
                                     ("Can this reply be used for wider dissemination: Ne",)]
         + list(zip(IDS, ANSWERS)))
workbook("swedish_flag_label_SE.xlsx", [("Land", "Sverige"), ("Vidare spridning: Nej",)]
         + list(zip(IDS, ANSWERS)))

# Word paragraphs with the country on the line under its label.
d = docx.Document()
for line in ["Country", "Bulgaria", "Wider dissemination", "No"]:
    d.add_paragraph(line)
for i, a in zip(IDS, ANSWERS):
    d.add_paragraph(f"Question {i}")
    d.add_paragraph(a)
d.save(os.path.join(OUT, "word_country_below_BG.docx"))

# The network's own Word compilation template returned whole: its title,
# then the table (a blank corner, the flag's heading, the questions in one
# heading, a row per country), only the sender's row filled.
d = docx.Document()
d.add_paragraph("Ad-Hoc Query on Migration Partnerships").style = d.styles["Title"]
d.add_paragraph("Requested by AT EMN NCP on 26th July 2010")
t = d.add_table(rows=1, cols=3)
t.rows[0].cells[1].text = "Wider Dissemination?"
t.rows[0].cells[2].text = "\n".join(f"{i}. {q}" for i, q in zip(IDS, QUESTIONS))
for c in ["Austria", "Belgium", "Croatia", "Denmark", "Ireland", "Spain"]:
    row = t.add_row().cells
    row[0].text = c
    if c == "Ireland":
        row[1].text = "No"
        row[2].text = "\n".join(f"{i}. {a}" for i, a in zip(IDS, ANSWERS))
d.save(os.path.join(OUT, "word_compilation_template_IE.docx"))

# A marking above the answers on the response sheet itself, named like an
# instructions sheet: a marking, not guidance.
wb = Workbook()
ws = wb.active
ws.title = "Toelichting"
for r in [("CONFIDENTIAL – not for wider dissemination",)] + plain("Cyprus", None):
    ws.append(list(r))
wb.save(os.path.join(OUT, "marking_on_instructions_named_sheet_CY.xlsx"))

# The flag's "No" in Word's hidden font: a person sees a blank.
d, t = document("Denmark", None)
t.rows[1].cells[1].paragraphs[0].add_run("No").font.hidden = True
d.save(os.path.join(OUT, "word_hidden_no_DK.docx"))
