"""Checks that a peer's compilations hold the same content as ahq's: for
every query, both audiences, the Responses sheet's rows (country, flag, each
answer) are equal. Usage: check.py AHQ_OUT PEER_OUT"""

import os
import sys



def responses(path):
    # Imported here, so that --help works without the benchmark's venv.
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(path).get_sheet_by_name("Responses").to_python()
    return [[str(c) for c in r[:6]] for r in rows[1:]]


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
