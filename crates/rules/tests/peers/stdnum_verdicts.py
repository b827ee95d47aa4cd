"""Writes stdnum.json: python-stdnum's verdicts on random resident ID numbers and unified
social credit codes, for the differential test in tests/peers.rs.

Run with python-stdnum installed (`pip install python-stdnum==2.2`):
    python3 tests/peers/stdnum_verdicts.py > tests/peers/stdnum.json
The numbers are drawn with a fixed seed, so the file only changes with python-stdnum.
"""
import datetime
import json
import random

import stdnum
from stdnum import numdb
from stdnum.cn import ric, uscc

rng = random.Random(16)
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# County codes in use today (no year range), from python-stdnum's own table.
counties = []
province = None
for line in open(numdb.__file__.replace("numdb.py", "cn/loc.dat"), encoding="utf-8"):
    if line[:2].isdigit():
        province = line[:2]
    elif line.startswith("  ") and line[2:6].isdigit() and province and "[" not in line:
        counties.append(province + line[2:6])


def ric_number(region, birth):
    first17 = region + birth.strftime("%Y%m%d") + "%03d" % rng.randrange(1000)
    return first17 + ric.calc_check_digit(first17 + "0")


def random_birth():
    return datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(80 * 365))


def verdict(module, number):
    try:
        module.validate(number)
        return True
    except Exception:
        return False


rics = []
for i in range(600):
    kind = i % 10
    if kind < 6:
        number = ric_number(rng.choice(counties), random_birth())
    elif kind == 6:
        good = ric_number(rng.choice(counties), random_birth())
        number = good[:17] + rng.choice([c for c in "0123456789X" if c != good[17]])
    elif kind == 7:
        number = ric_number(rng.choice(["710000", "810000", "820000", "830000"]), random_birth())
    elif kind == 8:
        number = ric_number("%02d%04d" % (rng.randrange(11, 66), rng.randrange(10000)), random_birth())
    else:
        first17 = rng.choice(counties) + "%04d%02d%02d" % (rng.randrange(1930, 2010), rng.randrange(13, 20), rng.randrange(1, 29)) + "123"
        number = first17 + ric.calc_check_digit(first17 + "0")
    rics.append([number, verdict(ric, number)])

usccs = []
for i in range(600):
    kind = i % 10
    body = "".join(rng.choice(ALPHABET) for _ in range(9))
    if kind < 5:
        region = rng.choice(counties)
    elif kind == 5:
        region = "100000"
    elif kind == 6:
        region = rng.choice(["810000", "820000", "710000", "990000"])
    else:
        region = rng.choice(counties)
    first2 = rng.choice(["91", "92", "93", "11", "12", "51", "52", "53", "31"]) if kind != 7 else rng.choice(["A1", "N2", "Y1"])
    first17 = first2 + region + body
    number = first17 + uscc.calc_check_digit(first17 + "0")
    if kind == 8:
        number = first17 + rng.choice([c for c in ALPHABET if c != number[17]])
    usccs.append([number, verdict(uscc, number)])

print(json.dumps({"python_stdnum": stdnum.__version__, "resident_id": rics, "uscc": usccs}, indent=0))
