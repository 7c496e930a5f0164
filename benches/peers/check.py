"""Checks that a peer's compilations hold the same content as ahq's: for
every query, both audiences, the Responses sheet's rows (country, flag, each
answer) are equal. Usage: check.py AHQ_OUT PEER_OUT"""

import os
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))


def continued_label():
    # ahq continues an answer taller than Excel's tallest row in rows below
    # its country's, labelled as templates/compilation.toml says.
    with open(os.path.join(HERE, "..", "..", "templates", "compilation.toml"), "rb") as f:
        return tomllib.load(f)["responses"]["continued_row"]


def responses(path):
    # Imported here, so that --help works without the benchmark's venv.
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(path).get_sheet_by_name("Responses").to_python()
    label = continued_label()
    out = []
    for r in rows[1:]:
        cells = [str(c) for c in r[:6]]
        # A continuation row's pieces end their country's answers: ahq splits
        # between words and keeps the spaces, so joining gives the text back.
        if out and cells[0] == label.replace("{name}", out[-1][0]):
            out[-1][2:] = [a + b for a, b in zip(out[-1][2:], cells[2:])]
        else:
            out.append(cells)
    return out


def main():
    import argparse
    p = argparse.ArgumentParser(description="Checks a peer's compilations against ahq's.")
    p.add_argument("ahq_out", help="ahq's output folder (one folder per query)")
    p.add_argument("peer_out", help="the peer's output folder")
    args = p.parse_args()
    ahq_out, peer_out = args.ahq_out, args.peer_out
    compared = 0
    for q in sorted(os.listdir(ahq_out)):
        for audience in ("full", "wider"):
            name = f"compilation-{audience}.xlsx"
            a = responses(os.path.join(ahq_out, q, name))
            p = responses(os.path.join(peer_out, q, name))
            if a != p:
                for ra, rp in zip(a, p):
                    if ra != rp:
                        print(f"{q}/{name}: ahq {ra[0]!r} differs from the peer's {rp[0]!r}")
                        for x, y in zip(ra, rp):
                            if x != y:
                                print(f"  ahq:  {x[:120]!r}\n  peer: {y[:120]!r}")
                        break
                sys.exit(f"{q}/{name}: content differs ({len(a)} vs {len(p)} rows)")
            compared += 1
    print(f"same content in {compared} workbooks")


if __name__ == "__main__":
    main()
