#!/usr/bin/env python
"""Generate the course's one SYNTHETIC table: 2,000 invented residents for the privacy lesson.

Lesson 32 (paper section 四(二)1, course id F2.1) teaches de-identification and k-anonymity. That needs
records of individual people — age, sex, province, income and something sensitive — and real records
of that kind cannot be published: that is the lesson's point. So the course invents them. **Every record
here is made up by a seeded random generator; none describes a real person.** The table is labelled
synthetic in its name, in ``datasets/datapackage.json`` (``"synthetic": true``) and wherever a lesson
shows it.

Two public statistics shape the invented records so that places and incomes look plausible:

* a record's province is drawn with probability proportional to the province's 2023 year-end resident
  population (NBS, table ``province_population``), so small provinces such as Xizang get few records,
  as they would in a real national sample;
* its income is centred on the province's 2023 per-capita disposable income of all residents (NBS
  household survey, table ``province_income_consumption``).

The model (all draws from one ``random.Random(SEED)`` stream, whose ``random()`` sequence Python keeps
the same across versions):

* age: a whole number of years, uniform on 18..77 (60 ages, so that bands of 5, 10 and 20 years
  starting at 18 cover them exactly);
* sex: ``F`` or ``M`` with probability 1/2 each;
* annual income (yuan) = provincial mean income x exp(sigma Z - sigma^2/2) with Z standard normal
  (Box-Muller from two uniforms) and sigma = 0.55, so the provincial mean is kept on average; rounded
  to the nearest 100 yuan, at least 100;
* overdue debt (the sensitive attribute): ``yes`` with probability 0.15 if the income is below 60 % of
  the provincial mean, else 0.05.

The course builds ``datasets/synthetic_residents.csv`` from this module inside
``scripts/build_datasets.py`` (so the committed file is checked byte for byte like every other table).
Run alone, it prints the first records:

    .venv/bin/python scripts/synthetic_microdata.py
"""

from __future__ import annotations

import bisect
import math
import random

SEED = 20240417          # the paper's online publication date
N_RECORDS = 2000
AGE_MIN, AGE_MAX = 18, 77          # 60 ages: 5-, 10- and 20-year bands from 18 fit exactly
SIGMA = 0.55
LOW_INCOME_SHARE = 0.6
P_OVERDUE_LOW, P_OVERDUE_OTHER = 0.15, 0.05

COLUMNS = ["record_id", "province_code", "province_en", "nbs_region_en", "age_years", "sex",
           "annual_income_yuan", "overdue_debt"]


def generate(provinces: list[dict], n: int = N_RECORDS, seed: int = SEED) -> list[dict]:
    """The synthetic records, as a list of dicts of strings (the CSV's cells).

    Parameters
    ----------
    provinces : list of dict
        One dict per province with ``province_code``, ``province_en``, ``nbs_region_en``,
        ``population`` (any unit: only proportions matter) and ``income`` (yuan per person per year).
        The order matters for reproducibility; pass them sorted by code.
    n, seed : int
        Number of records and the seed of the random stream.
    """
    if not provinces:
        raise ValueError("generate: no provinces given")
    rng = random.Random(seed)
    weights = [float(p["population"]) for p in provinces]
    if any(w <= 0 for w in weights):
        raise ValueError("generate: every province needs a positive population")
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    rows = []
    for i in range(n):
        k = min(bisect.bisect_right(cumulative, rng.random() * total), len(provinces) - 1)
        prov = provinces[k]
        age = AGE_MIN + int(rng.random() * (AGE_MAX - AGE_MIN + 1))
        sex = "F" if rng.random() < 0.5 else "M"
        u1, u2 = rng.random(), rng.random()
        z = math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)   # Box-Muller; 1 - u1 > 0
        mean = float(prov["income"])
        income = max(100, int(round(mean * math.exp(SIGMA * z - SIGMA ** 2 / 2) / 100.0)) * 100)
        p_overdue = P_OVERDUE_LOW if income < LOW_INCOME_SHARE * mean else P_OVERDUE_OTHER
        overdue = "yes" if rng.random() < p_overdue else "no"
        rows.append({
            "record_id": f"S{i + 1:04d}",
            "province_code": str(prov["province_code"]),
            "province_en": prov["province_en"],
            "nbs_region_en": prov["nbs_region_en"],
            "age_years": str(age),
            "sex": sex,
            "annual_income_yuan": str(income),
            "overdue_debt": overdue,
        })
    return rows


def provinces_from_tables(provinces, population, income, year: int = 2023) -> list[dict]:
    """The ``provinces`` argument of :func:`generate` from the course tables (text or typed frames)."""
    pop = {int(c): float(v) for c, y, v in zip(population["province_code"], population["year"],
                                                population["resident_population_10k"]) if int(y) == year}
    inc = {int(c): float(v) for c, y, v in zip(income["province_code"], income["year"],
                                                income["disposable_income_per_capita_all_residents_yuan"])
           if int(y) == year}
    out = []
    for c, en, region in sorted(zip(provinces["province_code"], provinces["province_en"],
                                    provinces["nbs_region_en"]), key=lambda t: int(t[0])):
        c = int(c)
        out.append({"province_code": c, "province_en": en, "nbs_region_en": region,
                    "population": pop[c], "income": inc[c]})
    return out


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import course

    rows = generate(provinces_from_tables(course.load("provinces"), course.load("province_population"),
                                          course.load("province_income_consumption")))
    print("SYNTHETIC records (invented; no record describes a real person):")
    for r in rows[:5]:
        print(r)
